// Everything the functions print while `fn` runs: Powertools Logger and Metrics write JSON lines to stdout
// (and errors to stderr) through their own console, so the process streams are what is captured.
import { logger } from '../../lib/telemetry/index.js';

export const captureOutput = async <T>(fn: () => Promise<T>, level: 'DEBUG' | 'INFO' = 'DEBUG'): Promise<{ result: T; output: string }> => {
  const chunks: string[] = [];
  const original = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const capture = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  const previousLevel = logger.getLevelName();
  logger.setLogLevel(level);
  // injectLambdaContext puts the level back to the one the logger was built with (SILENT in the tests, from
  // POWERTOOLS_LOG_LEVEL) at each invocation, for its debug sampling: held at `level` while capturing.
  const refresh = Object.getOwnPropertyDescriptor(logger, 'refreshSampleRateCalculation');
  logger.refreshSampleRateCalculation = () => undefined;
  try {
    const result = await fn();
    return { result, output: chunks.join('') };
  } finally {
    if (refresh === undefined) delete (logger as Partial<typeof logger>).refreshSampleRateCalculation;
    else Object.defineProperty(logger, 'refreshSampleRateCalculation', refresh);
    logger.setLogLevel(previousLevel);
    process.stdout.write = original.out;
    process.stderr.write = original.err;
  }
};

/** The JSON lines of a capture (non-JSON noise, such as SDK warnings, skipped). */
export const jsonLines = (output: string): Record<string, unknown>[] =>
  output.split('\n').flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as unknown;
      return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
