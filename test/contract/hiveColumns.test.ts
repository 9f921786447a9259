// Dataset schemas against the Atlas emulator over HTTP: hive_column entities for the Hive tables the bridge
// created, the Hive hook's tables left alone, and the schema a job saw kept on flink_job.datasetFields.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DatasetMetadataEvent, LineageDataset, NativeEvent, SchemaField } from '../../lib/contract/index.js';
import { writeEvents } from '../../lib/ingest/index.js';
import { iso, naming, statusEvent, T0 } from '../helpers/events.js';
import { useTestAtlas } from '../helpers/stack.js';

const atlas = useTestAtlas({ env: false });

const TABLE_QN = 'sales.daily_revenue@primary';
const JOB_QN = 'flink-prod/orders-enrichment@primary';

const fields = (...names: string[]): SchemaField[] => names.map((name) => ({ name, type: name.toLowerCase() === 'day' ? 'DATE' : 'DECIMAL(18, 2)' }));
const hiveSink = (schema?: SchemaField[]): LineageDataset => ({
  namespace: 'hive://metastore:9083',
  name: 'sales.daily_revenue',
  ...(schema === undefined ? {} : { schema: { fields: schema } }),
});
const kafkaSource: LineageDataset = {
  namespace: 'kafka://kafka-1:9092',
  name: 'orders',
  schema: { fields: [{ name: 'order_id', type: 'STRING' }, { name: 'amount', type: 'DECIMAL(18, 2)', description: 'gross' }] },
};

/** A run START carrying the job's lineage; its time orders the schema. */
const started = (at: number, schema?: SchemaField[]) =>
  statusEvent('INITIALIZING', at, { lineage: { sources: [kafkaSource], sinks: [hiveSink(schema)] } });

const datasetEvent = (at: number, dataset: LineageDataset): DatasetMetadataEvent => ({
  type: 'dataset.metadata',
  eventId: randomUUID(),
  eventTime: iso(at),
  dataset,
});

const write = (...events: NativeEvent[]) => writeEvents(events.map((event, index) => ({ index, event })), atlas.client, naming);

const active = () => atlas.emulator.entities().filter((e) => e.status === 'ACTIVE');
/** The table's active columns as `name type position`, by position. */
const columnsOf = (tableQualifiedName: string) => {
  const table = active().find((e) => e.typeName === 'hive_table' && e.attributes.qualifiedName === tableQualifiedName);
  return active()
    .filter((e) => e.typeName === 'hive_column' && (e.relationshipAttributes?.table as { guid?: string } | undefined)?.guid === table?.guid)
    .sort((a, b) => Number(a.attributes.position) - Number(b.attributes.position))
    .map((e) => `${e.attributes.name as string} ${e.attributes.type as string} ${e.attributes.position as number}`);
};
const tableNamed = (qualifiedName: string) => active().find((e) => e.typeName === 'hive_table' && e.attributes.qualifiedName === qualifiedName);

describe('Contract: dataset schemas as Hive columns and on the Flink side', () => {
  it('creates a Hive table the bridge owns with one hive_column per field, named as the Hive hook names them', async () => {
    const [outcome] = await write(started(T0, fields('Day', 'revenue')));
    expect(outcome).toMatchObject({ outcome: 'written', changedAtlas: true });
    expect(columnsOf(TABLE_QN)).toEqual(['day DATE 0', 'revenue DECIMAL(18, 2) 1']);
    expect(active().filter((e) => e.typeName === 'hive_column').map((e) => e.attributes.qualifiedName).sort()).toEqual([
      'sales.daily_revenue.day@primary', 'sales.daily_revenue.revenue@primary',
    ]);
    expect(tableNamed(TABLE_QN)?.attributes.parameters).toMatchObject({ 'flink.schema.eventTime': String(T0) });
  });

  it('keeps the schema every dataset had, as the job saw it, on flink_job.datasetFields', async () => {
    await write(started(T0, fields('day', 'revenue')));
    const job = active().find((e) => e.typeName === 'flink_job' && e.attributes.qualifiedName === JOB_QN);
    // Atlas returns a struct's unset attributes as null.
    const seen = (job?.attributes.datasetFields as { attributes: Record<string, unknown> }[]).map((f) =>
      Object.fromEntries(Object.entries(f.attributes).filter(([, v]) => v !== null)),
    );
    expect(seen).toEqual([
      { dataset: 'orders@primary', datasetType: 'kafka_topic', name: 'order_id', type: 'STRING', position: 0 },
      { dataset: 'orders@primary', datasetType: 'kafka_topic', name: 'amount', type: 'DECIMAL(18, 2)', description: 'gross', position: 1 },
      { dataset: TABLE_QN, datasetType: 'hive_table', name: 'day', type: 'DATE', position: 0 },
      { dataset: TABLE_QN, datasetType: 'hive_table', name: 'revenue', type: 'DECIMAL(18, 2)', position: 1 },
    ]);
  });

  it('follows a later schema (a dropped field leaves the table and is deleted) and never goes back to an older one', async () => {
    await write(started(T0, fields('day', 'revenue', 'orders')));
    await write(started(T0 + 60_000, fields('day', 'revenue')));
    expect(columnsOf(TABLE_QN)).toEqual(['day DATE 0', 'revenue DECIMAL(18, 2) 1']);
    const dropped = atlas.emulator.entities().find((e) => e.attributes.qualifiedName === 'sales.daily_revenue.orders@primary');
    expect(dropped?.status).toBe('DELETED');

    atlas.emulator.resetStats();
    const [late] = await write(started(T0 + 30_000, fields('day', 'revenue', 'orders', 'late')));
    expect(columnsOf(TABLE_QN)).toEqual(['day DATE 0', 'revenue DECIMAL(18, 2) 1']);
    // Nothing of the late event wins: not the job's lineage, not the columns.
    expect(late).toMatchObject({ outcome: 'written', changedAtlas: false });
    expect(atlas.emulator.stats.writes).toBe(0);
  });

  it('leaves the columns of a table the Hive hook registered alone, and keeps the schema on the job', async () => {
    await atlas.client.bulkWrite({
      entities: [
        { typeName: 'hive_db', guid: '-1', attributes: { qualifiedName: 'sales@primary', name: 'sales', clusterName: 'primary' } },
        {
          typeName: 'hive_table',
          guid: '-2',
          attributes: { qualifiedName: TABLE_QN, name: 'daily_revenue', createTime: T0 - 86_400_000, tableType: 'MANAGED_TABLE', parameters: { transient_lastDdlTime: '1764000000' } },
          relationshipAttributes: { db: { guid: '-1', typeName: 'hive_db' } },
        },
        { typeName: 'hive_column', guid: '-3', attributes: { qualifiedName: 'sales.daily_revenue.day@primary', name: 'day', type: 'date', position: 0 }, relationshipAttributes: { table: { guid: '-2', typeName: 'hive_table' } } },
      ],
    });
    await write(started(T0, fields('day', 'revenue')));
    expect(columnsOf(TABLE_QN)).toEqual(['day date 0']);
    expect(tableNamed(TABLE_QN)?.attributes.parameters).toEqual({ transient_lastDdlTime: '1764000000' });
    const job = active().find((e) => e.typeName === 'flink_job');
    expect((job?.attributes.datasetFields as unknown[]).length).toBe(4);
  });

  it('registers the dataset of a dataset.metadata event, with columns for a Hive table, and no job', async () => {
    const outcomes = await write(
      datasetEvent(T0, hiveSink(fields('day', 'revenue'))),
      datasetEvent(T0, { namespace: 'kafka://kafka-1:9092', name: 'Payments' }),
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['written', 'written']);
    expect(outcomes[1]).toMatchObject({ entities: [{ typeName: 'kafka_topic', qualifiedName: 'payments@primary' }] });
    expect(columnsOf(TABLE_QN)).toEqual(['day DATE 0', 'revenue DECIMAL(18, 2) 1']);
    expect(active().map((e) => e.typeName).sort()).toEqual(['hive_column', 'hive_column', 'hive_db', 'hive_table', 'kafka_topic']);
    // A repeat changes nothing.
    const [again] = await write(datasetEvent(T0, hiveSink(fields('day', 'revenue'))));
    expect(again).toMatchObject({ changedAtlas: false });
  });

  it('converges on the latest schema whatever the order and duplicates of the events reporting it', async () => {
    const schemas = [fields('day'), fields('day', 'revenue'), fields('day', 'revenue', 'orders'), fields('revenue', 'day')];
    const events: NativeEvent[] = schemas.flatMap((schema, i) => [started(T0 + i * 1000, schema), datasetEvent(T0 + i * 1000 + 500, hiveSink(schema))]);
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        fc.array(fc.nat({ max: events.length - 1 }), { maxLength: 3 }),
        async (shuffled, duplicates) => {
          atlas.emulator.resetEntities();
          for (const event of [...shuffled, ...duplicates.map((i) => shuffled[i]!)]) await write(event);
          expect(columnsOf(TABLE_QN)).toEqual(['revenue DECIMAL(18, 2) 0', 'day DATE 1']);
        },
      ),
      { numRuns: 12 },
    );
  });
});
