// The client against a scripted HTTP server on a free port: what it sends, and how it reads each answer.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AtlasClient, bulkReadQuery, USER_AGENT } from '../../../lib/atlas/client.js';
import { AtlasError } from '../../../lib/atlas/errors.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang' | 'reset';

let server: Server;
let baseUrl: string;
let seen: Seen[];
let answers: Answer[];

const answer = (...next: Answer[]) => {
  answers = next;
};

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const next = answers.shift() ?? { status: 200, body: {} };
      if (next === 'hang') return;
      if (next === 'reset') {
        request.socket.destroy();
        return;
      }
      const text = typeof next.body === 'string' ? next.body : JSON.stringify(next.body ?? {});
      response.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
  answers = [];
});

const client = (timeoutMs = 2000) => new AtlasClient({ baseUrl, user: 'admin', password: 'pä:ss', timeoutMs });

describe('AtlasClient requests', () => {
  it('sends basic auth and a non-browser User-Agent under /api/atlas', async () => {
    answer({ status: 200, body: { mutatedEntities: {} } });
    await client().bulkWrite({ entities: [{ typeName: 'flink_job', attributes: { qualifiedName: 'q' } }] });
    const request = seen[0];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/atlas/v2/entity/bulk');
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('admin:pä:ss', 'utf8').toString('base64')}`);
    expect(request?.headers['user-agent']).toBe(USER_AGENT);
    expect(JSON.parse(request?.body ?? '')).toEqual({ entities: [{ typeName: 'flink_job', attributes: { qualifiedName: 'q' } }] });
  });

  it('checks health without credentials', async () => {
    answer({ status: 200, body: { Status: 'ACTIVE' } }, { status: 200, body: {} });
    expect(await client().status()).toBe('ACTIVE');
    expect(await client().status()).toBe('UNKNOWN');
    expect(seen[0]?.url).toBe('/api/atlas/admin/status');
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it('reads many entities in one call by qualifiedName, and makes no call for none', async () => {
    answer({ status: 200, body: { entities: [{ typeName: 'kafka_topic', attributes: { qualifiedName: 'a@p' } }] } }, { status: 200, body: {} });
    expect(await client().getEntitiesByQualifiedNames([], 'DataSet')).toEqual([]);
    expect(seen).toHaveLength(0);
    const entities = await client().getEntitiesByQualifiedNames(['a@p', 'b&c@p'], 'DataSet');
    expect(entities.map((e) => e.attributes.qualifiedName)).toEqual(['a@p']);
    expect(seen[0]?.url).toBe(`/api/atlas/v2/entity/bulk/uniqueAttribute/type/DataSet?${bulkReadQuery(['a@p', 'b&c@p'])}`);
    expect(await client().getEntitiesByQualifiedNames(['x'], 'DataSet')).toEqual([]);
  });

  it('builds the bulk read query with minimal extra info and one numbered attribute per name', () => {
    const params = new URLSearchParams(bulkReadQuery(['a@p', 'b&c@p']));
    expect([...params]).toEqual([['minExtInfo', 'true'], ['ignoreRelationships', 'true'], ['attr_0:qualifiedName', 'a@p'], ['attr_1:qualifiedName', 'b&c@p']]);
  });

  it('reads one entity, undefined when Atlas holds none', async () => {
    answer({ status: 200, body: { entity: { typeName: 'flink_table', attributes: { qualifiedName: 't' } } } }, { status: 404, body: { errorCode: 'ATLAS-404-00-009', errorMessage: 'not found' } });
    expect((await client().getEntityByQualifiedName('flink_table', 't'))?.entity.typeName).toBe('flink_table');
    expect(await client().getEntityByQualifiedName('flink_table', 'gone')).toBeUndefined();
    expect(seen[1]?.url).toBe('/api/atlas/v2/entity/uniqueAttribute/type/flink_table?attr:qualifiedName=gone');
  });

  it('deletes idempotently: an entity already gone is no error, another failure is', async () => {
    answer({ status: 404, body: { errorCode: 'ATLAS-404-00-009', errorMessage: 'gone' } }, { status: 404, body: { errorCode: 'ATLAS-404-00-001', errorMessage: 'no type' } });
    expect(await client().deleteByQualifiedName('flink_table', 't')).toEqual({});
    expect(seen[0]?.method).toBe('DELETE');
    await expect(client().deleteByQualifiedName('no_type', 't')).rejects.toMatchObject({ kind: 'permanent', details: { atlasCode: 'ATLAS-404-00-001' } });
  });

  it('treats a relationship that exists already (409) as created', async () => {
    answer({ status: 409, body: { errorCode: 'ATLAS-409-00-004', errorMessage: 'exists' } }, { status: 400, body: { errorCode: 'ATLAS-400-00-01A', errorMessage: 'bad end' } });
    const relationship = { typeName: 'dataset_process_inputs', end1: { guid: 'g1' }, end2: { guid: 'g2' } };
    await client().createRelationship(relationship);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/atlas/v2/relationship' });
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual(relationship);
    await expect(client().createRelationship(relationship)).rejects.toBeInstanceOf(AtlasError);
  });

  it('reads a typedef by name, undefined for an unknown type, and writes typedefs with POST and PUT', async () => {
    answer({ status: 200, body: { name: 'flink_job' } }, { status: 404, body: { errorCode: 'ATLAS-404-00-001', errorMessage: 'unknown' } }, { status: 200, body: {} }, { status: 200, body: {} });
    expect(await client().getTypedefByName('flink_job')).toEqual({ name: 'flink_job' });
    expect(await client().getTypedefByName('nope')).toBeUndefined();
    await client().createTypedefs({ entityDefs: [] });
    await client().updateTypedefs({ entityDefs: [] });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/atlas/v2/types/typedef/name/flink_job',
      'GET /api/atlas/v2/types/typedef/name/nope',
      'POST /api/atlas/v2/types/typedefs',
      'PUT /api/atlas/v2/types/typedefs',
    ]);
  });

  it('passes the query parameters of audit, lineage and search', async () => {
    await client().getAuditEvents('g/1', 5);
    await client().lineage('flink_job', 'j@p', 'INPUT', 2);
    await client().searchBasic('flink_job', { limit: 10 });
    expect(seen.map((s) => s.url)).toEqual([
      '/api/atlas/v2/entity/g%2F1/audit?count=5',
      '/api/atlas/v2/lineage/uniqueAttribute/type/flink_job?attr:qualifiedName=j%40p&direction=INPUT&depth=2',
      '/api/atlas/v2/search/basic?typeName=flink_job&limit=10&offset=0&excludeDeletedEntities=true',
    ]);
  });
});

describe('AtlasClient failures', () => {
  it('classifies an error answer, with its Retry-After', async () => {
    answer({ status: 503, body: 'down', headers: { 'retry-after': '3' } });
    await expect(client().bulkWrite({ entities: [] })).rejects.toMatchObject({ kind: 'retryable', details: { status: 503, retryAfterMs: 3000 } });
  });

  it('follows no redirect: a login page is an auth failure', async () => {
    answer({ status: 302, body: '', headers: { location: '/login.jsp' } });
    await expect(client().bulkWrite({ entities: [] })).rejects.toMatchObject({ kind: 'auth', details: { status: 302 } });
    expect(seen).toHaveLength(1);
  });

  it('reads a non-JSON success body as text', async () => {
    answer({ status: 200, body: 'plain text' });
    expect(await client().getAuditEvents('g')).toBe('plain text');
  });

  it('gives up on a hung Atlas at the timeout, and on a broken connection, as retryable', async () => {
    answer('hang');
    await expect(client(200).bulkWrite({ entities: [] })).rejects.toMatchObject({ kind: 'retryable', details: { networkCode: 'ETIMEDOUT' } });
    answer('reset');
    await expect(client().bulkWrite({ entities: [] })).rejects.toMatchObject({ kind: 'retryable', message: expect.stringMatching(/^Atlas bulk write got no answer/) });
  });
});
