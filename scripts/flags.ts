// The flags of the npm scripts, read with node:util parseArgs under one convention: a flag it cannot read prints the
// error and the usage (exit code 2), --help / -h prints the usage (exit code 0).
import { parseArgs, type ParseArgsConfig } from 'node:util';

type FlagOptions = NonNullable<ParseArgsConfig['options']>;
type FlagValues<O extends FlagOptions> = ReturnType<typeof parseArgs<{ options: O }>>['values'];

/** The flags, or the exit code to end with when they are bad or only ask for help. */
export const parseFlags = <const O extends FlagOptions>(options: O, usage: string): { flags: FlagValues<O> } | { exitCode: number } => {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return { exitCode: 2 };
  }
  if (values.help === true) {
    console.log(usage);
    return { exitCode: 0 };
  }
  return { flags: values as FlagValues<O> };
};
