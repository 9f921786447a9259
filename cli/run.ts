// The flink-atlas process: io from the process, exit code from the command.
import { cliEnv } from './env.js';
import { processIo, runCli } from './main.js';

// The AWS SDK warns on every run that its releases from 2027 on need Node 22: noise for an operator's command.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!`${warning.name} ${warning.message}`.includes('NodeVersionSupportWarning')) process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

process.exitCode = await runCli(process.argv.slice(2), processIo(cliEnv()));
