import { describe, expect, it } from 'vitest';
import { checkJsonLimits, DEFAULT_JSON_LIMITS, FORBIDDEN_KEYS, type JsonLimits } from '../../../lib/http/jsonLimits.js';

const limits = (extra: Partial<JsonLimits>): JsonLimits => ({ ...DEFAULT_JSON_LIMITS, ...extra });

describe('checkJsonLimits', () => {
  it('accepts a body exactly at each limit', () => {
    const tight = limits({ maxDepth: 2, maxStringChars: 3, maxKeyChars: 3, maxArrayItems: 2, maxObjectKeys: 2 });
    expect(checkJsonLimits({ abc: ['xyz', 1], b: null }, tight)).toEqual([]);
  });

  it('refuses nesting past the depth limit, pointing at the first container too deep', () => {
    expect(checkJsonLimits({ a: { b: {} } }, limits({ maxDepth: 2 }))).toEqual([
      { code: 'JSON_TOO_DEEP', pointer: '/a/b', message: 'nested deeper than 2 levels' },
    ]);
    expect(checkJsonLimits({ a: { b: 'deep scalars are fine' } }, limits({ maxDepth: 2 }))).toEqual([]);
  });

  it("refuses every prototype key wherever it is, an object's own keys first, and goes on past them", () => {
    const body = JSON.parse('{"a":{"__proto__":{"x":1}},"b":[{"constructor":1}],"prototype":2,"c":{"d":"x"}}') as unknown;
    expect(checkJsonLimits(body, limits({ maxStringChars: 0 })).map((p) => [p.code, p.pointer])).toEqual([
      ['FORBIDDEN_KEY', '/prototype'],
      ['FORBIDDEN_KEY', '/a/__proto__'],
      ['FORBIDDEN_KEY', '/b/0/constructor'],
      ['STRING_TOO_LONG', '/c/d'],
    ]);
    expect([...FORBIDDEN_KEYS]).toEqual(['__proto__', 'constructor', 'prototype']);
  });

  it('escapes keys in pointers', () => {
    expect(checkJsonLimits({ 'a/b': { '~': 'xx' } }, limits({ maxStringChars: 1 }))[0]?.pointer).toBe('/a~1b/~0');
  });

  it('reports at most 20 problems', () => {
    const body = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}-long-key`, 1]));
    expect(checkJsonLimits(body, limits({ maxKeyChars: 3 }))).toHaveLength(20);
  });

  it('counts every value of the body, containers included', () => {
    expect(checkJsonLimits([1, 2], limits({ maxValues: 3 }))).toEqual([]);
    expect(checkJsonLimits([1, 2, 3], limits({ maxValues: 3 }))).toEqual([
      { code: 'TOO_MANY_VALUES', pointer: '/2', message: 'the body holds more than 3 JSON values' },
    ]);
  });
});
