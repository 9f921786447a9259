import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getByQualifiedName, json, kafkaTopic, startTestAtlas, type TestAtlas } from './helpers.js';

let atlas: TestAtlas;

beforeAll(async () => {
  atlas = await startTestAtlas();
});

beforeEach(() => {
  atlas.emulator.resetEntities();
  atlas.emulator.resetStats();
});

afterEach(() => {
  atlas.emulator.setFault(undefined);
});

afterAll(async () => {
  await atlas.close();
});

const bulkBody = { entities: [kafkaTopic('orders')] };

describe('fault injection', () => {
  it('answers with the injected status and stores nothing', async () => {
    atlas.emulator.setFault((request) =>
      request.isWrite ? { kind: 'status', status: 503, body: 'busy', headers: { 'Retry-After': '1' } } : undefined,
    );

    const response = await atlas.http.post('/v2/entity/bulk', bulkBody);

    expect(response.status).toBe(503);
    expect(response.data).toBe('busy');
    expect(response.headers['retry-after']).toBe('1');
    expect(atlas.emulator.entities()).toEqual([]);
  });

  it('labels an injected JSON body as application/json', async () => {
    const body = JSON.stringify({ errorCode: 'ATLAS-404-00-007', errorMessage: 'injected' });
    atlas.emulator.setFault(() => ({ kind: 'status', status: 404, body }));

    const response = await atlas.http.post('/v2/entity/bulk', bulkBody);

    expect(response.status).toBe(404);
    expect(String(response.headers['content-type'])).toMatch(/^application\/json/);
    expect(json(response)).toEqual({ errorCode: 'ATLAS-404-00-007', errorMessage: 'injected' });
  });

  it('passes the method, path and write flag to the fault decider', async () => {
    const seen: unknown[] = [];
    atlas.emulator.setFault((request) => {
      seen.push(request);
      return undefined;
    });

    await atlas.http.post('/v2/entity/bulk', bulkBody);

    expect(seen).toEqual([{ method: 'POST', path: '/api/atlas/v2/entity/bulk', isWrite: true }]);
  });

  it('drops the connection without an answer and stores nothing on reset', async () => {
    atlas.emulator.setFault(() => ({ kind: 'reset' }));

    const failure = await atlas.http.post('/v2/entity/bulk', bulkBody).catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: expect.stringMatching(/ECONNRESET|ERR_BAD_RESPONSE|socket hang up/) });
    expect(atlas.emulator.entities()).toEqual([]);
  });

  it('stores the write but loses the answer on applyThenReset', async () => {
    atlas.emulator.setFault((request) => (request.isWrite ? { kind: 'applyThenReset' } : undefined));

    const failure = await atlas.http.post('/v2/entity/bulk', bulkBody).catch((error: unknown) => error);
    const stored = await getByQualifiedName(atlas.http, 'kafka_topic', 'orders@prod');

    expect(failure).toBeInstanceOf(Error);
    expect(stored.status).toBe(200);
  });

  it('lets the client time out first on hang, then applies the write', async () => {
    atlas.emulator.setFault((request) => (request.isWrite ? { kind: 'hang', ms: 300 } : undefined));

    const failure = await atlas.http.post('/v2/entity/bulk', bulkBody, { timeout: 50 }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 400));

    expect(failure).toMatchObject({ code: 'ECONNABORTED' });
    expect(atlas.emulator.entities()).toHaveLength(1);
  });
});

describe('stats', () => {
  it('counts reads and writes that reach the store, by route', async () => {
    await atlas.http.post('/v2/entity/bulk', bulkBody);
    await atlas.http.get('/v2/entity/uniqueAttribute/type/kafka_topic?attr:qualifiedName=orders@prod');
    await atlas.http.get('/v2/entity/uniqueAttribute/type/kafka_topic?attr:qualifiedName=other@prod');

    expect(atlas.emulator.stats).toEqual({
      reads: 2,
      writes: 1,
      requests: 3,
      byRoute: { 'POST /v2/entity/bulk': 1, 'GET /v2/entity/uniqueAttribute/type/{typeName}': 2 },
    });
  });

  it('does not count faulted calls, unauthenticated calls or the status endpoint', async () => {
    atlas.emulator.setFault((request) => (request.isWrite ? { kind: 'status', status: 500 } : undefined));

    await atlas.http.post('/v2/entity/bulk', bulkBody);
    await atlas.http.get('/admin/status');
    await atlas.http.get('/v2/types/typedefs/headers', { auth: { username: 'admin', password: 'wrong' } });

    expect(atlas.emulator.stats).toMatchObject({ reads: 0, writes: 0, requests: 0 });
  });

  it('starts again from zero after resetStats', async () => {
    await atlas.http.get('/v2/types/typedefs/headers');

    atlas.emulator.resetStats();

    expect(atlas.emulator.stats).toEqual({ reads: 0, writes: 0, requests: 0, byRoute: {} });
    expect(json<unknown[]>(await atlas.http.get('/v2/types/typedefs/headers')).length).toBeGreaterThan(50);
  });
});
