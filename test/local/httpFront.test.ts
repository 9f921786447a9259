// The local HTTP front (local/httpFront.ts): the payload-2.0 event it builds from raw bytes, what it makes of a
// function's result, and the whole round trip against a stand-in for serverless offline's Lambda invoke API.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerFromResult, BRIDGE_ROUTES, buildHttpApiEvent, deliveredAsText, HTTP_API_MAX_PAYLOAD_BYTES, joinHeaders, startHttpFront, type HttpFront, type RawRequest,
} from '../../local/httpFront.js';
import { postBytes } from '../helpers/rawHttp.js';

const ROUTE = BRIDGE_ROUTES[1]!; // POST /api/v1/lineage
const AT = new Date(Date.UTC(2026, 2, 12, 19, 3, 58, 390));
const raw = (body: Buffer, headers: Record<string, string>, url = '/api/v1/lineage'): RawRequest => ({
  method: 'POST', url, rawHeaders: Object.entries(headers).flat(), body, sourceIp: '10.0.0.1', at: AT, requestId: 'req-1',
});
const JSON_BODY = Buffer.from('{"eventType":"START","name":"é"}');
const INVALID_UTF8 = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);

describe('buildHttpApiEvent', () => {
  it('hands a JSON body over as text, with the route, paths, lower-cased headers and the request context', () => {
    const event = buildHttpApiEvent(raw(JSON_BODY, { 'Content-Type': 'application/json; charset=UTF-8', Host: 'bridge.local', 'User-Agent': 'curl/8' }, '/api/v1/lineage?a=1&a=2&b=x'), ROUTE);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /api/v1/lineage',
      rawPath: '/api/v1/lineage',
      rawQueryString: 'a=1&a=2&b=x',
      queryStringParameters: { a: '1,2', b: 'x' },
      headers: { 'content-type': 'application/json; charset=UTF-8', host: 'bridge.local', 'user-agent': 'curl/8' },
      requestContext: {
        domainName: 'bridge.local', domainPrefix: 'bridge', routeKey: 'POST /api/v1/lineage', stage: '$default', requestId: 'req-1',
        http: { method: 'POST', path: '/api/v1/lineage', protocol: 'HTTP/1.1', sourceIp: '10.0.0.1', userAgent: 'curl/8' },
        time: '12/Mar/2026:19:03:58 +0000', timeEpoch: AT.getTime(),
      },
      body: JSON_BODY.toString('utf8'),
      isBase64Encoded: false,
    });
  });

  it('hands a gzip body over base64-encoded, byte for byte, with its Content-Encoding', () => {
    const gzipped = gzipSync(JSON_BODY);
    const event = buildHttpApiEvent(raw(gzipped, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }), ROUTE);
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64').equals(gzipped)).toBe(true);
    expect(event.headers['content-encoding']).toBe('gzip');
  });

  it('hands bytes that are not UTF-8 over base64-encoded, unrepaired, even under application/json', () => {
    const event = buildHttpApiEvent(raw(INVALID_UTF8, { 'content-type': 'application/json' }), ROUTE);
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64').equals(INVALID_UTF8)).toBe(true);
  });

  it('omits body, cookies and query parameters that the request does not have; cookies get their own field', () => {
    const empty = buildHttpApiEvent(raw(Buffer.alloc(0), { 'content-type': 'application/json' }), ROUTE);
    expect(empty).not.toHaveProperty('body');
    expect(empty).not.toHaveProperty('cookies');
    expect(empty).not.toHaveProperty('queryStringParameters');
    expect(empty.isBase64Encoded).toBe(false);
    const withCookies = buildHttpApiEvent(raw(JSON_BODY, { 'content-type': 'application/json', Cookie: 'a=1; b=2' }), ROUTE);
    expect(withCookies.cookies).toEqual(['a=1', 'b=2']);
    expect(withCookies.headers).not.toHaveProperty('cookie');
  });
});

describe('deliveredAsText and joinHeaders', () => {
  it.each([
    ['application/json', undefined, true],
    ['application/json; charset=utf-8', 'identity', true],
    ['text/plain', undefined, true],
    ['application/xml', undefined, true],
    ['application/json', 'gzip', false],
    ['application/octet-stream', undefined, false],
    ['application/x-www-form-urlencoded', undefined, false],
    [undefined, undefined, false],
  ])('Content-Type %s, Content-Encoding %s: text %s', (contentType, encoding, text) => {
    expect(deliveredAsText(contentType, encoding, JSON_BODY)).toBe(text);
  });

  it('joins repeated headers with commas under their lower-case name', () => {
    expect(joinHeaders(['X-Tag', 'a', 'x-tag', 'b', 'Accept', '*/*'])).toEqual({ 'x-tag': 'a,b', accept: '*/*' });
  });
});

describe('answerFromResult', () => {
  it('takes a result with a statusCode as the answer, decoding a base64 body', () => {
    expect(answerFromResult({ statusCode: 503, headers: { 'Retry-After': '5', 'content-type': 'application/json' }, body: '{"error":"X"}' })).toEqual({
      statusCode: 503, headers: { 'retry-after': '5', 'content-type': 'application/json' }, cookies: [], body: Buffer.from('{"error":"X"}'),
    });
    expect(answerFromResult({ statusCode: 200, body: Buffer.from([1, 2, 255]).toString('base64'), isBase64Encoded: true }).body).toEqual(Buffer.from([1, 2, 255]));
  });

  it('makes any other JSON the body of a 200 application/json, as payload 2.0 infers', () => {
    expect(answerFromResult({ message: 'hi' })).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"message":"hi"}') });
  });
});

it('serves exactly the httpApi routes of serverless.yml', () => {
  const yml = readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8');
  const declared = [...yml.matchAll(/^ {2}(\w+):\n(?:(?! {2}\w).*\n)*? {6}- httpApi:\n {10}method: (\w+)\n {10}path: (\S+)/gm)].map(
    ([, fn, method, path]) => ({ method, path, functionName: `flink-atlas-bridge-dev-${fn}` }),
  );
  expect(declared).toHaveLength(3);
  expect(new Set(BRIDGE_ROUTES.map((r) => JSON.stringify(r)))).toEqual(new Set(declared.map((r) => JSON.stringify(r))));
});

describe('startHttpFront against a stand-in Lambda invoke API', () => {
  let lambda: Server;
  let front: HttpFront;
  const invoked: Array<{ functionName: string; event: APIGatewayProxyEventV2 }> = [];

  beforeAll(async () => {
    // Echoes what the function got; a body of "throw" plays a function that threw.
    lambda = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as APIGatewayProxyEventV2;
        const functionName = /functions\/([^/]+)\/invocations/.exec(req.url ?? '')?.[1] ?? '';
        invoked.push({ functionName, event });
        if (event.body === 'throw') {
          res.writeHead(200, { 'x-amz-function-error': 'Unhandled' }).end(JSON.stringify({ errorMessage: 'boom' }));
          return;
        }
        const result = { statusCode: 202, headers: { 'Content-Type': 'application/json', 'Retry-After': '7' }, cookies: ['c=1'], body: JSON.stringify({ isBase64Encoded: event.isBase64Encoded, length: event.body?.length ?? 0 }) };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      });
    });
    await new Promise<void>((resolve) => lambda.listen(0, '127.0.0.1', resolve));
    front = await startHttpFront({ port: 0, lambdaPort: (lambda.address() as AddressInfo).port });
  });

  afterAll(async () => {
    await front.close();
    await new Promise((resolve) => lambda.close(resolve));
  });

  const send = (path: string, body: Buffer, headers: Record<string, string>) => postBytes(`${front.url}${path}`, body, headers);

  it('invokes the route\'s function with the gzip bytes intact and writes its answer back (status, headers, cookies, body)', async () => {
    const gzipped = gzipSync(JSON_BODY);
    const answer = await send('/api/v1/lineage', gzipped, { 'content-type': 'application/json; charset=UTF-8', 'content-encoding': 'gzip' });
    expect(answer.status).toBe(202);
    expect(answer.headers['retry-after']).toBe('7');
    expect(answer.headers['set-cookie']).toEqual(['c=1']);
    expect(answer.body).toEqual({ isBase64Encoded: true, length: gzipped.toString('base64').length });
    const last = invoked.at(-1)!;
    expect(last.functionName).toBe('flink-atlas-bridge-dev-openLineage');
    expect(Buffer.from(last.event.body!, 'base64').equals(gzipped)).toBe(true);
  });

  it('answers as API Gateway does itself: 404 off the routes, 413 over 10 MB, 500 when the function threw', async () => {
    expect((await send('/nope', JSON_BODY, { 'content-type': 'application/json' })).status).toBe(404);
    const huge = await send('/flink/events', Buffer.alloc(HTTP_API_MAX_PAYLOAD_BYTES + 1, 0x20), { 'content-type': 'application/json' });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ message: 'Request Entity Too Large' });
    const threw = await send('/flink/jobs', Buffer.from('throw'), { 'content-type': 'application/json' });
    expect(threw.status).toBe(500);
    expect(threw.body).toEqual({ message: 'Internal Server Error' });
  });
});
