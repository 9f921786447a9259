// How `flink-atlas send` authenticates, and what `flink-atlas doctor` reports about it.
//
// Standard Webhooks (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` (seconds) and
// `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`, the key being the base64 after
// `whsec_`. Implemented here because no signing helper of the bridge existed when the CLI was written; it follows
// the scheme exactly, so any verifier of the scheme accepts it.
import { createHmac, randomUUID } from 'node:crypto';
import type { Env } from './env.js';

export const SECRET_VARIABLE = 'WEBHOOK_SECRET';
export const API_KEY_VARIABLE = 'BRIDGE_API_KEY';
export const MODE_VARIABLE = 'AUTH_MODE';

export type AuthSetting =
  | { mode: 'signing'; secret: string; description: string }
  | { mode: 'api-key'; apiKey: string; description: string }
  | { mode: 'none'; description: string }
  | { mode: 'unset'; secretVariable: string; apiKeyVariable: string; modeVariable: string };

/** The secret's key bytes: the base64 after `whsec_` (the scheme's own secret format). */
export const signingKey = (secret: string): Buffer => {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0 || key.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')) {
    throw new Error(`${SECRET_VARIABLE} must be a Standard Webhooks secret: whsec_ followed by base64`);
  }
  return key;
};

/** The three Standard Webhooks headers for `body`, signed with `secret`. */
export const signatureHeaders = (
  body: string,
  secret: string,
  options: { id?: string; timestampSeconds?: number } = {},
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> => {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = String(options.timestampSeconds ?? Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', signingKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
};

const masked = (value: string): string => (value.length <= 8 ? '****' : `${value.slice(0, 6)}…(${value.length} characters)`);

/** What the environment configures; secrets are never printed whole. */
export const authFromEnv = (env: Env): AuthSetting => {
  const secret = env[SECRET_VARIABLE];
  if (secret !== undefined && secret !== '') {
    return { mode: 'signing', secret, description: `Standard Webhooks signing with ${SECRET_VARIABLE} (${masked(secret)})` };
  }
  const apiKey = env[API_KEY_VARIABLE];
  if (apiKey !== undefined && apiKey !== '') {
    return { mode: 'api-key', apiKey, description: `API key in ${API_KEY_VARIABLE} (Authorization: Bearer ${masked(apiKey)})` };
  }
  if (env[MODE_VARIABLE] === 'none') return { mode: 'none', description: `${MODE_VARIABLE}=none: no authentication (local use only)` };
  return { mode: 'unset', secretVariable: SECRET_VARIABLE, apiKeyVariable: API_KEY_VARIABLE, modeVariable: MODE_VARIABLE };
};
