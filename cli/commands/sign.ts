// flink-atlas sign: signs a body as a Standard Webhooks sender does and prints the curl line that posts it, with
// webhook-id, webhook-timestamp and webhook-signature. The line is valid for 5 minutes (the bridge's tolerance).
import { signatureHeaders } from '../auth.js';
import { result, usage, type CommandResult } from '../result.js';

/** A shell word that stands for exactly `text`: single quotes, each ' written as '\'' */
const shellQuote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

/** Tab, newline and carriage return are all a quoted shell word carries verbatim of the control characters. */
const hasControlCharacters = (text: string): boolean => /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text);

export interface SignOptions {
  url: string;
  secret: string;
  id?: string;
  timestampSeconds?: number;
}

/** The curl line that posts `body`, signed with `secret`; throws (naming the problem, never the secret) on a bad secret. */
export const curlLine = (body: string, options: SignOptions): string => {
  const headers = signatureHeaders(body, options.secret, {
    ...(options.id === undefined ? {} : { id: options.id }),
    ...(options.timestampSeconds === undefined ? {} : { timestampSeconds: options.timestampSeconds }),
  });
  return [
    `curl -sS -X POST ${shellQuote(options.url)}`,
    `-H 'content-type: application/json'`,
    ...Object.entries(headers).map(([name, value]) => `-H ${shellQuote(`${name}: ${value}`)}`),
    // The exact text that was signed, trailing newline included if the input had one.
    `--data-binary ${shellQuote(body)}`,
  ].join(' \\\n  ');
};

export const signBody = (body: string, options: SignOptions): CommandResult => {
  if (hasControlCharacters(body)) {
    return usage('the body holds control characters a shell line cannot carry verbatim; post it from a file with the headers instead', 'sign');
  }
  try {
    return result(0, `${curlLine(body, options)}\n`);
  } catch (error) {
    // lib/security's message names the problem with the secret, never the secret.
    return usage((error as Error).message, 'sign');
  }
};
