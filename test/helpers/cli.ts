// flink-atlas run in process (cli/main.ts runCli) with its output captured: the commander wiring, flags and exit
// codes are what the test sees.
import { runCli, type CliIo } from '../../cli/main.js';

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `args` with `env` as the whole environment; `readInput` serves the files the command reads (none by default). */
export const runCliCaptured = async (
  args: string[],
  env: CliIo['env'] = {},
  readInput: CliIo['readInput'] = (path) => Promise.reject(new Error(`ENOENT: no such file ${path}`)),
): Promise<CliRun> => {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(args, {
    env,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readInput,
    progress: false,
  });
  return { exitCode, stdout, stderr };
};
