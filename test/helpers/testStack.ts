// Runs the whole local stack (tsx local/testStack.ts) as a child process and reads the one JSON line it prints:
// for the tests of the launcher itself and for the end-to-end matrix (test/e2e/), which post through it.
import { spawn, type ChildProcess } from 'node:child_process';
import { READY_TIMEOUT_MS, ROOT, TSX_CLI } from './localStart.js';
import { killProcessGroup } from './processGroup.js';

/** serverless offline + esbuild, as for npm start: half a minute on a loaded 2-core machine. */
export const STACK_READY_TIMEOUT_MS = READY_TIMEOUT_MS;

/** The JSON line local/testStack.ts prints once everything answers. */
export interface StackInfo {
  eventsUrl: string;
  lineageUrl: string;
  flinkJobsUrl: string;
  atlasUrl: string;
  atlasUser: string;
  atlasPassword: string;
  webhookSecret: string;
  webhookSecrets: string[];
  apiKey: string;
  outage: { url: string; on: string; off: string };
  retryQueueUrl: string;
  deadLetterQueueUrl: string;
}

export interface RunningTestStack {
  info: StackInfo;
  child: ChildProcess;
  /** Everything it wrote to stderr so far (its progress lines, and serverless offline's output on failure). */
  stderr(): string;
  /** Kills its whole process group, also what is left of it after it exited. */
  kill(): void;
}

/** Starts local/testStack.ts and resolves with its JSON line; rejects if it exits first or takes too long. */
export const startTestStack = async (env: Record<string, string> = {}): Promise<RunningTestStack> => {
  // Its own process group, so kill() also ends serverless offline and the emulator it started.
  const child = spawn(process.execPath, [TSX_CLI, 'local/testStack.ts'], {
    cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const kill = (): void => killProcessGroup(child);
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`no JSON line within ${STACK_READY_TIMEOUT_MS / 1000} s:\n${stderr}`)), STACK_READY_TIMEOUT_MS);
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const end = stdout.indexOf('\n');
        if (end >= 0) {
          clearTimeout(timer);
          resolve(stdout.slice(0, end));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the test stack exited (${signal ?? code}) before it was ready:\n${stderr}`));
      });
    });
    return { info: JSON.parse(line) as StackInfo, child, stderr: () => stderr, kill };
  } catch (error) {
    kill();
    throw error;
  }
};
