// The emulator stores what Apache Atlas 2.4.0 stores (facts: /work/shared/reference/atlas-as-stored.md). Each test
// names the Atlas class whose behaviour it mirrors.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AtlasEntity } from '../../lib/atlas/model.js';
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

beforeAll(async () => {
  atlas = await startTestAtlas();
  await registerBridgeTypes(atlas.http);
});
beforeEach(() => atlas.emulator.resetEntities());
afterAll(async () => atlas.close());

describe('stored defaults (EntityGraphMapper.mapAttribute, AtlasBuiltInTypes.createOptionalDefaultValue)', () => {
  it('stores unset optional numbers, booleans and dates as 0 / false / epoch 0 on create; strings stay null', async () => {
    const created = await postBulk(atlas.http, [
      kafkaTopic('orders', '-1'),
      flinkJob('etl', '-2'),
      flinkJobRun('r1', '-3', { guid: '-2', typeName: 'flink_job' }),
      hiveTable('db.t@prod', '-4'),
    ]);
    expect(created.status).toBe(200);
    const run = await getByQualifiedName(atlas.http, 'flink_job_run', 'r1@cluster1');
    expect(run.body.entity.attributes['startTime']).toBe(0);
    const table = await getByQualifiedName(atlas.http, 'hive_table', 'db.t@prod');
    expect(table.body.entity.attributes['createTime']).toBe(0);
    expect(table.body.entity.attributes['temporary']).toBe(false);
    expect(table.body.entity.attributes['owner']).toBeNull();
    const topic = await getByQualifiedName(atlas.http, 'kafka_topic', 'orders@prod');
    expect(topic.body.entity.attributes['partitionCount']).toBe(0);
  });

  it('writes the default again when an update sends null for a number, and removes a string sent as null', async () => {
    await postBulk(atlas.http, [hiveTable('db.t@prod', '-1', { createTime: 1700000000000, owner: 'ann' })]);
    const before = await getByQualifiedName(atlas.http, 'hive_table', 'db.t@prod');
    expect(before.body.entity.attributes['createTime']).toBe(1700000000000);
    await postBulk(atlas.http, [hiveTable('db.t@prod', '-1', { createTime: null, owner: null })]);
    const after = await getByQualifiedName(atlas.http, 'hive_table', 'db.t@prod');
    expect(after.body.entity.attributes['createTime']).toBe(0);
    expect(after.body.entity.attributes['owner']).toBeNull();
  });
});

describe('unset arrays of structs or references read back as [] (EntityGraphRetriever.mapVertexToArray)', () => {
  it('an unset array of entity references is [], an unset array of strings stays null', async () => {
    await postBulk(atlas.http, [hiveTable('db.t@prod', '-1')]);
    const table = await getByQualifiedName(atlas.http, 'hive_table', 'db.t@prod');
    // hive_table.partitionKeys: array<hive_column> (legacy relationship attribute), columns likewise.
    expect(table.body.entity.attributes['columns']).toEqual([]);
    expect(table.body.entity.attributes['partitionKeys']).toEqual([]);
  });

  it('an unset soft-reference array (replicatedFrom, replicatedTo) stays null, as on a real Atlas 2.1.0', async () => {
    // options.isSoftReference: guids in a vertex property, read by mapVertexToArrayForSoftRef, not from edges.
    await postBulk(atlas.http, [hiveTable('db.t@prod', '-1')]);
    const table = await getByQualifiedName(atlas.http, 'hive_table', 'db.t@prod');
    expect(table.body.entity.attributes['replicatedFrom']).toBeNull();
    expect(table.body.entity.attributes['replicatedTo']).toBeNull();
  });
});

describe('legacy array attributes list removed relationships (EntityGraphRetriever, AtlasEntityStoreV2Test)', () => {
  it('flink_job.inputs under attributes still lists an input the job no longer reads', async () => {
    const a = kafkaTopic('a', '-1');
    const b = kafkaTopic('b', '-2');
    await postBulk(atlas.http, [a, b, flinkJob('etl', '-3', { inputs: [{ guid: '-1' }, { guid: '-2' }] })]);
    await postBulk(atlas.http, [a, flinkJob('etl', '-3', { inputs: [{ guid: '-1' }] })]);
    const job = await getByQualifiedName(atlas.http, 'flink_job', 'etl@cluster1');
    const legacy = job.body.entity.attributes['inputs'] as { uniqueAttributes: { qualifiedName: string } }[];
    expect(legacy.map((input) => input.uniqueAttributes.qualifiedName).sort()).toEqual(['a@prod', 'b@prod']);
    const related = job.body.entity.relationshipAttributes?.['inputs'] as { relationshipStatus: string }[];
    expect(related.map((input) => input.relationshipStatus).sort()).toEqual(['ACTIVE', 'DELETED']);
  });
});

describe('qualifiedName is unique per type (GraphBackedSearchIndexer, PER_TYPE_UNIQUE)', () => {
  const hiveDb: AtlasEntity = { typeName: 'hive_db', attributes: { qualifiedName: 'default@primary', name: 'default', clusterName: 'primary' } };
  const hbaseNamespace: AtlasEntity = {
    typeName: 'hbase_namespace',
    attributes: { qualifiedName: 'default@primary', name: 'default', clusterName: 'primary' },
  };

  it('hive_db and hbase_namespace "default@primary" coexist; a Referenceable bulk read returns only one', async () => {
    expect((await postBulk(atlas.http, [hiveDb])).status).toBe(200);
    const second = await postBulk(atlas.http, [hbaseNamespace]);
    expect(second.status).toBe(200);
    expect(second.body.mutatedEntities?.CREATE?.[0]?.typeName).toBe('hbase_namespace');
    expect((await getByQualifiedName(atlas.http, 'hive_db', 'default@primary')).body.entity.typeName).toBe('hive_db');
    expect((await getByQualifiedName(atlas.http, 'hbase_namespace', 'default@primary')).body.entity.typeName).toBe('hbase_namespace');
    const bulk = await atlas.http.get('/v2/entity/bulk/uniqueAttribute/type/Referenceable?attr_0:qualifiedName=default%40primary');
    expect(json<{ entities: AtlasEntity[] }>(bulk).entities).toHaveLength(1);
  });

  it('a second hive_db with the same qualifiedName resolves to the first (an update, no second entity)', async () => {
    await postBulk(atlas.http, [hiveDb]);
    const clash = await postBulk(atlas.http, [{ ...hiveDb, guid: '-9', attributes: { ...hiveDb.attributes } }]);
    // The same type: the second resolves to the first by unique attribute, so it is an update, not a clash.
    expect(clash.status).toBe(200);
    expect(clash.body.guidAssignments?.['-9']).toBeDefined();
  });
});

describe('a subtype re-declaring a supertype attribute is rejected (AtlasEntityType.collectTypeHierarchyInfo)', () => {
  it('answers 400 ATLAS-400-00-09E and stores nothing', async () => {
    const response = await atlas.http.post('/v2/types/typedefs', {
      entityDefs: [
        { name: 'redeclaring_dataset', superTypes: ['DataSet'], attributeDefs: [{ name: 'name', typeName: 'string', isOptional: true }] },
      ],
    });
    expect(response.status).toBe(400);
    expect(json(response)).toMatchObject({
      errorCode: 'ATLAS-400-00-09E',
      errorMessage: 'Invalid attribute name: redeclaring_dataset.name. Attribute already exists in another parent type: Asset',
    });
    expect((await atlas.http.get('/v2/types/entitydef/name/redeclaring_dataset')).status).toBe(404);
  });
});

describe('DELETE by unique attribute (AtlasEntityStoreV2.deleteByUniqueAttributes)', () => {
  it('answers 200 {} for a missing entity and for one already deleted', async () => {
    const path = '/v2/entity/uniqueAttribute/type/kafka_topic?attr:qualifiedName=orders%40prod';
    const missing = await atlas.http.delete(path);
    expect(missing.status).toBe(200);
    expect(json(missing)).toEqual({});
    await postBulk(atlas.http, [kafkaTopic('orders', '-1')]);
    const first = await atlas.http.delete(path);
    expect(json<{ mutatedEntities: { DELETE: unknown[] } }>(first).mutatedEntities.DELETE).toHaveLength(1);
    const again = await atlas.http.delete(path);
    expect(again.status).toBe(200);
    expect(json(again)).toEqual({});
  });
});

describe('enum values match in any case (AtlasEnumType.isValidValue / getNormalizedValue)', () => {
  it('stores the declared value for "user", rejects a value not declared', async () => {
    const db = (ownerType: string): AtlasEntity => ({
      typeName: 'hive_db',
      attributes: { qualifiedName: 'db@prod', name: 'db', clusterName: 'prod', ownerType },
    });
    expect((await postBulk(atlas.http, [db('user')])).status).toBe(200);
    expect((await getByQualifiedName(atlas.http, 'hive_db', 'db@prod')).body.entity.attributes['ownerType']).toBe('USER');
    expect((await postBulk(atlas.http, [db('nobody')])).status).toBe(404);
  });
});
