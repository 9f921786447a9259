// Malformed and hostile requests for the fuzz test, generated with fast-check: arbitraries for transport,
// encoding, JSON and shape attacks, and mutations of valid events (schema/examples, the openlineage-flink
// fixtures, Flink REST job JSON) that are each sure to be refused. Every case says what it is (`kind`), so a
// non-4xx answer points at the generator, not at a needle in 10,000 bodies.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { FIXTURES, fillFixture } from '../helpers/openLineage.js';
import { restJob } from '../helpers/flinkRest.js';
import { bearer, signatureHeaders, TEST_API_KEY } from '../helpers/signing.js';

export type FuzzRoute = 'flinkEvents' | 'openLineage' | 'flinkJobs';

export interface FuzzCase {
  kind: string;
  route: FuzzRoute;
  body: Buffer;
  headers: Record<string, string>;
  query?: Record<string, string>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const EXAMPLES_DIR = new URL('../../schema/examples/', import.meta.url);

/** Valid events of every native type, as published. */
export const nativeCorpus = (): Record<string, Json>[] =>
  readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(new URL(f, EXAMPLES_DIR), 'utf8')) as Record<string, Json>);

export const openLineageCorpus = (): Record<string, Json>[] => FIXTURES.map((name) => fillFixture(name) as Record<string, Json>);

export const flinkRestCorpus = (): Record<string, Json>[] =>
  ['RUNNING', 'FINISHED', 'FAILED', 'CANCELED'].map((state) => restJob(state) as Record<string, Json>);

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const HOSTILE_STRINGS = [
  "'; DROP TABLE flink_job; --", '<script>alert(1)</script>', '${jndi:ldap://x/a}', '{{7*7}}', '\u0000\u0007\u001b[2J',
  '\u202e', '../../etc/passwd', '%00', '\\', '"', '🦩'.repeat(50), 'a'.repeat(5000),
];

/** Every object in a JSON value, with its path, to pick one from. */
const objectsIn = (value: Json, path: (string | number)[] = []): { path: (string | number)[]; object: { [key: string]: Json } }[] => {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => objectsIn(v, [...path, i]));
  return [{ path, object: value }, ...Object.entries(value).flatMap(([k, v]) => objectsIn(v, [...path, k]))];
};

/** JSON text of `event` with `key: value` added to the object at position `at` (modulo their count), as raw text so __proto__ survives. */
const withKeyAt = (event: Json, at: number, key: string, value: string): string => {
  const objects = objectsIn(event);
  const target = objects[at % objects.length]?.object ?? {};
  const marker = `__fuzz_marker_${at}__`;
  target[marker] = 0;
  return JSON.stringify(event).replace(`"${marker}":0`, `${JSON.stringify(key)}:${value}`);
};

const nested = (depth: number, leaf: string, arrays: boolean): string =>
  arrays ? `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;

/** A valid event whose first object gets one more field holding `raw` JSON text. */
const withRawField = (event: Json, raw: string): string => JSON.stringify(event).replace(/^\{/, `{"fuzz":${raw},`);

// Bytes no UTF-8 text holds anywhere, and continuation bytes (one more than any lead byte asks for is always an error).
const INVALID_UTF8_BYTES = [0xc0, 0xc1, 0xf5, 0xf8, 0xfe, 0xff, 0x80, 0x9f, 0xbf];

const MAX_BODY_BYTES = 1024 * 1024;
const GZIP_BOMB = gzipSync(Buffer.alloc(40 * MAX_BODY_BYTES, 0x20));

/** The credentials a route takes in the fuzz stack, correct ones: the case then reaches the body checks. */
const credentialsFor = (route: FuzzRoute, signedBytes: Buffer, pick: number): Record<string, string> => {
  if (route === 'flinkEvents') return signatureHeaders(signedBytes);
  if (route === 'openLineage') return bearer();
  return pick % 2 === 0 ? signatureHeaders(signedBytes) : bearer();
};

const QUERY: Partial<Record<FuzzRoute, Record<string, string>>> = { flinkJobs: { cluster: 'flink-prod' } };

/** A request with correct credentials over `body` (the bytes after Content-Encoding is undone: `signed`). */
const request = (kind: string, route: FuzzRoute, body: Buffer | string, extra: Record<string, string> = {}, signed?: Buffer, pick = 0): FuzzCase => {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return {
    kind,
    route,
    body: bytes,
    headers: { 'content-type': 'application/json', ...credentialsFor(route, signed ?? bytes, pick), ...extra },
    ...(QUERY[route] === undefined ? {} : { query: QUERY[route] }),
  };
};

export const fuzzCases = (): fc.Arbitrary<FuzzCase> => {
  const native = nativeCorpus();
  const openLineage = openLineageCorpus();
  const rest = flinkRestCorpus();
  const anyRoute = fc.constantFrom<FuzzRoute>('flinkEvents', 'openLineage', 'flinkJobs');
  /** A valid body for the route, as a JSON value. */
  const validFor = (route: FuzzRoute) => fc.constantFrom(...(route === 'flinkEvents' ? native : route === 'openLineage' ? openLineage : rest)).map(clone);
  const routeAndValid = anyRoute.chain((route) => validFor(route).map((event) => ({ route, event })));

  // ---- transport and encoding -------------------------------------------------------------------------------
  const invalidUtf8 = fc.tuple(routeAndValid, fc.nat(), fc.constantFrom(...INVALID_UTF8_BYTES)).map(([{ route, event }, at, byte]) => {
    const text = Buffer.from(JSON.stringify(event), 'utf8');
    const i = at % (text.length + 1);
    return request('invalid-utf8', route, Buffer.concat([text.subarray(0, i), Buffer.from([byte]), text.subarray(i)]));
  });
  const wrongContentType = fc.tuple(routeAndValid, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx', 'json', 'text/json', ''))
    .map(([{ route, event }, type]) => request('content-type', route, JSON.stringify(event), { 'content-type': type }));
  const unknownEncoding = fc.tuple(routeAndValid, fc.constantFrom('br', 'deflate', 'compress', 'gzip, br', 'zstd', 'gzip;q=1'))
    .map(([{ route, event }, encoding]) => request('content-encoding', route, JSON.stringify(event), { 'content-encoding': encoding }));
  const brokenGzip = fc.tuple(routeAndValid, fc.boolean()).map(([{ route, event }, truncated]) => {
    const text = JSON.stringify(event);
    const body = truncated ? gzipSync(text).subarray(0, 15) : Buffer.from(text);
    return request('gzip-broken', route, body, { 'content-encoding': 'gzip' }, Buffer.from(text));
  });
  const gzipBomb = anyRoute.map((route) => request('gzip-bomb', route, GZIP_BOMB, { 'content-encoding': 'gzip' }, Buffer.from('{}')));
  const oversize = fc.tuple(routeAndValid, fc.integer({ min: 1, max: 4096 })).map(([{ route, event }, extra]) => {
    const text = JSON.stringify(event);
    return request('oversize', route, text.replace(/^\{/, `{${' '.repeat(MAX_BODY_BYTES - text.length + extra)}`));
  });
  const empty = fc.tuple(anyRoute, fc.constantFrom('', ' ', '\n\t\r ', '\uFEFF')).map(([route, body]) => request('empty', route, body));

  // ---- JSON syntax -----------------------------------------------------------------------------------------
  const truncated = fc.tuple(routeAndValid, fc.nat()).map(([{ route, event }, at]) => {
    const text = JSON.stringify(event);
    return request('truncated', route, text.slice(0, 1 + (at % (text.length - 1))));
  });
  const trailingGarbage = fc.tuple(routeAndValid, fc.constantFrom('}', ']', ',', 'x', '{}', '"', 'null')).map(([{ route, event }, tail]) =>
    request('trailing-garbage', route, `${JSON.stringify(event)}${tail}`));
  const notJson = fc.tuple(fc.constantFrom<FuzzRoute>('flinkEvents', 'flinkJobs'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }))
    .filter(([, text]) => {
      try {
        JSON.parse(text);
        return false;
      } catch {
        return text.trim() !== '';
      }
    })
    .map(([route, text]) => request('not-json', route, text));

  // ---- shape limits and prototype keys ---------------------------------------------------------------------
  const tooDeep = fc.tuple(routeAndValid, fc.integer({ min: 65, max: 3000 }), fc.boolean())
    .map(([{ route, event }, depth, arrays]) => request('too-deep', route, withRawField(event, nested(depth, '"x"', arrays))));
  const protoKey = fc.tuple(routeAndValid, fc.nat(), fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.constantFrom('{"polluted":true}', '{"prototype":{"polluted":true}}', '1', '"x"', 'null'))
    .map(([{ route, event }, at, key, value]) => request('prototype-key', route, withKeyAt(event, at, key, value)));
  const tooBig = fc.tuple(routeAndValid, fc.constantFrom('array', 'keys', 'values')).map(([{ route, event }, what]) => {
    const raw = what === 'array' ? `[${Array.from({ length: 10_001 }, () => '0').join(',')}]`
      : what === 'keys' ? `{${Array.from({ length: 10_001 }, (_, i) => `"k${i}":0`).join(',')}}`
        : `[${Array.from({ length: 100 }, () => `[${Array.from({ length: 2_100 }, () => '0').join(',')}]`).join(',')}]`;
    return request(`too-big-${what}`, route, withRawField(event, raw));
  });

  // ---- schema: mutations of valid events, each sure to be refused -----------------------------------------
  const envelopeMutation = fc.tuple(
    fc.constantFrom(...native).map(clone),
    fc.constantFrom('eventId', 'eventTime', 'type', 'cluster', 'drop-eventId', 'drop-type', 'not-an-object'),
    fc.constantFrom(...HOSTILE_STRINGS),
  ).map(([event, chosen, hostile]): Json => {
    const mutated = event as { [key: string]: Json };
    // dataset.metadata names no cluster: a hostile one would be an unknown field, ignored; break its id instead.
    const field = chosen === 'cluster' && !('cluster' in mutated) ? 'eventId' : chosen;
    if (field === 'not-an-object') return hostile;
    if (field.startsWith('drop-')) delete mutated[field.slice(5)];
    else if (field === 'cluster') mutated.cluster = `${hostile.slice(0, 50)}/@ x`;
    else mutated[field] = field === 'type' ? `job.${hostile}` : hostile;
    return mutated;
  });
  const invalidNative = fc.oneof(
    envelopeMutation.map((event) => request('invalid-event', 'flinkEvents', JSON.stringify(event))),
    fc.array(envelopeMutation, { minLength: 1, maxLength: 5 }).map((events) => request('invalid-batch', 'flinkEvents', JSON.stringify(events))),
    fc.integer({ min: 501, max: 700 }).map((n) => request('too-many-events', 'flinkEvents', JSON.stringify(Array.from({ length: n }, () => native[0])))),
    fc.constant(request('empty-batch', 'flinkEvents', '[]')),
  );
  const randomJson = fc.jsonValue({ maxDepth: 5 }).map((value) => request('random-json', 'flinkEvents', JSON.stringify(value)));
  const invalidOpenLineage = fc.tuple(fc.constantFrom(...openLineage).map(clone), fc.constantFrom('runId', 'eventTime', 'array', 'namespace'), fc.constantFrom(...HOSTILE_STRINGS))
    .map(([event, field, hostile]) => {
      const e = event as { run: { [key: string]: Json }; job: { [key: string]: Json }; [key: string]: Json };
      if (field === 'array') return request('openlineage-array', 'openLineage', JSON.stringify([e]));
      if (field === 'runId') e.run.runId = hostile;
      else if (field === 'eventTime') e.eventTime = hostile;
      else e.job.namespace = hostile.length > 128 ? hostile : `${hostile}${'n'.repeat(129)}`;
      return request(`openlineage-${field}`, 'openLineage', JSON.stringify(e));
    });
  const invalidFlinkRest = fc.tuple(fc.constantFrom(...rest).map(clone), fc.constantFrom('jid', 'state', 'drop-jid', 'no-cluster', 'bad-cluster'), fc.constantFrom(...HOSTILE_STRINGS), fc.nat())
    .map(([job, field, hostile, pick]) => {
      const j = job as { [key: string]: Json };
      if (field === 'drop-jid') delete j.jid;
      else if (field === 'jid' || field === 'state') j[field] = hostile;
      const base = request(`flink-rest-${field}`, 'flinkJobs', JSON.stringify(j), {}, undefined, pick);
      if (field === 'no-cluster') return { ...base, query: {} };
      if (field === 'bad-cluster') return { ...base, query: { cluster: `a/${hostile.slice(0, 20)} b` } };
      return base;
    });

  // ---- credentials -------------------------------------------------------------------------------------------
  const brokenAuth = fc.tuple(routeAndValid, fc.constantFrom('unsigned', 'other-secret', 'tampered', 'stale', 'future', 'bad-header', 'half-headers', 'no-key', 'wrong-key', 'basic', 'empty-bearer'))
    .map(([{ route, event }, how]) => {
      const body = Buffer.from(JSON.stringify(event));
      const signed = signatureHeaders(body);
      const now = Math.floor(Date.now() / 1000);
      const signatureFor = route !== 'openLineage';
      const keyFor = route !== 'flinkEvents';
      const credentials: Record<string, string> = (() => {
        switch (how) {
          case 'other-secret': return signatureFor ? signatureHeaders(body, { secret: 'whsec_b3RoZXItc2VjcmV0LW9mLWFub3RoZXItc2VuZGVy' }) : bearer(`${TEST_API_KEY}x`);
          case 'tampered': return signatureFor ? signatureHeaders(Buffer.concat([body, Buffer.from(' ')])) : bearer(TEST_API_KEY.toUpperCase());
          case 'stale': return signatureFor ? signatureHeaders(body, { timestamp: now - 301 - (body.length % 1000) }) : bearer('');
          case 'future': return signatureFor ? signatureHeaders(body, { timestamp: now + 400 }) : { authorization: 'Bearer' };
          case 'bad-header': return signatureFor ? { ...signed, 'webhook-signature': 'v1,not-base64 v2,abc' } : { authorization: `Token ${TEST_API_KEY}` };
          case 'half-headers': return signatureFor ? { 'webhook-id': signed['webhook-id'] ?? '' } : bearer('short');
          case 'no-key': return keyFor ? {} : { 'webhook-signature': signed['webhook-signature'] ?? '' };
          case 'wrong-key': return keyFor && !signatureFor ? bearer('test-api-key-ffffffffffffffff') : { ...signed, 'webhook-id': 'msg_other' };
          case 'basic': return { authorization: 'Basic YWRtaW46YWRtaW4=' };
          case 'empty-bearer': return { authorization: 'Bearer ' };
          default: return {};
        }
      })();
      return {
        kind: `auth-${how}`,
        route,
        body,
        headers: { 'content-type': 'application/json', ...credentials },
        ...(QUERY[route] === undefined ? {} : { query: QUERY[route] }),
      };
    });

  return fc.oneof(
    { arbitrary: invalidUtf8, weight: 10 },
    { arbitrary: wrongContentType, weight: 5 },
    { arbitrary: unknownEncoding, weight: 4 },
    { arbitrary: brokenGzip, weight: 4 },
    { arbitrary: gzipBomb, weight: 1 },
    { arbitrary: oversize, weight: 1 },
    { arbitrary: empty, weight: 2 },
    { arbitrary: truncated, weight: 10 },
    { arbitrary: trailingGarbage, weight: 4 },
    { arbitrary: notJson, weight: 4 },
    { arbitrary: tooDeep, weight: 6 },
    { arbitrary: protoKey, weight: 8 },
    { arbitrary: tooBig, weight: 1 },
    { arbitrary: invalidNative, weight: 12 },
    { arbitrary: randomJson, weight: 8 },
    { arbitrary: invalidOpenLineage, weight: 6 },
    { arbitrary: invalidFlinkRest, weight: 6 },
    { arbitrary: brokenAuth, weight: 12 },
  );
};
