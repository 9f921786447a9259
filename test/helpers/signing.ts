// Signed and keyed requests for the handler tests: Standard Webhooks headers over the exact body bytes.
import { randomUUID } from 'node:crypto';
import { parseWebhookSecret, signWebhook } from '../../lib/security/index.js';

/** Test secrets: obviously fake, long enough for the checks. Never reused outside tests. */
export const TEST_WEBHOOK_SECRET = 'whsec_dGVzdC1zZWNyZXQtZm9yLWZsaW5rLWF0bGFzLWJyaWRnZQ==';
export const TEST_API_KEY = 'test-api-key-0c1f6d2e9a8b7c6d';

export const signatureHeaders = (
  body: string | Buffer,
  options: { secret?: string; id?: string; timestamp?: number } = {},
): Record<string, string> => {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(parseWebhookSecret(options.secret ?? TEST_WEBHOOK_SECRET), id, timestamp, body),
  };
};

export const bearer = (key = TEST_API_KEY): Record<string, string> => ({ authorization: `Bearer ${key}` });
