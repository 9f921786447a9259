import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bodyDigest, ReplayCache } from '../../../lib/security/replayCache.js';

describe('ReplayCache', () => {
  it('answers a replay of the same id and body with the first answer while it is fresh', () => {
    const cache = new ReplayCache<string>(10, 1000);
    cache.set('msg_1', 'd1', 'answer-1', 0);
    expect(cache.get('msg_1', 'd1', 999)).toBe('answer-1');
    expect(cache.get('msg_1', 'd1', 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not treat another body under the same id as a replay', () => {
    const cache = new ReplayCache<string>();
    cache.set('msg_1', 'd1', 'answer-1', 0);
    expect(cache.get('msg_1', 'd2', 1)).toBeUndefined();
    expect(cache.get('msg_2', 'd1', 1)).toBeUndefined();
  });

  it('forgets the oldest entry past its size, a re-set entry counting as new', () => {
    const cache = new ReplayCache<number>(2, 10_000);
    cache.set('a', 'd', 1, 0);
    cache.set('b', 'd', 2, 0);
    cache.set('a', 'd', 3, 1);
    cache.set('c', 'd', 4, 2);
    expect(cache.size).toBe(2);
    expect(cache.get('b', 'd', 3)).toBeUndefined();
    expect(cache.get('a', 'd', 3)).toBe(3);
    expect(cache.get('c', 'd', 3)).toBe(4);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('digests bodies with SHA-256 in base64', () => {
    const body = Buffer.from('{"a":1}');
    expect(bodyDigest(body)).toBe(createHash('sha256').update(body).digest('base64'));
    expect(bodyDigest(Buffer.from('{"a":2}'))).not.toBe(bodyDigest(body));
  });
});
