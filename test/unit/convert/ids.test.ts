import { describe, expect, it } from 'vitest';
import { nameBasedUuid } from '../../../lib/convert/ids.js';

describe('nameBasedUuid', () => {
  it('gives the same RFC 9562 version 5 uuid for the same parts, always', () => {
    const id = nameBasedUuid('openlineage', 'run-1', 'START');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(nameBasedUuid('openlineage', 'run-1', 'START')).toBe(id);
    // Pinned: a change of namespace or hashing would change every derived eventId of a retried POST.
    expect(nameBasedUuid('a')).toBe('032028f6-47cb-5e3b-b9f0-aa253c8e962a'); // = Python's uuid.uuid5(namespace, 'a')
  });

  it('keeps parts apart: moving a separator changes the id', () => {
    expect(nameBasedUuid('ab', 'c')).not.toBe(nameBasedUuid('a', 'bc'));
    expect(nameBasedUuid('a', 'b')).not.toBe(nameBasedUuid('b', 'a'));
  });
});
