import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiKeyConfigError, checkBearer, digestApiKey, parseApiKeys } from '../../../lib/security/apiKeys.js';

const KEYS = parseApiKeys('key-one-0123456789abcdef, key-two-0123456789abcdef');

describe('API keys', () => {
  it('accepts each configured key (rotation: several at once), case-insensitive scheme', () => {
    expect(checkBearer('Bearer key-one-0123456789abcdef', KEYS)).toEqual({ ok: true, value: null });
    expect(checkBearer('bearer key-two-0123456789abcdef', KEYS)).toEqual({ ok: true, value: null });
    expect(checkBearer('Bearer \tkey-two-0123456789abcdef  ', KEYS)).toEqual({ ok: true, value: null });
  });

  it('says why it refuses, never echoing the header', () => {
    expect(checkBearer(undefined, KEYS)).toMatchObject({ ok: false, reason: 'MISSING_AUTHORIZATION' });
    expect(checkBearer('   ', KEYS)).toMatchObject({ ok: false, reason: 'MISSING_AUTHORIZATION' });
    expect(checkBearer('Basic YWRtaW46YWRtaW4=', KEYS)).toMatchObject({ ok: false, reason: 'NOT_BEARER' });
    const wrong = checkBearer('Bearer key-one-0123456789abcdeX', KEYS);
    expect(wrong).toMatchObject({ ok: false, reason: 'INVALID_API_KEY' });
    expect(JSON.stringify(wrong)).not.toContain('key-one');
    expect(checkBearer('Bearer key-one-0123456789abcdef-and-more', KEYS)).toMatchObject({ ok: false, reason: 'INVALID_API_KEY' });
    expect(checkBearer('Bearer ', KEYS)).toMatchObject({ ok: false, reason: 'NOT_BEARER' });
    expect(checkBearer('Bearer two words', KEYS)).toMatchObject({ ok: false, reason: 'NOT_BEARER' });
  });

  it('refuses every key when none is configured', () => {
    expect(checkBearer('Bearer key-one-0123456789abcdef', [])).toMatchObject({ ok: false, reason: 'INVALID_API_KEY' });
  });

  it('keeps keys as SHA-256 digests, split on commas and whitespace', () => {
    expect(digestApiKey('abc')).toEqual(createHash('sha256').update('abc').digest());
    expect(parseApiKeys(' a-key-of-16-chars!\nanother-key-16-ch,,')).toEqual([digestApiKey('a-key-of-16-chars!'), digestApiKey('another-key-16-ch')]);
    expect(parseApiKeys('')).toEqual([]);
  });

  it('refuses short keys at configuration time, naming which one but not its value', () => {
    expect(() => parseApiKeys('key-one-0123456789abcdef short')).toThrow(ApiKeyConfigError);
    expect(() => parseApiKeys('key-one-0123456789abcdef short')).toThrow(/^API key #2 has 5 characters; at least 16 are required$/);
    expect(() => parseApiKeys('exactly-16-chars')).not.toThrow();
  });
});
