import { describe, expect, it } from 'vitest';
import { digestApiKey } from '../../../lib/security/apiKeys.js';
import { checkRequestHeaders, verifySignedBody } from '../../../lib/security/authenticate.js';
import type { AuthPolicy } from '../../../lib/security/authPolicy.js';
import type { Credentials } from '../../../lib/security/credentials.js';
import { parseWebhookSecret, signWebhook } from '../../../lib/security/standardWebhooks.js';

const KEY = parseWebhookSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
const API_KEY = 'unit-test-api-key-0123456789';
const NOW = 1_795_600_000;
const BODY = Buffer.from('{"type":"job.status"}');

/** Credentials that count how often each kind was asked for: a check must not load keys it does not use. */
const credentials = () => {
  const asked = { webhookKeys: 0, apiKeyDigests: 0 };
  const source: Credentials = {
    webhookKeys: async () => {
      asked.webhookKeys += 1;
      return [KEY];
    },
    apiKeyDigests: async () => {
      asked.apiKeyDigests += 1;
      return [digestApiKey(API_KEY)];
    },
  };
  return { source, asked };
};

const signedHeaders = (body = BODY): Record<string, string> => ({
  'webhook-id': 'msg_1',
  'webhook-timestamp': String(NOW),
  'webhook-signature': signWebhook(KEY, 'msg_1', NOW, body),
});

const check = (policy: AuthPolicy, headers: Record<string, string>, creds = credentials().source) =>
  checkRequestHeaders(policy, (name) => headers[name], NOW, creds);

const both: AuthPolicy = { kind: 'required', modes: ['signature', 'api-key'] };

describe('checkRequestHeaders', () => {
  it('lets everything through on a none policy without loading any key', async () => {
    const { source, asked } = credentials();
    expect(await check({ kind: 'none' }, {}, source)).toEqual({ ok: true, value: { mode: 'none' } });
    expect(asked).toEqual({ webhookKeys: 0, apiKeyDigests: 0 });
  });

  it('hands a signed request on to the body check with the webhook keys', async () => {
    const { source, asked } = credentials();
    const verdict = await check({ kind: 'required', modes: ['signature'] }, signedHeaders(), source);
    expect(verdict).toMatchObject({ ok: true, value: { mode: 'signature', headers: { id: 'msg_1' }, keys: [KEY] } });
    expect(asked).toEqual({ webhookKeys: 1, apiKeyDigests: 0 });
  });

  it('refuses an unsigned request on a signature-only route, even with an API key', async () => {
    const verdict = await check({ kind: 'required', modes: ['signature'] }, { authorization: `Bearer ${API_KEY}` });
    expect(verdict).toMatchObject({ ok: false, reason: 'MISSING_SIGNATURE_HEADERS' });
  });

  it('accepts a valid API key and refuses a wrong one on an api-key route', async () => {
    const policy: AuthPolicy = { kind: 'required', modes: ['api-key'] };
    expect(await check(policy, { authorization: `Bearer ${API_KEY}` })).toEqual({ ok: true, value: { mode: 'api-key' } });
    expect(await check(policy, { authorization: 'Bearer not-the-key-0123456789' })).toMatchObject({ ok: false, reason: 'INVALID_API_KEY' });
    expect(await check(policy, {})).toMatchObject({ ok: false, reason: 'MISSING_AUTHORIZATION' });
  });

  it('with both modes, holds a request that carries any signature header to its signature', async () => {
    const { source, asked } = credentials();
    const verdict = await check(both, { 'webhook-id': 'msg_1', authorization: `Bearer ${API_KEY}` }, source);
    expect(verdict).toMatchObject({ ok: false, reason: 'MISSING_SIGNATURE_HEADERS' });
    expect(asked.apiKeyDigests).toBe(0);
  });

  it('with both modes, takes an API key from an unsigned request', async () => {
    expect(await check(both, { authorization: `Bearer ${API_KEY}` })).toEqual({ ok: true, value: { mode: 'api-key' } });
  });

  it('with both modes, says a request with neither credential has neither', async () => {
    expect(await check(both, {})).toMatchObject({ ok: false, reason: 'MISSING_CREDENTIALS' });
  });
});

describe('verifySignedBody', () => {
  it('accepts the body that was signed and refuses any other', async () => {
    const verdict = await check({ kind: 'required', modes: ['signature'] }, signedHeaders());
    if (!verdict.ok || verdict.value.mode !== 'signature') throw new Error('expected a signature check');
    expect(verifySignedBody(verdict.value, BODY)).toEqual({ ok: true, value: { id: 'msg_1' } });
    expect(verifySignedBody(verdict.value, Buffer.from('{"type":"job.status "}'))).toMatchObject({ ok: false, reason: 'SIGNATURE_MISMATCH' });
  });
});
