import { describe, expect, it } from 'vitest';
import {
  AtlasError, atlasErrorFromNetwork, atlasErrorFromResponse, isAtlasErrorBody, parseRetryAfter,
} from '../../../lib/atlas/errors.js';

const classify = (status: number, body: unknown = '', headers: Record<string, unknown> = {}) =>
  atlasErrorFromResponse('bulk write', status, body, headers);

describe('atlasErrorFromResponse', () => {
  it('retries what can succeed later: 5xx, 429 and 408', () => {
    for (const status of [500, 502, 503, 504, 429, 408]) {
      expect(classify(status).kind, String(status)).toBe('retryable');
      expect(classify(status).retryable).toBe(true);
    }
  });

  it('reports refused credentials and redirects as auth, with a hint of what to check', () => {
    for (const status of [401, 403, 407, 419]) expect(classify(status).kind, String(status)).toBe('auth');
    expect(classify(401).message).toMatch(/check ATLAS_USER \/ ATLAS_PASSWORD/);
    const redirect = classify(302);
    expect(redirect.kind).toBe('auth');
    expect(redirect.message).toMatch(/a redirect: is ATLAS_URL pointing at a login page\?/);
    expect(classify(401).retryable).toBe(true);
  });

  it('does not retry what Atlas rejected itself', () => {
    for (const status of [400, 404, 409, 422]) {
      expect(classify(status).kind, String(status)).toBe('permanent');
      expect(classify(status).retryable).toBe(false);
    }
  });

  it("carries Atlas's own code and message, and the Retry-After delay", () => {
    const error = classify(404, { errorCode: 'ATLAS-404-00-007', errorMessage: 'Invalid instance creation/updation parameters' }, { 'retry-after': '7' });
    expect(error).toBeInstanceOf(AtlasError);
    expect(error.message).toBe('Atlas bulk write failed with HTTP 404: ATLAS-404-00-007: Invalid instance creation/updation parameters');
    expect(error.details).toEqual({ status: 404, atlasCode: 'ATLAS-404-00-007', atlasMessage: 'Invalid instance creation/updation parameters', retryAfterMs: 7000 });
  });

  it('describes a proxy error object, or an HTML page as its text bounded to 300 characters', () => {
    expect(classify(502, { error: 'upstream timed out' }).message).toBe('Atlas bulk write failed with HTTP 502: upstream timed out');
    expect(classify(503, '<html><body><h1>Service   Unavailable</h1></body></html>').message).toBe('Atlas bulk write failed with HTTP 503: Service Unavailable');
    expect(classify(500, 'x'.repeat(1000)).message).toHaveLength('Atlas bulk write failed with HTTP 500: '.length + 300);
    expect(classify(500, '').message).toBe('Atlas bulk write failed with HTTP 500');
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds or an HTTP date, never negative', () => {
    const now = Date.parse('2026-12-03T12:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Thu, 03 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 03 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-5', now)).toBe(0);
  });

  it('ignores a missing or unreadable header', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter(' ')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(['1'])).toBeUndefined();
  });
});

describe('atlasErrorFromNetwork', () => {
  it('retries a call that got no answer, keeping the network code and the cause', () => {
    const cause = new Error('socket hang up');
    const error = atlasErrorFromNetwork('read', 'ECONNRESET', cause);
    expect(error.kind).toBe('retryable');
    expect(error.message).toBe('Atlas read got no answer (ECONNRESET)');
    expect(error.details).toEqual({ networkCode: 'ECONNRESET' });
    expect(error.cause).toBe(cause);
    expect(atlasErrorFromNetwork('read', undefined, cause).message).toBe('Atlas read got no answer (network error)');
  });
});

describe('isAtlasErrorBody', () => {
  it('recognises an Atlas error body by its errorCode string', () => {
    expect(isAtlasErrorBody({ errorCode: 'ATLAS-400-00-01A', errorMessage: 'm' })).toBe(true);
    expect(isAtlasErrorBody({ errorCode: 400 })).toBe(false);
    expect(isAtlasErrorBody(null)).toBe(false);
    expect(isAtlasErrorBody('ATLAS-400')).toBe(false);
  });
});
