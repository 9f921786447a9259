import { describe, expect, it } from 'vitest';
import { ownField } from '../../../lib/contract/jsonField.js';

describe('ownField', () => {
  it('reads an own-property path, undefined past anything but an object', () => {
    const body = { run: { facets: { flink_job: { id: 'j' } } }, list: [{ a: 1 }], n: 3 };
    expect(ownField(body, 'run', 'facets', 'flink_job', 'id')).toBe('j');
    expect(ownField(body, 'run', 'missing', 'id')).toBeUndefined();
    expect(ownField(body, 'list', '0', 'a')).toBeUndefined();
    expect(ownField(body, 'n', 'x')).toBeUndefined();
    expect(ownField(null, 'x')).toBeUndefined();
    expect(ownField(body)).toBe(body);
  });

  it('never reads an inherited key, and reads a body\'s own __proto__ key as data', () => {
    expect(ownField({}, 'constructor')).toBeUndefined();
    expect(ownField({ job: {} }, 'job', 'toString')).toBeUndefined();
    expect(ownField(JSON.parse('{"__proto__":{"name":"x"}}'), '__proto__', 'name')).toBe('x');
  });
});
