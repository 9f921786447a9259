// npm run sign -- --secret whsec_... [--url http://127.0.0.1:3000/flink/events] [--id msg_...] < event.json
// Signs the body read from stdin as a Standard Webhooks sender does and prints the curl line that posts it,
// with webhook-id, webhook-timestamp and webhook-signature. The secret may come from WEBHOOK_SECRET instead of
// --secret (keeps it out of shell history). The line is valid for 5 minutes (the bridge's tolerance).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseWebhookSecret, signWebhook, WebhookSecretError } from '../lib/security/index.js';
import { parseFlags } from './flags.js';

const USAGE = 'usage: npm run sign -- --secret whsec_... [--url http://127.0.0.1:3000/flink/events] [--id msg_...] [--timestamp <unix seconds>] < event.json';

/** A shell word that stands for exactly `text`: single quotes, each ' written as '\'' */
const shellQuote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

export const curlLine = (options: { url: string; secret: string; body: Buffer; id?: string; timestamp?: number }): string => {
  const id = options.id ?? `msg_${randomUUID().replaceAll('-', '')}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = signWebhook(parseWebhookSecret(options.secret), id, timestamp, options.body);
  return [
    `curl -sS -X POST ${shellQuote(options.url)}`,
    `-H 'content-type: application/json'`,
    `-H ${shellQuote(`webhook-id: ${id}`)}`,
    `-H 'webhook-timestamp: ${timestamp}'`,
    `-H ${shellQuote(`webhook-signature: ${signature}`)}`,
    // The exact bytes that were signed, trailing newline included if the input had one.
    `--data-binary ${shellQuote(options.body.toString('utf8'))}`,
  ].join(' \\\n  ');
};

const main = (): number => {
  const read = parseFlags({
    secret: { type: 'string' },
    url: { type: 'string', default: 'http://127.0.0.1:3000/flink/events' },
    id: { type: 'string' },
    timestamp: { type: 'string' },
  }, USAGE);
  if ('exitCode' in read) return read.exitCode;
  const { flags } = read;
  const secret = flags.secret ?? process.env.WEBHOOK_SECRET;
  if (secret === undefined || secret === '') {
    console.error(`no secret: pass --secret whsec_... or set WEBHOOK_SECRET\n${USAGE}`);
    return 2;
  }
  if (process.stdin.isTTY) {
    console.error(`the body is read from stdin\n${USAGE}`);
    return 2;
  }
  const body = readFileSync(0);
  if (!body.toString('utf8').split('').every((c) => c >= ' ' || c === '\n' || c === '\r' || c === '\t')) {
    console.error('the body holds control characters a shell line cannot carry verbatim; post it from a file with the headers instead');
    return 2;
  }
  try {
    console.log(curlLine({
      url: flags.url ?? 'http://127.0.0.1:3000/flink/events',
      secret,
      body,
      ...(flags.id === undefined ? {} : { id: flags.id }),
      ...(flags.timestamp === undefined ? {} : { timestamp: Number(flags.timestamp) }),
    }));
    return 0;
  } catch (error) {
    // The message names the problem with the secret, never the secret.
    console.error(error instanceof WebhookSecretError ? error.message : String(error));
    return 2;
  }
};

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main();
