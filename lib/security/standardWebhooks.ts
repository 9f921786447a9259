// Standard Webhooks (https://www.standardwebhooks.com): the sender signs `<webhook-id>.<webhook-timestamp>.<body>`
// with HMAC-SHA256 under a shared secret and sends `webhook-signature: v1,<base64>` (several, space-separated,
// while a secret rotates). Pure functions: no clock, no env; the caller passes `now` and the keys.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AuthVerdict } from './verdicts.js';

/** Both ways: a timestamp more than this far in the past or the future is refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** Bounds the work one request can ask for: signatures tried per request. */
const MAX_SIGNATURES = 10;
const MAX_ID_CHARS = 256;
const SECRET_PREFIX = 'whsec_';
const MIN_SECRET_BYTES = 16;

export class WebhookSecretError extends Error {
  override readonly name = 'WebhookSecretError';
}

/**
 * `whsec_<base64>` (the prefix may be left out, as the reference libraries allow) to the HMAC key bytes.
 * The error names the problem, never the value.
 */
export const parseWebhookSecret = (secret: string): Buffer => {
  const encoded = secret.trim().startsWith(SECRET_PREFIX) ? secret.trim().slice(SECRET_PREFIX.length) : secret.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    throw new WebhookSecretError('a webhook secret is not whsec_ followed by base64');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_SECRET_BYTES) {
    throw new WebhookSecretError(`a webhook secret decodes to ${key.length} bytes; at least ${MIN_SECRET_BYTES} (24 to 64 recommended)`);
  }
  return key;
};

/** Several secrets in one value (rotation): separated by whitespace or commas. */
export const parseWebhookSecrets = (value: string): Buffer[] =>
  value.split(/[\s,]+/).filter((s) => s !== '').map(parseWebhookSecret);

const hmac = (key: Buffer, id: string, timestamp: string, payload: Buffer): Buffer =>
  createHmac('sha256', key).update(`${id}.${timestamp}.`).update(payload).digest();

/** The `webhook-signature` value a sender puts on `payload` (the exact bytes it posts, before any gzip). */
export const signWebhook = (key: Buffer, id: string, timestamp: number | string, payload: Buffer | string): string =>
  `v1,${hmac(key, id, String(timestamp), Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8')).toString('base64')}`;

export interface WebhookHeaders {
  id: string;
  timestamp: string;
  /** The decoded v1 signatures (32 bytes each); other versions are skipped, as the scheme says. */
  signatures: Buffer[];
}

/**
 * The checks that need no body and no secret, done first so an unsigned or stale request costs nothing:
 * the three headers are there and well formed, and the timestamp is within the tolerance of `nowSeconds`.
 */
export const checkWebhookHeaders = (
  get: (name: string) => string | undefined,
  nowSeconds: number,
  toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS,
): AuthVerdict<WebhookHeaders> => {
  const id = get('webhook-id');
  const timestamp = get('webhook-timestamp');
  const signature = get('webhook-signature');
  const missing = [
    ...(id === undefined || id === '' ? ['webhook-id'] : []),
    ...(timestamp === undefined || timestamp === '' ? ['webhook-timestamp'] : []),
    ...(signature === undefined || signature === '' ? ['webhook-signature'] : []),
  ];
  if (missing.length > 0 || id === undefined || timestamp === undefined || signature === undefined) {
    return { ok: false, reason: 'MISSING_SIGNATURE_HEADERS', message: `this route takes signed webhooks (Standard Webhooks); missing header(s): ${missing.join(', ')}` };
  }
  if (id.length > MAX_ID_CHARS || !/^[\x21-\x7e]+$/.test(id)) {
    return { ok: false, reason: 'INVALID_WEBHOOK_ID', message: `webhook-id must be 1 to ${MAX_ID_CHARS} visible ASCII characters` };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'INVALID_TIMESTAMP', message: 'webhook-timestamp must be an integer number of seconds since the Unix epoch' };
  }
  const skew = Number(timestamp) - nowSeconds;
  if (skew < -toleranceSeconds) {
    return { ok: false, reason: 'TIMESTAMP_TOO_OLD', message: `webhook-timestamp is ${-skew} s old; at most ${toleranceSeconds} s are accepted (a replay, or a sender clock off)` };
  }
  if (skew > toleranceSeconds) {
    return { ok: false, reason: 'TIMESTAMP_TOO_NEW', message: `webhook-timestamp is ${skew} s in the future; at most ${toleranceSeconds} s are accepted (check the sender's clock)` };
  }
  const entries = signature.split(' ').filter((s) => s !== '');
  if (entries.length > MAX_SIGNATURES) {
    return { ok: false, reason: 'INVALID_SIGNATURE_HEADER', message: `webhook-signature holds ${entries.length} signatures; at most ${MAX_SIGNATURES} are tried` };
  }
  const signatures = entries.flatMap((entry) => {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') return [];
    const encoded = entry.slice(comma + 1);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return [];
    const bytes = Buffer.from(encoded, 'base64');
    return bytes.length === 32 ? [bytes] : [];
  });
  if (signatures.length === 0) {
    return { ok: false, reason: 'INVALID_SIGNATURE_HEADER', message: 'webhook-signature holds no v1,<base64 HMAC-SHA256> signature' };
  }
  return { ok: true, value: { id, timestamp, signatures } };
};

/** Whether one of the signatures is the HMAC of `id.timestamp.payload` under one of the keys (constant time each). */
export const verifyWebhookSignature = (headers: WebhookHeaders, payload: Buffer, keys: readonly Buffer[]): AuthVerdict<{ id: string }> => {
  let matched = false;
  for (const key of keys) {
    const expected = hmac(key, headers.id, headers.timestamp, payload);
    // Every pair is compared (no early exit), so the time taken says nothing about which key or signature came close.
    for (const candidate of headers.signatures) matched = timingSafeEqual(expected, candidate) || matched;
  }
  return matched
    ? { ok: true, value: { id: headers.id } }
    : { ok: false, reason: 'SIGNATURE_MISMATCH', message: 'no webhook-signature matches the body under the configured secrets (signed content: <webhook-id>.<webhook-timestamp>.<body as sent, before gzip>)' };
};
