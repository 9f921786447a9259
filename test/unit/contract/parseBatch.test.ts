import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { describeIssues, parseBatch, toJsonPointer } from '../../../lib/contract/parseBatch.js';
import { InputRejection } from '../../../lib/errors.js';
import '../../../lib/zod.js';

const Item = z.object({ eventId: z.string(), n: z.number() });

describe('parseBatch', () => {
  it('accepts a single event as a batch of one, not an array', () => {
    expect(parseBatch({ eventId: 'a', n: 1 }, Item, 10)).toEqual({ isArray: false, accepted: [{ index: 0, event: { eventId: 'a', n: 1 } }], rejected: [] });
  });

  it('keeps the good items of an array beside the bad ones, each problem pointing into the body', () => {
    const parsed = parseBatch([{ eventId: 'a', n: 1 }, { eventId: 'b', n: 'two' }, { n: 3 }], Item, 10);
    expect(parsed.isArray).toBe(true);
    expect(parsed.accepted.map((a) => a.index)).toEqual([0]);
    expect(parsed.rejected).toEqual([
      { index: 1, eventId: 'b', problems: [{ pointer: '/1/n', message: expect.stringMatching(/number/) }] },
      { index: 2, problems: [{ pointer: '/2/eventId', message: expect.any(String) }] },
    ]);
  });

  it('points at a single bad event from the body root, and gives no overlong event id back', () => {
    const parsed = parseBatch({ eventId: 'x'.repeat(101), n: 'no' }, Item, 10);
    expect(parsed.rejected).toEqual([{ index: 0, problems: [{ pointer: '/n', message: expect.any(String) }] }]);
  });

  it('refuses an empty array (400) and more items than allowed (413)', () => {
    expect(() => parseBatch([], Item, 10)).toThrow(InputRejection);
    try {
      parseBatch([], Item, 10);
    } catch (error) {
      expect(error).toMatchObject({ status: 400, code: 'EMPTY_BATCH' });
    }
    try {
      parseBatch(Array.from({ length: 3 }, () => ({})), Item, 2);
      throw new Error('expected a rejection');
    } catch (error) {
      expect(error).toMatchObject({ status: 413, code: 'TOO_MANY_EVENTS', problems: [{ pointer: '', message: 'the array holds 3 events; at most 2 are accepted per request' }] });
    }
    expect(parseBatch([{ eventId: 'a', n: 1 }, { eventId: 'b', n: 2 }], Item, 2).accepted).toHaveLength(2);
  });
});

describe('JSON pointers', () => {
  it('escapes ~ and / as RFC 6901 says, and is empty for the whole body', () => {
    expect(toJsonPointer([])).toBe('');
    expect(toJsonPointer([0, 'options', 'a/b~c'])).toBe('/0/options/a~1b~0c');
  });

  it('prefixes issue paths with the place of the item', () => {
    const issues = Item.safeParse({ eventId: 1, n: 1 }).error?.issues ?? [];
    expect(describeIssues(issues, [4])).toEqual([{ pointer: '/4/eventId', message: expect.any(String) }]);
  });
});
