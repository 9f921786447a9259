import { describe, expect, it } from 'vitest';
import { checkBearer, parseApiKeys, parseAuthPolicy } from '../../lib/security/index.js';

const KEYS = parseApiKeys('key-one-0123456789abcdef, key-two-0123456789abcdef');

describe('API keys', () => {
  it('accepts each configured key (rotation: several at once), case-insensitive scheme', () => {
    expect(checkBearer('Bearer key-one-0123456789abcdef', KEYS)).toMatchObject({ ok: true });
    expect(checkBearer('bearer key-two-0123456789abcdef', KEYS)).toMatchObject({ ok: true });
  });

  it('says why it refuses, never echoing the header', () => {
    expect(checkBearer(undefined, KEYS)).toMatchObject({ ok: false, reason: 'MISSING_AUTHORIZATION' });
    expect(checkBearer('Basic YWRtaW46YWRtaW4=', KEYS)).toMatchObject({ ok: false, reason: 'NOT_BEARER' });
    const wrong = checkBearer('Bearer key-one-0123456789abcdeX', KEYS);
    expect(wrong).toMatchObject({ ok: false, reason: 'INVALID_API_KEY' });
    expect(JSON.stringify(wrong)).not.toContain('key-one');
    expect(checkBearer('Bearer key-one-0123456789abcdef-and-more', KEYS)).toMatchObject({ ok: false, reason: 'INVALID_API_KEY' });
    expect(checkBearer('Bearer ', KEYS)).toMatchObject({ ok: false, reason: 'NOT_BEARER' });
  });

  it('refuses short keys at configuration time, naming which one but not its value', () => {
    expect(() => parseApiKeys('key-one-0123456789abcdef short')).toThrow(/#2 has 5 characters/);
  });
});

describe('Auth policy per route', () => {
  it('parses one mode, both, or an explicit none', () => {
    expect(parseAuthPolicy('signature')).toEqual({ kind: 'required', modes: ['signature'] });
    expect(parseAuthPolicy('api-key')).toEqual({ kind: 'required', modes: ['api-key'] });
    expect(parseAuthPolicy('signature,api-key')).toEqual({ kind: 'required', modes: ['signature', 'api-key'] });
    expect(parseAuthPolicy('signature|api-key')).toEqual({ kind: 'required', modes: ['signature', 'api-key'] });
    expect(parseAuthPolicy('none')).toEqual({ kind: 'none' });
  });

  it('refuses anything else: none mixed with a mode, unknown words, nothing', () => {
    for (const value of ['none,signature', 'hmac', 'off', ' ']) expect(typeof parseAuthPolicy(value)).toBe('string');
  });
});
