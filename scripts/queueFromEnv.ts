// Scripts reach the queues through the same env as the functions; `npm start` writes .local/stack.env for local use.
import { existsSync, readFileSync } from 'node:fs';
import { SQSClient } from '@aws-sdk/client-sqs';
import { RetryQueue } from '../lib/queue/index.js';

const LOCAL_STACK_ENV = new URL('../.local/stack.env', import.meta.url);

/** Env wins; otherwise the values the running local stack wrote. */
export const stackEnv = (): Record<string, string | undefined> => {
  const local: Record<string, string> = {};
  if (existsSync(LOCAL_STACK_ENV)) {
    for (const line of readFileSync(LOCAL_STACK_ENV, 'utf8').split('\n')) {
      const at = line.indexOf('=');
      if (at > 0) local[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return { ...local, ...process.env };
};

export const queueFromEnv = (): RetryQueue => {
  const env = stackEnv();
  const retry = env.RETRY_QUEUE_URL;
  const deadLetter = env.DEAD_LETTER_QUEUE_URL;
  if (retry === undefined || deadLetter === undefined) {
    console.error('Set RETRY_QUEUE_URL and DEAD_LETTER_QUEUE_URL (or run `npm start`, which writes .local/stack.env).');
    process.exit(2);
  }
  const endpoint = env.AWS_ENDPOINT_URL_SQS;
  return new RetryQueue(
    new SQSClient({
      region: env.AWS_REGION ?? 'eu-west-1',
      ...(endpoint === undefined ? {} : { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    }),
    { retry, deadLetter },
  );
};

export const table = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const line = (cells: readonly string[]) => cells.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
};
