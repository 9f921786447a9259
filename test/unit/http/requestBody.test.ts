import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { readJsonBody } from '../../../lib/http/index.js';

const LIMIT = 64 * 1024;

const request = (body: Buffer | string, headers: Record<string, string>): APIGatewayProxyEventV2 =>
  ({
    body: typeof body === 'string' ? body : body.toString('base64'),
    isBase64Encoded: typeof body !== 'string',
    headers: { 'content-type': 'application/json', ...headers },
  }) as unknown as APIGatewayProxyEventV2;

const read = (body: Buffer | string, headers: Record<string, string> = {}) => {
  try {
    return { value: readJsonBody(request(body, headers), LIMIT) };
  } catch (error) {
    return { error: error as { status: number; code: string; message: string } };
  }
};

describe('Function: readJsonBody (Content-Encoding)', () => {
  it('inflates a gzip body', () => {
    expect(read(gzipSync('{"eventType":"START"}'), { 'Content-Encoding': 'gzip' })).toEqual({ value: { eventType: 'START' } });
  });

  it('answers 413 BODY_TOO_LARGE for a gzip body that inflates past the limit (a zip bomb)', () => {
    const bomb = gzipSync(Buffer.alloc(50 * LIMIT, 0x20));
    expect(bomb.length).toBeLessThan(LIMIT);
    expect(read(bomb, { 'content-encoding': 'gzip' }).error).toMatchObject({ status: 413, code: 'BODY_TOO_LARGE' });
  });

  it('answers 400 for a broken gzip stream', () => {
    const truncated = gzipSync('{"eventType":"START"}').subarray(0, 12);
    expect(read(truncated, { 'content-encoding': 'gzip' }).error).toMatchObject({ status: 400, code: 'INVALID_CONTENT_ENCODING' });
  });

  it('answers 415 for an encoding it does not know', () => {
    expect(read('{}', { 'content-encoding': 'br' }).error).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('br') });
  });

  it('reads a body marked identity as it is', () => {
    expect(read('{"a":1}', { 'content-encoding': 'identity' })).toEqual({ value: { a: 1 } });
  });
});
