// The body checks before any schema: strict UTF-8, depth, sizes, prototype keys; each names the problem
// and the JSON pointer where it is.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { checkJsonLimits, DEFAULT_JSON_LIMITS, firstInvalidUtf8, readJsonBody } from '../../../lib/http/index.js';

const LIMIT = 1024 * 1024;

const request = (body: Buffer | string): APIGatewayProxyEventV2 =>
  ({
    body: typeof body === 'string' ? body : body.toString('base64'),
    isBase64Encoded: typeof body !== 'string',
    headers: { 'content-type': 'application/json' },
  }) as unknown as APIGatewayProxyEventV2;

const refusal = (body: Buffer | string) => {
  try {
    readJsonBody(request(body), LIMIT);
  } catch (error) {
    return error as { status: number; code: string; message: string; problems: { pointer: string; message: string }[] };
  }
  throw new Error('expected a refusal');
};

describe('Function: readJsonBody (hostile bodies)', () => {
  it('refuses bytes that are not UTF-8 with 400 INVALID_UTF8 and the byte offset, instead of repairing them', () => {
    const body = Buffer.concat([Buffer.from('{"job":{"name":"caf'), Buffer.from([0xe9]), Buffer.from('"}}')]);
    expect(refusal(body)).toMatchObject({ status: 400, code: 'INVALID_UTF8', problems: [{ pointer: '', message: expect.stringContaining('byte offset 19') }] });
  });

  it('finds overlong encodings, UTF-16 surrogates and truncated sequences', () => {
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xc0, 0xaf]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0x41, 0x42, 0xf0, 0x9f]))).toBe(2);
    expect(firstInvalidUtf8(Buffer.from('naïve ✓ 𝄞'))).toBe(-1);
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(readJsonBody(request(Buffer.from('\uFEFF{"a":1}')), LIMIT)).toEqual({ a: 1 });
  });

  it('refuses nesting deeper than 64 with the pointer of the first level too deep', () => {
    const deep = `${'['.repeat(65)}${']'.repeat(65)}`;
    const error = refusal(deep);
    expect(error).toMatchObject({ status: 400, code: 'JSON_TOO_DEEP' });
    expect(error.problems[0]?.pointer).toBe('/0'.repeat(64));
    expect(readJsonBody(request(`${'['.repeat(64)}${']'.repeat(64)}`), LIMIT)).toBeDefined();
  });

  it('survives a million levels of nesting (no recursion anywhere)', () => {
    expect(checkJsonLimits(JSON.parse(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`))[0]?.code).toBe('JSON_TOO_DEEP');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s anywhere, with its pointer', (key) => {
    const error = refusal(`{"type":"job.result","job":{"name":"a"},"result":{"accumulators":{"${key}":{"polluted":true}}}}`);
    expect(error).toMatchObject({ status: 400, code: 'FORBIDDEN_KEY', problems: [{ pointer: `/result/accumulators/${key}` }] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('escapes pointer tokens (RFC 6901) and reports every forbidden key, in document order', () => {
    const error = refusal('[{"a/b~c":{"__proto__":1}},{"x":{"constructor":2}}]');
    expect(error.problems.map((p) => p.pointer)).toEqual(['/0/a~1b~0c/__proto__', '/1/x/constructor']);
  });

  it('bounds strings, keys, arrays, objects and the whole value count', () => {
    const limits = { ...DEFAULT_JSON_LIMITS, maxStringChars: 10, maxKeyChars: 5, maxArrayItems: 3, maxObjectKeys: 2, maxValues: 30 };
    expect(checkJsonLimits({ a: { b: 'x'.repeat(11) } }, limits)).toMatchObject([{ code: 'STRING_TOO_LONG', pointer: '/a/b' }]);
    expect(checkJsonLimits({ a: { abcdef: 1 } }, limits)).toMatchObject([{ code: 'KEY_TOO_LONG', pointer: '/a' }]);
    expect(checkJsonLimits({ a: [1, 2, 3, 4] }, limits)).toMatchObject([{ code: 'ARRAY_TOO_LONG', pointer: '/a' }]);
    expect(checkJsonLimits({ a: { x: 1, y: 2, z: 3 } }, limits)).toMatchObject([{ code: 'TOO_MANY_KEYS', pointer: '/a' }]);
    expect(checkJsonLimits(Array.from({ length: 3 }, () => Array.from({ length: 3 }, () => [1, 2, 3])), limits)[0]).toMatchObject({ code: 'TOO_MANY_VALUES' });
    expect(checkJsonLimits({ a: ['ok', 1, null], b: { c: true } }, limits)).toEqual([]);
  });

  it('lets hostile but valid strings through untouched: they are data', () => {
    const name = "x'; DROP TABLE jobs; -- <script>alert(1)</script> \u0000\u001b[31m\u202e";
    expect(readJsonBody(request(JSON.stringify({ job: { name } })), LIMIT)).toEqual({ job: { name } });
  });
});
