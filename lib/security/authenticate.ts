// The credential check of one request, in two steps so that the cheap part needs no body: headers first
// (which mode, well-formed, fresh, the API key itself), then, for signed webhooks, the HMAC over the body bytes.
import { checkBearer } from './apiKeys.js';
import type { AuthPolicy } from './authPolicy.js';
import type { Credentials } from './credentials.js';
import { checkWebhookHeaders, verifyWebhookSignature, type WebhookHeaders } from './standardWebhooks.js';
import type { AuthVerdict } from './verdicts.js';

export type HeaderCheck =
  | { mode: 'none' }
  | { mode: 'api-key' }
  /** The signature still has to be checked on the body: `verifySignedBody`. */
  | { mode: 'signature'; headers: WebhookHeaders; keys: Buffer[] };

const WEBHOOK_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'];

export const checkRequestHeaders = async (
  policy: AuthPolicy,
  get: (name: string) => string | undefined,
  nowSeconds: number,
  credentials: Credentials,
): Promise<AuthVerdict<HeaderCheck>> => {
  if (policy.kind === 'none') return { ok: true, value: { mode: 'none' } };
  const takesSignature = policy.modes.includes('signature');
  const takesApiKey = policy.modes.includes('api-key');
  const signed = WEBHOOK_HEADERS.some((name) => (get(name) ?? '') !== '');
  const authorization = get('authorization');
  // With both modes allowed, the request says which it uses; a signed one is held to its signature.
  if (takesSignature && (signed || !takesApiKey)) {
    const headers = checkWebhookHeaders(get, nowSeconds);
    if (!headers.ok) return headers;
    return { ok: true, value: { mode: 'signature', headers: headers.value, keys: await credentials.webhookKeys() } };
  }
  if (takesApiKey && (authorization !== undefined || !takesSignature)) {
    const checked = checkBearer(authorization, await credentials.apiKeyDigests());
    return checked.ok ? { ok: true, value: { mode: 'api-key' } } : checked;
  }
  return {
    ok: false,
    reason: 'MISSING_CREDENTIALS',
    message: 'this route takes a signed webhook (webhook-id, webhook-timestamp, webhook-signature) or Authorization: Bearer <API key>; the request has neither',
  };
};

export const verifySignedBody = (check: Extract<HeaderCheck, { mode: 'signature' }>, body: Buffer): AuthVerdict<{ id: string }> =>
  verifyWebhookSignature(check.headers, body, check.keys);
