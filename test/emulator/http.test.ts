import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atlasClient, json, startTestAtlas, type TestAtlas } from './helpers.js';

let atlas: TestAtlas;

beforeAll(async () => {
  atlas = await startTestAtlas({ users: { admin: 'admin', bridge: 's3cret' } });
});

afterAll(async () => {
  await atlas.close();
});

describe('authentication', () => {
  it('answers GET /admin/status without credentials with {"Status":"ACTIVE"}', async () => {
    const response = await atlasClient(atlas.emulator.url).get('/admin/status');

    expect(response.status).toBe(200);
    expect(json(response)).toEqual({ Status: 'ACTIVE' });
  });

  it('rejects a call without credentials with 401 and a non-JSON body', async () => {
    const response = await atlasClient(atlas.emulator.url).get('/v2/types/typedefs/headers');

    expect(response.status).toBe(401);
    expect(String(response.headers['content-type'])).toMatch(/text\/html/);
    expect(() => JSON.parse(String(response.data))).toThrow();
  });

  it('rejects a wrong password with 401', async () => {
    const response = await atlasClient(atlas.emulator.url, { username: 'admin', password: 'nope' }).get('/v2/types/typedefs/headers');

    expect(response.status).toBe(401);
  });

  it('accepts every configured user and records it as createdBy', async () => {
    const bridge = atlasClient(atlas.emulator.url, { username: 'bridge', password: 's3cret' });
    const created = await bridge.post('/v2/entity/bulk', {
      entities: [{ typeName: 'kafka_topic', attributes: { qualifiedName: 'auth@prod', name: 'auth', topic: 'auth', uri: 'b:9092' } }],
    });
    const read = await bridge.get('/v2/entity/uniqueAttribute/type/kafka_topic?attr:qualifiedName=auth@prod');

    expect(created.status).toBe(200);
    expect(json<{ entity: { createdBy: string } }>(read).entity.createdBy).toBe('bridge');
  });
});

describe('request errors', () => {
  it('answers a malformed JSON body with 400 {"error": …}', async () => {
    const response = await atlas.http.post('/v2/entity/bulk', '{"entities": [', {
      headers: { 'Content-Type': 'application/json' },
      transformRequest: [(data: unknown) => data],
    });

    expect(response.status).toBe(400);
    expect(Object.keys(json(response))).toEqual(['error']);
  });

  it('answers an unknown route with a plain-text 404', async () => {
    const response = await atlas.http.get('/v2/no/such/route');

    expect(response.status).toBe(404);
    expect(String(response.data)).toMatch(/^There was an error processing your request\. It has been logged \(ID [0-9a-f]+\)\.$/);
  });

  it('answers an empty bulk request with 400 ATLAS-400-00-01A', async () => {
    const response = await atlas.http.post('/v2/entity/bulk', { entities: [] });

    expect(response.status).toBe(400);
    expect(json(response)).toEqual({
      errorCode: 'ATLAS-400-00-01A',
      errorMessage: 'invalid parameters: no entities to create/update.',
    });
  });
});
