// Runs the real `npm start` flow (tsx local/start.ts) as a child process, for the tests of local/start.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killProcessGroup } from './processGroup.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** tsx's CLI, run with this Node: the local/*.ts entry points as the project runs them. */
export const TSX_CLI = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
// serverless offline + esbuild take several seconds on a small CI machine; leave plenty of room.
export const READY_TIMEOUT_MS = 180_000;

// Tests ask for a port the system picks (no preferred one): local/ports.ts's freePort() does that.
export { freePort } from '../../local/ports.js';

export interface LocalStart {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** The match of the ready line. */
  ready: RegExpExecArray;
  /** Kills its whole process group, also what is left of it after it exited. */
  kill(): void;
}

/** Starts start.ts with `env` and resolves once its output matches `ready`; rejects if it exits first. */
export const startLocalStart = async (env: NodeJS.ProcessEnv, ready: RegExp): Promise<LocalStart> => {
  let output = '';
  // Its own process group, so kill() can clean up even if start.ts leaves a child behind.
  const child = spawn(process.execPath, [TSX_CLI, 'local/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within ${READY_TIMEOUT_MS / 1000} s:\n${output}`)), READY_TIMEOUT_MS);
    const check = () => {
      const found = ready.exec(output);
      if (found === null) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      resolve(found);
    };
    child.stdout?.on('data', check);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${signal ?? code}) before it was ready:\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    ready: match,
    kill: () => killProcessGroup(child),
  };
};
