// The Standard Webhooks scenarios, one broken thing at a time (as the reference libraries test them).
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkWebhookHeaders, parseWebhookSecret, parseWebhookSecrets, signWebhook, verifyWebhookSignature, WEBHOOK_TOLERANCE_SECONDS,
} from '../../../lib/security/standardWebhooks.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const KEY = parseWebhookSecret(SECRET);
const NOW = 1_795_600_000;
const PAYLOAD = Buffer.from('{"type":"job.status","job":{"name":"orders"}}');

const signed = (overrides: Record<string, string | undefined> = {}, payload: Buffer = PAYLOAD, key = KEY) => {
  const headers: Record<string, string | undefined> = {
    'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    'webhook-timestamp': String(NOW),
    ...overrides,
  };
  headers['webhook-signature'] ??= signWebhook(key, headers['webhook-id'] ?? '', headers['webhook-timestamp'] ?? '', payload);
  if (overrides['webhook-signature'] === undefined && 'webhook-signature' in overrides) delete headers['webhook-signature'];
  return headers;
};

const verify = (headers: Record<string, string | undefined>, payload = PAYLOAD, keys = [KEY], now = NOW) => {
  const checked = checkWebhookHeaders((name) => headers[name], now);
  return checked.ok ? verifyWebhookSignature(checked.value, payload, keys) : checked;
};

describe('Standard Webhooks', () => {
  it('signs as the scheme says: base64 HMAC-SHA256 of id.timestamp.body under the decoded secret', () => {
    const expected = createHmac('sha256', Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64')).update(`msg_1.${NOW}.`).update(PAYLOAD).digest('base64');
    expect(signWebhook(KEY, 'msg_1', NOW, PAYLOAD)).toBe(`v1,${expected}`);
  });

  it('valid signature is valid', () => {
    expect(verify(signed())).toEqual({ ok: true, value: { id: 'msg_p5jXN8AQM9LWM0D4loKWxJek' } });
  });

  it('a secret without its whsec_ prefix is the same secret', () => {
    expect(parseWebhookSecret('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toEqual(KEY);
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('missing %s fails, naming the header', (name) => {
    const result = verify(signed({ [name]: undefined }));
    expect(result).toMatchObject({ ok: false, reason: 'MISSING_SIGNATURE_HEADERS' });
    expect(result.ok === false && result.message).toContain(name);
  });

  it('old timestamp fails (one second outside the tolerance)', () => {
    const stale = signed({ 'webhook-timestamp': String(NOW - WEBHOOK_TOLERANCE_SECONDS - 1) });
    expect(verify(stale)).toMatchObject({ ok: false, reason: 'TIMESTAMP_TOO_OLD' });
    expect(verify(signed({ 'webhook-timestamp': String(NOW - WEBHOOK_TOLERANCE_SECONDS) }))).toMatchObject({ ok: true });
  });

  it('new timestamp fails (one second outside the tolerance)', () => {
    expect(verify(signed({ 'webhook-timestamp': String(NOW + WEBHOOK_TOLERANCE_SECONDS + 1) }))).toMatchObject({ ok: false, reason: 'TIMESTAMP_TOO_NEW' });
    expect(verify(signed({ 'webhook-timestamp': String(NOW + WEBHOOK_TOLERANCE_SECONDS) }))).toMatchObject({ ok: true });
  });

  it('a timestamp that is not integer seconds fails', () => {
    for (const ts of ['1795600000.5', '-1', 'now', '1795600000000000']) {
      expect(verify(signed({ 'webhook-timestamp': ts }))).toMatchObject({ ok: false, reason: 'INVALID_TIMESTAMP' });
    }
  });

  it('invalid signature fails: another body, another id, another timestamp, another secret', () => {
    const headers = signed();
    expect(verify(headers, Buffer.from(`${PAYLOAD.toString()} `))).toMatchObject({ ok: false, reason: 'SIGNATURE_MISMATCH' });
    expect(verify({ ...headers, 'webhook-id': 'msg_other' })).toMatchObject({ ok: false, reason: 'SIGNATURE_MISMATCH' });
    expect(verify({ ...headers, 'webhook-timestamp': String(NOW + 1) })).toMatchObject({ ok: false, reason: 'SIGNATURE_MISMATCH' });
    expect(verify(headers, PAYLOAD, [randomBytes(32)])).toMatchObject({ ok: false, reason: 'SIGNATURE_MISMATCH' });
  });

  it('multi sig payload is valid: one valid signature among several (rotation on the sender side)', () => {
    const good = signWebhook(KEY, 'msg_1', NOW, PAYLOAD);
    const other = signWebhook(randomBytes(32), 'msg_1', NOW, PAYLOAD);
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(NOW), 'webhook-signature': `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= ${other} v2,abc ${good}` };
    expect(verify(headers)).toMatchObject({ ok: true });
  });

  it('several secrets accepted at once (rotation on the bridge side)', () => {
    const next = randomBytes(32);
    const keys = parseWebhookSecrets(`${SECRET} whsec_${next.toString('base64')}`);
    expect(verify(signed({}, PAYLOAD, next), PAYLOAD, keys)).toMatchObject({ ok: true });
    expect(verify(signed(), PAYLOAD, keys)).toMatchObject({ ok: true });
  });

  it('signatures of another version, or not base64 of 32 bytes, are skipped; none left fails', () => {
    const good = signWebhook(KEY, 'msg_1', NOW, PAYLOAD).slice(3);
    for (const signature of [`v2,${good}`, 'v1,not-base64!', `v1,${Buffer.alloc(31).toString('base64')}`, 'v1', good]) {
      expect(verify({ 'webhook-id': 'msg_1', 'webhook-timestamp': String(NOW), 'webhook-signature': signature })).toMatchObject({ ok: false, reason: 'INVALID_SIGNATURE_HEADER' });
    }
  });

  it('bounds the work: more than 10 signatures are not tried', () => {
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(NOW), 'webhook-signature': Array.from({ length: 11 }, () => signWebhook(KEY, 'msg_1', NOW, PAYLOAD)).join(' ') };
    expect(verify(headers)).toMatchObject({ ok: false, reason: 'INVALID_SIGNATURE_HEADER' });
  });

  it('a webhook-id with blanks, control characters or over 256 characters fails', () => {
    for (const id of ['msg 1', 'msg\u00001', 'x'.repeat(257)]) expect(verify(signed({ 'webhook-id': id }))).toMatchObject({ ok: false, reason: 'INVALID_WEBHOOK_ID' });
  });

  it('refuses secrets that are not whsec_ base64 or too short, without echoing them', () => {
    for (const bad of ['whsec_not base64', 'whsec_c2hvcnQ=', 'hunter2-hunter2']) {
      expect(() => parseWebhookSecret(bad)).toThrow();
      try {
        parseWebhookSecret(bad);
      } catch (error) {
        expect((error as Error).message).not.toContain(bad.replace('whsec_', ''));
      }
    }
  });
});
