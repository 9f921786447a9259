import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { addCustomIssue, described, withMeta } from '../../lib/zod.js';

describe('zod helpers', () => {
  it("loads zod's English messages, which answers and config errors quote", () => {
    expect(z.string().safeParse(1).error?.issues[0]?.message).toBe('Invalid input: expected string, received number');
  });

  it('describes a copy of a schema, leaving the original without metadata', () => {
    const base = z.string();
    const copy = described(base, 'a name');
    expect(z.globalRegistry.get(copy)).toEqual({ description: 'a name' });
    expect(z.globalRegistry.get(base)).toBeUndefined();
    expect(z.globalRegistry.get(withMeta(base, { id: 'Name' }))).toEqual({ id: 'Name' });
  });

  it('adds a custom issue inside a transform, at the transformed value', () => {
    const even = z.pipe(z.number(), z.transform((n: number, ctx) => {
      if (n % 2 !== 0) addCustomIssue(ctx, 'must be even');
      return n;
    }));
    expect(even.safeParse(2).success).toBe(true);
    expect(even.safeParse(3).error?.issues).toEqual([{ code: 'custom', message: 'must be even', path: [] }]);
  });
});
