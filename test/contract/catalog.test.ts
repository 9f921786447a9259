import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AtlasEntity, AtlasRelatedObjectId } from '../../lib/atlas/index.js';
import type { NativeEvent } from '../../lib/contract/index.js';
import { writeEvents } from '../../lib/ingest/index.js';
import { CT0, databaseEvent, id, kafkaTable, tableEvent, viewOf } from '../helpers/catalogEvents.js';
import { naming, statusEvent } from '../helpers/events.js';
import { startTestAtlas, type TestAtlas } from '../helpers/stack.js';

let atlas: TestAtlas;

const ORDERS = 'default_catalog.default_database.orders@primary';
const BIG_ORDERS = 'default_catalog.default_database.big_orders@primary';

const write = async (...events: NativeEvent[]) => {
  const outcomes = await writeEvents(events.map((event, index) => ({ index, event })), atlas.client, naming);
  expect(outcomes.map((o) => o.outcome)).toEqual(events.map(() => 'written'));
  return outcomes;
};

const get = async (typeName: string, qualifiedName: string): Promise<AtlasEntity | undefined> =>
  (await atlas.client.getEntityByQualifiedName(typeName, qualifiedName))?.entity;

const names = (value: unknown): string[] =>
  (value as AtlasRelatedObjectId[])
    .filter((r) => r.relationshipStatus !== 'DELETED')
    .map((r) => String(r.qualifiedName))
    .sort();

const statusOf = (qualifiedName: string): (string | undefined)[] =>
  atlas.emulator.entities().filter((e) => e.attributes.qualifiedName === qualifiedName).map((e) => e.status);

beforeAll(async () => {
  atlas = await startTestAtlas();
});

beforeEach(() => {
  atlas.emulator.resetEntities();
});

afterAll(async () => {
  await atlas.emulator.close();
});

describe('Contract: Flink catalog events against the Atlas emulator', () => {
  it('CREATE TABLE: the table under its database and catalog, its columns, its topic, secrets redacted', async () => {
    // Act
    await write(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders', {
      options: { connector: 'kafka', topic: 'orders', 'properties.bootstrap.servers': 'kafka-1:9092', 'properties.sasl.jaas.config': 'secret' },
    })));

    // Assess
    const table = (await get('flink_table', ORDERS))!;
    expect(table.attributes).toMatchObject({
      name: 'orders', tableKind: 'TABLE', connector: 'kafka', primaryKey: ['order_id'], primaryKeyName: 'PK_order_id',
      watermarks: { order_time: "`order_time` - INTERVAL '5' SECOND" }, definitionTime: CT0, existenceTime: CT0,
      options: { connector: 'kafka', topic: 'orders', 'properties.bootstrap.servers': 'kafka-1:9092', 'properties.sasl.jaas.config': '******' },
    });
    expect(names(table.relationshipAttributes?.columns)).toEqual([
      'default_catalog.default_database.orders.amount@primary',
      'default_catalog.default_database.orders.order_id@primary',
      'default_catalog.default_database.orders.order_time@primary',
    ]);
    expect(names(table.relationshipAttributes?.physicalDatasets)).toEqual(['orders@primary']);
    expect((table.relationshipAttributes?.database as AtlasRelatedObjectId).qualifiedName).toBe('default_catalog.default_database@primary');
    expect((await get('flink_column', 'default_catalog.default_database.orders.order_id@primary'))?.attributes)
      .toMatchObject({ type: 'BIGINT NOT NULL', nullable: false, position: 0, kind: 'PHYSICAL' });
    expect((await get('kafka_topic', 'orders@primary'))?.attributes).toMatchObject({ topic: 'orders', uri: 'orders' });
    expect(JSON.stringify(atlas.emulator.entities())).not.toContain('"secret"');
  });

  it('CREATE VIEW: the query recorded, and lineage from the table it reads through its view query', async () => {
    // Prepare
    await write(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders')));

    // Act
    await write(tableEvent('CREATE', id('big_orders'), CT0 + 1000,
      viewOf('SELECT `orders`.`order_id` FROM `default_catalog`.`default_database`.`orders` WHERE `orders`.`amount` > 100')));

    // Assess
    const view = (await get('flink_table', BIG_ORDERS))!;
    expect(view.attributes).toMatchObject({ tableKind: 'VIEW', queryLineage: 'PARSED', expandedQuery: expect.stringContaining('FROM `default_catalog`') });
    const lineage = await atlas.client.lineage('flink_table', BIG_ORDERS, 'INPUT');
    const byGuid = lineage.guidEntityMap;
    const edges = lineage.relations.map((r) => `${byGuid[r.fromEntityId]?.typeName} -> ${byGuid[r.toEntityId]?.typeName}`).sort();
    expect(edges).toEqual(['flink_table -> flink_view_query', 'flink_view_query -> flink_table']);
  });

  it('ALTER TABLE: new columns and options replace the old, dropped columns are deleted, and the audit shows the update', async () => {
    // Prepare
    await write(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders')));
    const guid = (await get('flink_table', ORDERS))!.guid!;

    // Act
    await write(tableEvent('ALTER', id('orders'), CT0 + 1000, kafkaTable('orders-v2', {
      comment: 'v2',
      schema: { columns: [{ name: 'order_id', dataType: 'BIGINT NOT NULL', kind: 'PHYSICAL' }, { name: 'currency', dataType: 'STRING', kind: 'PHYSICAL' }] },
    })));

    // Assess
    const table = (await get('flink_table', ORDERS))!;
    expect(table.guid).toBe(guid);
    expect(table.attributes).toMatchObject({ comment: 'v2', definitionTime: CT0 + 1000, options: expect.objectContaining({ topic: 'orders-v2' }) });
    expect(table.attributes.primaryKey).toBeNull();
    expect(names(table.relationshipAttributes?.columns)).toEqual([
      'default_catalog.default_database.orders.currency@primary',
      'default_catalog.default_database.orders.order_id@primary',
    ]);
    expect(names(table.relationshipAttributes?.physicalDatasets)).toEqual(['orders-v2@primary']);
    expect(statusOf('default_catalog.default_database.orders.amount@primary')).toEqual(['DELETED']);
    const audit = await atlas.client.getAuditEvents(guid);
    expect(audit.map((e) => e.action)).toEqual(['ENTITY_UPDATE', 'ENTITY_CREATE']);
    expect(JSON.parse(audit[0]!.details.replace(/^Updated: /, '')).attributes.comment).toBe('v2');
  });

  it('DROP VIEW and DROP TABLE: soft deleted with their columns and view query, and a late CREATE does not bring them back', async () => {
    // Prepare
    await write(
      tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders')),
      tableEvent('CREATE', id('big_orders'), CT0 + 1000, viewOf('SELECT `order_id` FROM `default_catalog`.`default_database`.`orders`')),
    );
    const viewGuid = (await get('flink_table', BIG_ORDERS))!.guid!;

    // Act
    await write(tableEvent('DROP', id('big_orders'), CT0 + 2000));
    await write(tableEvent('DROP', id('orders'), CT0 + 3000));
    await write(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders')), tableEvent('ALTER', id('big_orders'), CT0 + 1500, viewOf('SELECT 1')));

    // Assess
    expect(statusOf(BIG_ORDERS)).toEqual(['DELETED']);
    expect(statusOf('default_catalog.default_database.big_orders/query@primary')).toEqual(['DELETED']);
    expect(statusOf('default_catalog.default_database.big_orders.order_id@primary')).toEqual(['DELETED']);
    expect(statusOf(ORDERS)).toEqual(['DELETED']);
    expect((await atlas.client.getAuditEvents(viewGuid)).map((e) => e.action)).toEqual(['ENTITY_DELETE', 'ENTITY_CREATE']);
    expect((await get('flink_database', 'default_catalog.default_database@primary'))?.attributes.droppedTables)
      .toEqual({ big_orders: CT0 + 2000, orders: CT0 + 3000 });
    expect(await get('kafka_topic', 'orders@primary')).toBeDefined();
  });

  it('CREATE after DROP in event time: a new entity, the dropped one kept in history', async () => {
    await write(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders')));
    await write(tableEvent('DROP', id('orders'), CT0 + 1000));
    await write(tableEvent('CREATE', id('orders'), CT0 + 2000, kafkaTable('orders-v2')));
    expect(statusOf(ORDERS).sort()).toEqual(['ACTIVE', 'DELETED']);
    expect((await get('flink_table', ORDERS))?.attributes).toMatchObject({ definitionTime: CT0 + 2000, options: expect.objectContaining({ topic: 'orders-v2' }) });
  });

  it('DROP DATABASE CASCADE: the database and everything in it deleted; CREATE DATABASE sets its description and properties', async () => {
    await write(
      databaseEvent('CREATE', 'sales', CT0, { comment: 'Sales', properties: { owner: 'data-eng', 'hive.metastore.password': 'x' } }),
      tableEvent('CREATE', id('orders', 'sales'), CT0 + 1000, kafkaTable('orders')),
    );
    expect((await get('flink_database', 'default_catalog.sales@primary'))?.attributes)
      .toMatchObject({ description: 'Sales', properties: { owner: 'data-eng', 'hive.metastore.password': '******' } });

    await write(databaseEvent('DROP', 'sales', CT0 + 2000));

    expect(statusOf('default_catalog.sales@primary')).toEqual(['DELETED']);
    expect(statusOf('default_catalog.sales.orders@primary')).toEqual(['DELETED']);
    expect(statusOf('default_catalog.sales.orders.order_id@primary')).toEqual(['DELETED']);
    expect((await get('flink_catalog', 'default_catalog@primary'))?.attributes.droppedDatabases).toEqual({ sales: CT0 + 2000 });
  });

  it("links a SQL job to the Flink table its lineage names (TABLE symlink) as well as to the topic", async () => {
    await write(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders')));
    await write(statusEvent('INITIALIZING', CT0 + 1000, {
      lineage: {
        sources: [{ namespace: 'kafka://kafka-1:9092', name: 'orders', symlinks: [{ namespace: 'kafka://kafka-1:9092', name: 'default_catalog.default_database.orders', type: 'TABLE' }] }],
        sinks: [],
      },
    }));
    const job = (await get('flink_job', 'flink-prod/orders-enrichment@primary'))!;
    expect(names(job.relationshipAttributes?.inputs)).toEqual([ORDERS, 'orders@primary']);
    expect((await get('flink_table', ORDERS))?.attributes.existenceTime).toBe(CT0 + 1000);
  });

  it('does not link a job to a Flink table dropped after the job read it', async () => {
    await write(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders')), tableEvent('DROP', id('orders'), CT0 + 2000));
    await write(statusEvent('INITIALIZING', CT0 + 1000, {
      lineage: { sources: [{ namespace: 'kafka://kafka-1:9092', name: 'orders', symlinks: [{ namespace: 'kafka://kafka-1:9092', name: 'default_catalog.default_database.orders', type: 'TABLE' }] }], sinks: [] },
    }));
    const job = (await get('flink_job', 'flink-prod/orders-enrichment@primary'))!;
    expect(names(job.relationshipAttributes?.inputs)).toEqual(['orders@primary']);
    // CREATE and DROP came in one request: the table never needed to exist in Atlas.
    expect(statusOf(ORDERS)).not.toContain('ACTIVE');
  });
});
