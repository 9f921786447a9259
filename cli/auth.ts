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
/** The bridge's own settings (lib/security, issue 5): per-route modes and the accepted secrets and keys. */
export const ROUTE_AUTH_VARIABLES = { 'POST /flink/events': 'AUTH_FLINK_EVENTS', 'POST /api/v1/lineage': 'AUTH_OPENLINEAGE', 'POST /flink/jobs': 'AUTH_FLINK_JOBS' } as const;
export const BRIDGE_SECRETS_VARIABLE = 'WEBHOOK_SECRETS';
export const BRIDGE_API_KEYS_VARIABLE = 'API_KEYS';

/** How `send` authenticates its requests. */
export type SenderAuth =
  | { mode: 'signing'; secret: string; description: string }
  | { mode: 'api-key'; apiKey: string; description: string }
  | { mode: 'none'; description: string };

/** The secret's key bytes: the base64 after `whsec_` (the scheme's own secret format). */
export const signingKey = (secret: string): Buffer => {
  const encoded = secret.trim().startsWith('whsec_') ? secret.trim().slice('whsec_'.length) : secret.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    throw new Error('the signing secret must be a Standard Webhooks secret: whsec_ followed by base64');
  }
  return Buffer.from(encoded, 'base64');
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
const set = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/**
 * What `send` uses: WEBHOOK_SECRET (else the first of the bridge's own WEBHOOK_SECRETS, as on the local stack) to
 * sign, else BRIDGE_API_KEY as a Bearer key, else nothing. Secrets are never printed whole.
 */
export const senderAuthFromEnv = (env: Env): SenderAuth => {
  const secret = set(env[SECRET_VARIABLE]) ? env[SECRET_VARIABLE] : env[BRIDGE_SECRETS_VARIABLE]?.split(/[\s,]+/).find((s) => s !== '');
  if (set(secret)) return { mode: 'signing', secret, description: `signed (Standard Webhooks, secret ${masked(secret)})` };
  const apiKey = env[API_KEY_VARIABLE];
  if (set(apiKey)) return { mode: 'api-key', apiKey, description: `with API key ${masked(apiKey)}` };
  return { mode: 'none', description: 'unsigned' };
};

export interface RouteAuthCheck {
  ok: boolean;
  detail: string;
  hint?: string;
}

/**
 * The bridge's side, as lib/security reads it: each route's AUTH_* mode (signature, api-key, both, or none said
 * explicitly; unset refuses every request) and, for the modes named, WEBHOOK_SECRETS / API_KEYS (or their _PARAM
 * in SSM).
 */
export const checkBridgeAuth = (env: Env): RouteAuthCheck => {
  const problems: string[] = [];
  const described: string[] = [];
  for (const [route, variable] of Object.entries(ROUTE_AUTH_VARIABLES)) {
    const value = env[variable];
    if (!set(value)) {
      problems.push(`${variable} is not set (${route} refuses every request)`);
      continue;
    }
    const modes = value.split(/[\s,|]+/).map((w) => w.trim().toLowerCase()).filter((w) => w !== '');
    const unknown = modes.filter((m) => m !== 'signature' && m !== 'api-key' && !(m === 'none' && modes.length === 1));
    if (unknown.length > 0 || modes.length === 0) {
      problems.push(`${variable} must be signature, api-key, signature,api-key or none`);
      continue;
    }
    if (modes.includes('signature') && !set(env[BRIDGE_SECRETS_VARIABLE]) && !set(env[`${BRIDGE_SECRETS_VARIABLE}_PARAM`])) {
      problems.push(`${variable}=${value} but neither ${BRIDGE_SECRETS_VARIABLE} nor ${BRIDGE_SECRETS_VARIABLE}_PARAM is set`);
    }
    if (modes.includes('api-key') && !set(env[BRIDGE_API_KEYS_VARIABLE]) && !set(env[`${BRIDGE_API_KEYS_VARIABLE}_PARAM`])) {
      problems.push(`${variable}=${value} but neither ${BRIDGE_API_KEYS_VARIABLE} nor ${BRIDGE_API_KEYS_VARIABLE}_PARAM is set`);
    }
    described.push(`${route}: ${modes[0] === 'none' ? 'none (local use only)' : modes.join(' or ')}`);
  }
  if (problems.length > 0) {
    return {
      ok: false,
      detail: problems.join('; '),
      hint: `set each of ${Object.values(ROUTE_AUTH_VARIABLES).join(', ')} to signature, api-key or both, with ${BRIDGE_SECRETS_VARIABLE} ` +
        `(whsec_ secrets) or ${BRIDGE_API_KEYS_VARIABLE} (or their _PARAM names in SSM); none is for the local stack only`,
    };
  }
  return { ok: true, detail: described.join('; ') };
};
