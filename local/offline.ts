// Runs `serverless offline start` as a child process behind the project's own HTTP front (./httpFront.ts),
// which owns the public port and builds API Gateway's payload-2.0 events from the raw bytes. The child's
// output is kept in a buffer, not printed, so the console stays readable; `output()` hands it over when
// something went wrong.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import axios from 'axios';
import { startHttpFront } from './httpFront.js';
import { freePort } from './ports.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVERLESS_BIN = 'node_modules/serverless/bin/serverless.js';
const MAX_BUFFERED_CHARS = 200_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface OfflineOptions {
  /** The public port (the HTTP front); serverless offline's own HTTP port is a free one behind it. */
  httpPort: number;
  lambdaPort: number;
  /** Added to the parent's environment: ATLAS_URL, ATLAS_USER, ... */
  env: Record<string, string>;
  /** Stream the child's output to our stdout/stderr as well as buffering it. */
  echo?: boolean;
}

export interface Offline {
  /** e.g. http://127.0.0.1:3000/flink/events */
  eventsUrl: string;
  /** Everything the child printed so far (the last 200 000 characters). */
  output(): string;
  /** Settles when the child exits, with its exit code (or the signal that ended it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Start streaming the child's output from now on. */
  echo(): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone. */
  stop(graceMs?: number): Promise<void>;
}

export const startOffline = async (options: OfflineOptions): Promise<Offline> => {
  const host = '127.0.0.1';
  let buffer = '';
  let echo = options.echo ?? false;
  const front = await startHttpFront({ host, port: options.httpPort, lambdaPort: options.lambdaPort });
  // serverless offline still serves its own (text-only) HTTP front; nothing is sent to it.
  const offlineHttpPort = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [SERVERLESS_BIN, 'offline', 'start', '--host', host, '--httpPort', String(offlineHttpPort), '--lambdaPort', String(options.lambdaPort)],
    {
      cwd: ROOT,
      env: { ...process.env, ...options.env, PORT: String(offlineHttpPort), SLS_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
    buffer = (buffer + chunk.toString('utf8')).slice(-MAX_BUFFERED_CHARS);
    if (echo) stream.write(chunk);
  };
  child.stdout?.on('data', keep(process.stdout));
  child.stderr?.on('data', keep(process.stderr));

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      buffer += `\n${String(error)}`;
      resolve({ code: null, signal: null });
    });
  });
  void exited.then(() => front.close());

  return {
    eventsUrl: `http://${host}:${options.httpPort}/flink/events`,
    output: () => buffer,
    exited,
    echo: () => {
      echo = true;
    },
    stop: async (graceMs = 10_000) => {
      await front.close();
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
};

/**
 * Polls POST /flink/events with an empty batch until the bridge answers it: the handler says 400 EMPTY_BATCH
 * without touching Atlas. Throws if the child exits first, if the route keeps giving another answer (a broken
 * handler, or some other server on the port), or if `timeoutMs` passes.
 */
export const waitUntilAnswering = async (
  offline: Offline,
  timeoutMs = 120_000,
  /** Credentials for each probe, when the route requires them (the test stack signs its probes). */
  headers: (body: string) => Record<string, string> = () => ({}),
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void offline.exited.then(() => {
    gone = true;
  });
  let wrongAnswers = 0;
  let lastAnswer = 'no answer';
  while (Date.now() < deadline) {
    if (gone) throw new Error('serverless offline exited before it served POST /flink/events');
    let response;
    try {
      response = await axios.post(offline.eventsUrl, '[]', {
        timeout: 30_000,
        validateStatus: () => true,
        headers: { 'content-type': 'application/json', ...headers('[]') },
      });
    } catch {
      await sleep(250); // not listening yet
      continue;
    }
    if ((response.data as { error?: unknown } | undefined)?.error === 'EMPTY_BATCH') return;
    lastAnswer = `HTTP ${response.status} ${JSON.stringify(response.data).slice(0, 300)}`;
    if (++wrongAnswers >= 5) throw new Error(`POST ${offline.eventsUrl} answered ${lastAnswer}`);
    await sleep(250);
  }
  throw new Error(`serverless offline did not serve POST ${offline.eventsUrl} within ${timeoutMs / 1000} s (${lastAnswer})`);
};

/**
 * The retry worker as an SQS handler: locally nothing triggers it from SQS, so the poller calls the bundled
 * function through serverless offline's Lambda invoke API.
 */
export const retryWorkerViaOffline = (lambdaPort: number) => {
  const invokeUrl = `http://127.0.0.1:${lambdaPort}/2015-03-31/functions/flink-atlas-bridge-dev-retryWorker/invocations`;
  return async (event: SQSEvent): Promise<SQSBatchResponse> => (await axios.post<SQSBatchResponse>(invokeUrl, event, { timeout: 120_000 })).data;
};
