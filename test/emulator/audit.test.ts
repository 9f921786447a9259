import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AtlasEntity, EntityAuditEventV2 } from '../../lib/atlas/model.js';
import { atlasClient, getByQualifiedName, hiveTable, json, postBulk, startTestAtlas, type TestAtlas } from './helpers.js';

let atlas: TestAtlas;

const hiveColumn = (name: string, guid: string, tableGuid: string): AtlasEntity => ({
  typeName: 'hive_column',
  guid,
  attributes: { qualifiedName: `db.t.${name}@prod`, name, type: 'string' },
  relationshipAttributes: { table: { guid: tableGuid } },
});

const auditOf = async (guid: string, query = ''): Promise<EntityAuditEventV2[]> => {
  const response = await atlas.http.get(`/v2/entity/${guid}/audit${query}`);
  expect(response.status).toBe(200);
  return json<EntityAuditEventV2[]>(response);
};

beforeAll(async () => {
  atlas = await startTestAtlas();
});

beforeEach(() => {
  atlas.emulator.resetEntities();
});

afterAll(async () => {
  await atlas.close();
});

describe('Emulator: GET /v2/entity/{guid}/audit (EntityREST.getAuditEvents)', () => {
  it('records a create, each update that changes the entity, and the delete, newest first', async () => {
    // Prepare
    const created = await postBulk(atlas.http, [hiveTable('db.t@prod', '-1')]);
    const guid = created.body.guidAssignments?.['-1'] as string;
    await postBulk(atlas.http, [{ ...hiveTable('db.t@prod', '-1'), attributes: { qualifiedName: 'db.t@prod', name: 't', comment: 'v2' } }]);
    await postBulk(atlas.http, [{ ...hiveTable('db.t@prod', '-1'), attributes: { qualifiedName: 'db.t@prod', name: 't', comment: 'v2' } }]);
    await atlas.http.delete('/v2/entity/uniqueAttribute/type/hive_table?attr:qualifiedName=db.t@prod');

    // Act
    const events = await auditOf(guid);

    // Assess: the no-op re-post left no trace, as in Atlas (AtlasEntityComparator drops it)
    expect(events.map((e) => e.action)).toEqual(['ENTITY_DELETE', 'ENTITY_UPDATE', 'ENTITY_CREATE']);
    expect(events[0]).toMatchObject({ entityId: guid, user: 'admin', details: 'Deleted entity', type: 'ENTITY_AUDIT_V2' });
    expect(events[1]?.details.startsWith('Updated: {')).toBe(true);
    expect(JSON.parse(events[1]!.details.slice('Updated: '.length)).attributes.comment).toBe('v2');
    expect(events[2]?.details.startsWith('Created: {')).toBe(true);
    expect(events.every((e) => typeof e.timestamp === 'number' && typeof e.eventKey === 'string')).toBe(true);
  });

  it('audits the owned entities a delete takes with it', async () => {
    const created = await postBulk(atlas.http, [hiveTable('db.t@prod', '-1'), hiveColumn('c', '-2', '-1')]);
    const columnGuid = created.body.guidAssignments?.['-2'] as string;
    await atlas.http.delete('/v2/entity/uniqueAttribute/type/hive_table?attr:qualifiedName=db.t@prod');
    expect((await auditOf(columnGuid)).map((e) => e.action)).toEqual(['ENTITY_DELETE', 'ENTITY_CREATE']);
    expect((await getByQualifiedName(atlas.http, 'hive_column', 'db.t.c@prod')).status).toBe(404);
  });

  it('keeps at most count events', async () => {
    const created = await postBulk(atlas.http, [hiveTable('db.t@prod', '-1')]);
    const guid = created.body.guidAssignments?.['-1'] as string;
    await postBulk(atlas.http, [{ ...hiveTable('db.t@prod', '-1'), attributes: { qualifiedName: 'db.t@prod', name: 't', comment: 'x' } }]);
    expect((await auditOf(guid, '?count=1')).map((e) => e.action)).toEqual(['ENTITY_UPDATE']);
  });

  it('answers 404 ATLAS-404-00-005 for a guid it never held, and 401 without credentials', async () => {
    const missing = await atlas.http.get('/v2/entity/00000000-0000-0000-0000-000000000000/audit');
    expect(missing.status).toBe(404);
    expect(json(missing)).toMatchObject({ errorCode: 'ATLAS-404-00-005' });
    expect((await atlasClient(atlas.emulator.url).get('/v2/entity/x/audit')).status).toBe(401);
  });
});
