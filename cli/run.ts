// The flink-atlas process: io from the process, exit code from the command.
import { cliEnv } from './env.js';
import { processIo, runCli } from './main.js';

process.exitCode = await runCli(process.argv.slice(2), processIo(cliEnv()));
