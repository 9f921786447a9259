// How `flink-atlas send` authenticates, and what `flink-atlas doctor` reports about the bridge's own auth settings.
// Both use lib/security: Standard Webhooks signing (`webhook-id`, `webhook-timestamp`, `webhook-signature:
// v1,<base64 HMAC-SHA256 of id.timestamp.body>`) with signWebhook, and the per-route AUTH_* policies as the
// functions parse them.
import { randomUUID } from 'node:crypto';
import { AUTH_VARIABLES, HTTP_ROUTES, describePolicy, parseAuthPolicy, type HttpRoute } from '../lib/security/authPolicy.js';
import { parseWebhookSecret, signWebhook } from '../lib/security/standardWebhooks.js';
import type { Env } from './env.js';

export const SECRET_VARIABLE = 'WEBHOOK_SECRET';
export const API_KEY_VARIABLE = 'BRIDGE_API_KEY';
/** The bridge's own settings (lib/security, issue 5): per-route modes and the accepted secrets and keys. */
const ROUTE_PATHS: Readonly<Record<HttpRoute, string>> = { flinkEvents: 'POST /flink/events', openLineage: 'POST /api/v1/lineage', flinkJobs: 'POST /flink/jobs' };
export const BRIDGE_SECRETS_VARIABLE = 'WEBHOOK_SECRETS';
export const BRIDGE_API_KEYS_VARIABLE = 'API_KEYS';

/** How `send` authenticates its requests. */
export type SenderAuth =
  | { mode: 'signing'; secret: string; description: string }
  | { mode: 'api-key'; apiKey: string; description: string }
  | { mode: 'none'; description: string };

/** The secret's key bytes (lib/security's parser: whsec_ + base64, at least 16 bytes); throws naming the problem. */
export const signingKey = (secret: string): Buffer => parseWebhookSecret(secret);

/** The three Standard Webhooks headers for `body`, signed with `secret`. */
export const signatureHeaders = (
  body: string,
  secret: string,
  options: { id?: string; timestampSeconds?: number } = {},
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> => {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(signingKey(secret), id, timestamp, body) };
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
  for (const route of HTTP_ROUTES) {
    const variable = AUTH_VARIABLES[route];
    const value = env[variable];
    if (!set(value)) {
      problems.push(`${variable} is not set (${ROUTE_PATHS[route]} refuses every request)`);
      continue;
    }
    const policy = parseAuthPolicy(value);
    if (typeof policy === 'string') {
      problems.push(`${variable} ${policy}`);
      continue;
    }
    const modes = policy.kind === 'none' ? [] : policy.modes;
    if (modes.includes('signature') && !set(env[BRIDGE_SECRETS_VARIABLE]) && !set(env[`${BRIDGE_SECRETS_VARIABLE}_PARAM`])) {
      problems.push(`${variable}=${value} but neither ${BRIDGE_SECRETS_VARIABLE} nor ${BRIDGE_SECRETS_VARIABLE}_PARAM is set`);
    }
    if (modes.includes('api-key') && !set(env[BRIDGE_API_KEYS_VARIABLE]) && !set(env[`${BRIDGE_API_KEYS_VARIABLE}_PARAM`])) {
      problems.push(`${variable}=${value} but neither ${BRIDGE_API_KEYS_VARIABLE} nor ${BRIDGE_API_KEYS_VARIABLE}_PARAM is set`);
    }
    described.push(`${ROUTE_PATHS[route]}: ${policy.kind === 'none' ? 'none (local use only)' : describePolicy(policy).replace(',', ' or ')}`);
  }
  if (problems.length > 0) {
    return {
      ok: false,
      detail: problems.join('; '),
      hint: `set each of ${Object.values(AUTH_VARIABLES).join(', ')} to signature, api-key or both, with ${BRIDGE_SECRETS_VARIABLE} ` +
        `(whsec_ secrets) or ${BRIDGE_API_KEYS_VARIABLE} (or their _PARAM names in SSM); none is for the local stack only`,
    };
  }
  return { ok: true, detail: described.join('; ') };
};
