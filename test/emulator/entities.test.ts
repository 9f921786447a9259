import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AtlasEntity, AtlasRelatedObjectId } from '../../lib/atlas/model.js';
import {
  flinkJob,
  flinkJobRun,
  getByQualifiedName,
  hiveTable,
  json,
  kafkaTopic,
  postBulk,
  registerBridgeTypes,
  startTestAtlas,
  type TestAtlas,
} from './helpers.js';

let atlas: TestAtlas;

/** A column of table db.t; `table` is mandatory (child end of the hive_table_columns COMPOSITION). */
function hiveColumn(name: string, guid: string, tableGuid: string): AtlasEntity {
  return {
    typeName: 'hive_column',
    guid,
    attributes: { qualifiedName: `db.t.${name}@prod`, name, type: 'string' },
    relationshipAttributes: { table: { guid: tableGuid } },
  };
}

beforeAll(async () => {
  atlas = await startTestAtlas();
  await registerBridgeTypes(atlas.http);
});

beforeEach(() => {
  atlas.emulator.resetEntities();
});

afterAll(async () => {
  await atlas.close();
});

describe('bulk create', () => {
  it('creates a flink_job, its flink_job_run and a kafka_topic input linked by negative guids', async () => {
    const { status, body } = await postBulk(atlas.http, [
      kafkaTopic('orders', '-1'),
      flinkJob('etl', '-2', { inputs: [{ guid: '-1', typeName: 'kafka_topic' }] }),
      flinkJobRun('a1b2', '-3', { guid: '-2', typeName: 'flink_job' }),
    ]);

    expect(status).toBe(200);
    expect(body.mutatedEntities?.CREATE?.map((header) => header.typeName)).toEqual(['kafka_topic', 'flink_job', 'flink_job_run']);
    expect(Object.keys(body.guidAssignments ?? {}).sort()).toEqual(['-1', '-2', '-3']);
    const run = await getByQualifiedName(atlas.http, 'flink_job_run', 'a1b2@cluster1');
    expect(run.body.entity.relationshipAttributes?.['job']).toMatchObject({
      guid: body.guidAssignments?.['-2'],
      typeName: 'flink_job',
      relationshipType: 'flink_job_runs',
      relationshipStatus: 'ACTIVE',
    });
  });

  it('rejects a flink_job_run without its job (mandatory COMPOSITION child end) with 404 ATLAS-404-00-007', async () => {
    const run: AtlasEntity = { typeName: 'flink_job_run', attributes: { qualifiedName: 'r@c', name: 'r', jobId: 'r' } };

    const { status, body } = await postBulk(atlas.http, [run]);

    expect(status).toBe(404);
    expect(body).toEqual({
      errorCode: 'ATLAS-404-00-007',
      errorMessage:
        'Invalid instance creation/updation parameters passed : flink_job_run.job: mandatory attribute value missing in type flink_job_run',
    });
  });

  it('rejects a kafka_topic without uri with 404 ATLAS-404-00-007', async () => {
    const topic = kafkaTopic('orders');
    delete topic.attributes['uri'];

    const { status, body } = await postBulk(atlas.http, [topic]);

    expect(status).toBe(404);
    expect(body.errorMessage).toBe(
      'Invalid instance creation/updation parameters passed : kafka_topic.uri: mandatory attribute value missing in type kafka_topic',
    );
  });

  it('rejects "abc" for a date attribute with 404 ATLAS-404-00-007', async () => {
    const { status, body } = await postBulk(atlas.http, [hiveTable('db.t@prod', '-1', { createTime: 'abc' })]);

    expect(status).toBe(404);
    expect(body.errorMessage).toBe('Invalid instance creation/updation parameters passed : hive_table.createTime=abc: invalid value for type date');
  });

  it.each([
    ['a non-map for a map', hiveTable('db.t@prod', '-1', { parameters: 'abc' }), 'hive_table.parameters=abc: invalid value for type map<string,string>'],
    ['"abc" for an int', hiveTable('db.t@prod', '-1', { retention: 'abc' }), 'hive_table.retention=abc: invalid value for type int'],
    [
      'a bad enum value',
      { typeName: 'hive_db', attributes: { qualifiedName: 'db@prod', name: 'db', clusterName: 'prod', ownerType: 'NOBODY' } },
      'hive_db.ownerType=NOBODY: invalid value for type hive_principal_type',
    ],
    [
      'a struct without its mandatory fields',
      { typeName: 'fs_path', attributes: { qualifiedName: '/data@prod', name: '/data', path: '/data', posixPermissions: { user: 'ALL' } } },
      'fs_path.posixPermissions.group: mandatory attribute value missing in type fs_permissions',
    ],
    [
      'a wrong array element',
      { typeName: 'aws_s3_bucket', attributes: { qualifiedName: 's3a://b@prod', name: 'b', awsTags: ['abc'] } },
      'aws_s3_bucket.awsTags[0]=abc: invalid value for type aws_tag',
    ],
  ] as [string, AtlasEntity, string][])('rejects %s with 404 ATLAS-404-00-007', async (_case, entity, message) => {
    const { status, body } = await postBulk(atlas.http, [entity]);

    expect(status).toBe(404);
    expect(body.errorMessage).toBe(`Invalid instance creation/updation parameters passed : ${message}`);
  });

  it('creates an entity with POST /v2/entity', async () => {
    const response = await atlas.http.post('/v2/entity', { entity: kafkaTopic('single') });

    expect(response.status).toBe(200);
    expect(json<{ mutatedEntities: { CREATE: unknown[] } }>(response).mutatedEntities.CREATE).toHaveLength(1);
  });

  it('stores a date sent as yyyy-MM-ddTHH:mm:ss.SSSZ as epoch milliseconds', async () => {
    await postBulk(atlas.http, [hiveTable('db.t@prod', '-1', { createTime: '2024-03-01T10:00:00.000Z' })]);

    const table = await getByQualifiedName(atlas.http, 'hive_table', 'db.t@prod');

    expect(table.body.entity.attributes['createTime']).toBe(Date.UTC(2024, 2, 1, 10));
  });

  it('rejects an unknown entity typeName with 400 ATLAS-400-00-014', async () => {
    const { status, body } = await postBulk(atlas.http, [{ typeName: 'no_such_type', attributes: { qualifiedName: 'x' } }]);

    expect(status).toBe(400);
    expect(body).toEqual({ errorCode: 'ATLAS-400-00-014', errorMessage: 'Type ENTITY with name no_such_type does not exist' });
  });

  it('ignores attribute names the type does not define', async () => {
    const { status } = await postBulk(atlas.http, [kafkaTopic('orders', undefined, { clusterName: 'primary' })]);

    expect(status).toBe(200);
  });

  it('stores nothing when any entity of the request is invalid', async () => {
    const broken = kafkaTopic('broken');
    delete broken.attributes['topic'];

    const { status } = await postBulk(atlas.http, [kafkaTopic('fine'), broken]);

    expect(status).toBe(404);
    expect(atlas.emulator.entities()).toEqual([]);
  });
});

describe('references', () => {
  it('rejects a uniqueAttributes reference to a missing entity with 404 ATLAS-404-00-00A', async () => {
    const job = flinkJob('etl', '-1', { outputs: [{ typeName: 'hive_table', uniqueAttributes: { qualifiedName: 'db.t@prod' } }] });

    const { status, body } = await postBulk(atlas.http, [job]);

    expect(status).toBe(404);
    expect(body).toEqual({
      errorCode: 'ATLAS-404-00-00A',
      errorMessage:
        "Referenced entity AtlasObjectId{guid='null', typeName='hive_table', uniqueAttributes={qualifiedName:db.t@prod}} is not found",
    });
  });

  it('does not resolve a uniqueAttributes reference to an entity created in the same request', async () => {
    const job = flinkJob('etl', '-1', { inputs: [{ typeName: 'kafka_topic', uniqueAttributes: { qualifiedName: 'orders@prod' } }] });

    const { status, body } = await postBulk(atlas.http, [kafkaTopic('orders', '-2'), job]);

    expect(status).toBe(404);
    expect(body.errorCode).toBe('ATLAS-404-00-00A');
  });

  it('resolves a uniqueAttributes reference to a stored entity of a subtype of the given type', async () => {
    await postBulk(atlas.http, [kafkaTopic('orders')]);

    const job = flinkJob('etl', '-1', { inputs: [{ typeName: 'DataSet', uniqueAttributes: { qualifiedName: 'orders@prod' } }] });
    const { status } = await postBulk(atlas.http, [job]);

    expect(status).toBe(200);
  });

  it('rejects a negative guid that is not in the request with 404 ATLAS-404-00-00A', async () => {
    const { status, body } = await postBulk(atlas.http, [flinkJob('etl', '-1', { inputs: [{ guid: '-99' }] })]);

    expect(status).toBe(404);
    expect(body).toEqual({ errorCode: 'ATLAS-404-00-00A', errorMessage: 'Referenced entity -99 is not found' });
  });

  it('rejects a top-level entity with an unknown assigned guid with 404 ATLAS-404-00-00A', async () => {
    const { status, body } = await postBulk(atlas.http, [kafkaTopic('orders', 'b9d3c1e0-0000-4000-8000-000000000000')]);

    expect(status).toBe(404);
    expect(body.errorMessage).toBe('Referenced entity b9d3c1e0-0000-4000-8000-000000000000 is not found');
  });

  it('rejects an objectId with neither guid nor typeName and uniqueAttributes with 400 ATLAS-400-00-021', async () => {
    const { status, body } = await postBulk(atlas.http, [flinkJob('etl', '-1', { inputs: [{ typeName: 'kafka_topic' }] })]);

    expect(status).toBe(400);
    expect(body.errorCode).toBe('ATLAS-400-00-021');
  });

  it('rejects an unknown typeName in a uniqueAttributes reference with 400 ATLAS-400-00-014', async () => {
    const job = flinkJob('etl', '-1', { inputs: [{ typeName: 'no_such_type', uniqueAttributes: { qualifiedName: 'x' } }] });

    const { status, body } = await postBulk(atlas.http, [job]);

    expect(status).toBe(400);
    expect(body.errorCode).toBe('ATLAS-400-00-014');
  });

  it('rejects an input that is not a DataSet with 400 ATLAS-400-00-036', async () => {
    const db: AtlasEntity = { typeName: 'hive_db', guid: '-2', attributes: { qualifiedName: 'db@prod', name: 'db', clusterName: 'prod' } };

    const { status, body } = await postBulk(atlas.http, [db, flinkJob('etl', '-1', { inputs: [{ guid: '-2' }] })]);

    expect(status).toBe(400);
    expect(body.errorCode).toBe('ATLAS-400-00-036');
  });
});

describe('updates', () => {
  it('updates the entity with the same qualifiedName instead of creating a second one', async () => {
    const first = await postBulk(atlas.http, [kafkaTopic('orders', '-1')]);

    const second = await postBulk(atlas.http, [kafkaTopic('orders', '-5', { description: 'all orders' })]);

    const storedGuid = first.body.guidAssignments?.['-1'];
    expect(second.body.guidAssignments).toEqual({ '-5': storedGuid });
    expect(second.body.mutatedEntities?.UPDATE?.map((header) => header.guid)).toEqual([storedGuid]);
    expect(second.body.mutatedEntities?.CREATE).toBeUndefined();
    expect(atlas.emulator.entities()).toHaveLength(1);
  });

  it('leaves an unchanged entity out of mutatedEntities', async () => {
    await postBulk(atlas.http, [kafkaTopic('orders', '-1')]);

    const again = await postBulk(atlas.http, [kafkaTopic('orders', '-1')]);

    expect(again.status).toBe(200);
    expect(again.body).not.toHaveProperty('mutatedEntities');
    expect(Object.keys(again.body.guidAssignments ?? {})).toEqual(['-1']);
  });

  it('keeps owner, description and columns of a hive_table when a later write sends only qualifiedName and name', async () => {
    const table = hiveTable('db.t@prod', '-1', { owner: 'etl-team', description: 'facts' });
    table.relationshipAttributes = { columns: [{ guid: '-11' }, { guid: '-12' }] };
    const created = await postBulk(atlas.http, [table], { '-11': hiveColumn('id', '-11', '-1'), '-12': hiveColumn('v', '-12', '-1') });
    expect(created.status).toBe(200);

    const rewrite = await postBulk(atlas.http, [hiveTable('db.t@prod', '-7')]);
    const stored = await getByQualifiedName(atlas.http, 'hive_table', 'db.t@prod');

    expect(rewrite.body).not.toHaveProperty('mutatedEntities');
    expect(stored.body.entity.attributes).toMatchObject({ owner: 'etl-team', description: 'facts' });
    const storedColumns = stored.body.entity.relationshipAttributes?.['columns'] as AtlasRelatedObjectId[];
    expect(storedColumns.map((column) => column.displayText).sort()).toEqual(['id', 'v']);
    expect(Object.keys(stored.body.referredEntities)).toHaveLength(2);
  });

  it('checks mandatory attributes of a full update on the entity as sent, not merged with the stored one', async () => {
    await postBulk(atlas.http, [kafkaTopic('orders')]);
    const withoutUri = kafkaTopic('orders');
    delete withoutUri.attributes['uri'];

    const { status, body } = await postBulk(atlas.http, [withoutUri]);

    expect(status).toBe(404);
    expect(body.errorMessage).toMatch(/kafka_topic\.uri: mandatory attribute value missing/);
  });

  it('reports an existing dataset that is newly used as input under UPDATE', async () => {
    const first = await postBulk(atlas.http, [kafkaTopic('orders', '-1')]);
    const topicGuid = first.body.guidAssignments?.['-1'];

    const job = flinkJob('etl', '-2', { inputs: [{ typeName: 'kafka_topic', uniqueAttributes: { qualifiedName: 'orders@prod' } }] });
    const { body } = await postBulk(atlas.http, [job]);

    expect(body.mutatedEntities?.CREATE?.map((header) => header.typeName)).toEqual(['flink_job']);
    expect(body.mutatedEntities?.UPDATE?.map((header) => header.guid)).toEqual([topicGuid]);
  });

  it('replaces the stored inputs when inputs are sent again', async () => {
    await postBulk(atlas.http, [kafkaTopic('a', '-1'), kafkaTopic('b', '-2'), flinkJob('etl', '-3', { inputs: [{ guid: '-1' }] })]);

    await postBulk(atlas.http, [flinkJob('etl', '-3', { inputs: [{ typeName: 'kafka_topic', uniqueAttributes: { qualifiedName: 'b@prod' } }] })]);
    const job = await getByQualifiedName(atlas.http, 'flink_job', 'etl@cluster1');

    const inputs = job.body.entity.relationshipAttributes?.['inputs'] as AtlasRelatedObjectId[];
    const active = inputs.filter((input) => input.relationshipStatus === 'ACTIVE').map((input) => input.displayText);
    expect(active).toEqual(['b']);
    expect(job.body.entity.version).toBe(1);
  });
});

describe('reads', () => {
  it('answers an unknown guid with 404 ATLAS-404-00-005', async () => {
    const response = await atlas.http.get('/v2/entity/guid/0f0e0d0c-0000-4000-8000-000000000000');

    expect(response.status).toBe(404);
    expect(json(response)).toEqual({
      errorCode: 'ATLAS-404-00-005',
      errorMessage: 'Given instance guid 0f0e0d0c-0000-4000-8000-000000000000 is invalid/not found',
    });
  });

  it('answers a missing unique attribute value with 404 ATLAS-404-00-009', async () => {
    const { status, body } = await getByQualifiedName(atlas.http, 'kafka_topic', 'nothing@prod');

    expect(status).toBe(404);
    expect(body).toEqual({
      errorCode: 'ATLAS-404-00-009',
      errorMessage: 'Instance kafka_topic with unique attribute {qualifiedName=nothing@prod} does not exist',
    });
  });

  it('answers a lookup by a non-unique attribute with 400 ATLAS-400-00-013', async () => {
    const response = await atlas.http.get('/v2/entity/uniqueAttribute/type/kafka_topic?attr:name=orders');

    expect(response.status).toBe(400);
    expect(json(response)).toEqual({ errorCode: 'ATLAS-400-00-013', errorMessage: 'Type kafka_topic with unique attribute name does not exist' });
  });

  it('returns only the entities found by a bulk unique-attribute read on type Referenceable', async () => {
    await postBulk(atlas.http, [kafkaTopic('orders'), hiveTable('db.t@prod')]);

    const response = await atlas.http.get(
      '/v2/entity/bulk/uniqueAttribute/type/Referenceable?attr_0:qualifiedName=orders@prod&attr_1:qualifiedName=missing@prod&attr_2:qualifiedName=db.t@prod&minExtInfo=true&ignoreRelationships=true',
    );
    const body = json<{ entities: AtlasEntity[] }>(response);

    expect(response.status).toBe(200);
    expect(body.entities.map((entity) => entity.typeName)).toEqual(['kafka_topic', 'hive_table']);
    expect(body.entities[0]).not.toHaveProperty('relationshipAttributes');
  });

  it('returns an empty object from a bulk unique-attribute read that finds nothing', async () => {
    const response = await atlas.http.get('/v2/entity/bulk/uniqueAttribute/type/Referenceable?attr_0:qualifiedName=missing@prod');

    expect(response.status).toBe(200);
    expect(json(response)).toEqual({});
  });

  it('lists ACTIVE entities of a type and its subtypes in a basic search', async () => {
    await postBulk(atlas.http, [kafkaTopic('orders'), hiveTable('db.t@prod')]);

    const response = await atlas.http.get('/v2/search/basic?typeName=DataSet&limit=10&offset=0');
    const body = json<{ queryType: string; entities: { typeName: string }[]; approximateCount: number }>(response);

    expect(body.queryType).toBe('BASIC');
    expect(body.entities.map((header) => header.typeName).sort()).toEqual(['hive_table', 'kafka_topic']);
    expect(body.approximateCount).toBe(2);
  });
});

describe('partial update by unique attribute', () => {
  it('changes only the attributes sent and reports the entity under PARTIAL_UPDATE', async () => {
    await postBulk(atlas.http, [kafkaTopic('orders', undefined, { description: 'kept' })]);

    const response = await atlas.http.put('/v2/entity/uniqueAttribute/type/kafka_topic?attr:qualifiedName=orders@prod', {
      entity: { typeName: 'kafka_topic', attributes: { partitionCount: 12 } },
    });
    const body = json<{ mutatedEntities: { PARTIAL_UPDATE: { guid: string }[] }; partialUpdatedEntities: unknown[]; guidAssignments: object }>(response);
    const stored = await getByQualifiedName(atlas.http, 'kafka_topic', 'orders@prod');

    expect(response.status).toBe(200);
    expect(body.mutatedEntities.PARTIAL_UPDATE).toHaveLength(1);
    expect(body.partialUpdatedEntities).toEqual(body.mutatedEntities.PARTIAL_UPDATE);
    expect(body.guidAssignments).toEqual({});
    expect(stored.body.entity.attributes).toMatchObject({ partitionCount: 12, description: 'kept', uri: 'broker:9092' });
  });

  it('does not create a missing entity (404 ATLAS-404-00-009)', async () => {
    const response = await atlas.http.put('/v2/entity/uniqueAttribute/type/kafka_topic?attr:qualifiedName=ghost@prod', {
      entity: { typeName: 'kafka_topic', attributes: { partitionCount: 1 } },
    });

    expect(response.status).toBe(404);
    expect(json(response)['errorCode']).toBe('ATLAS-404-00-009');
    expect(atlas.emulator.entities()).toEqual([]);
  });

  it('requires typeName in the body (400 ATLAS-400-00-014)', async () => {
    await postBulk(atlas.http, [kafkaTopic('orders')]);

    const response = await atlas.http.put('/v2/entity/uniqueAttribute/type/kafka_topic?attr:qualifiedName=orders@prod', {
      entity: { attributes: { partitionCount: 1 } },
    });

    expect(response.status).toBe(400);
    expect(json(response)['errorCode']).toBe('ATLAS-400-00-014');
  });
});

describe('soft delete', () => {
  it('marks the entity DELETED and gives a re-created qualifiedName a new guid', async () => {
    const created = await postBulk(atlas.http, [kafkaTopic('orders', '-1')]);
    const oldGuid = created.body.guidAssignments?.['-1'] as string;

    const deleted = await atlas.http.delete('/v2/entity/uniqueAttribute/type/kafka_topic?attr:qualifiedName=orders@prod');
    const recreated = await postBulk(atlas.http, [kafkaTopic('orders', '-1')]);
    const old = await atlas.http.get(`/v2/entity/guid/${oldGuid}`);

    expect(json<{ mutatedEntities: { DELETE: { guid: string; status: string }[] } }>(deleted).mutatedEntities.DELETE).toEqual([
      expect.objectContaining({ guid: oldGuid, status: 'DELETED' }),
    ]);
    expect(recreated.body.mutatedEntities?.CREATE).toHaveLength(1);
    expect(recreated.body.guidAssignments?.['-1']).not.toBe(oldGuid);
    expect(json<{ entity: AtlasEntity }>(old).entity.status).toBe('DELETED');
  });

  it('deletes the entities a hive_table owns through COMPOSITION together with it', async () => {
    const table = hiveTable('db.t@prod', '-1');
    table.relationshipAttributes = { columns: [{ guid: '-2' }] };
    const created = await postBulk(atlas.http, [table], { '-2': hiveColumn('c', '-2', '-1') });

    const response = await atlas.http.delete(`/v2/entity/guid/${created.body.guidAssignments?.['-1'] ?? ''}`);

    const deleted = json<{ mutatedEntities: { DELETE: { typeName: string }[] } }>(response).mutatedEntities.DELETE;
    expect(deleted.map((header) => header.typeName)).toEqual(['hive_table', 'hive_column']);
  });
});
