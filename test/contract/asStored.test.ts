// The bridge against an Atlas that stores as Apache Atlas 2.4.0 does (facts: /work/shared/reference/atlas-as-stored.md):
// unset numbers, booleans and dates read back as 0 / false / epoch 0, legacy array attributes keep removed
// relationships, qualifiedName is unique per type. Each test names the Atlas class behind the behaviour it guards.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AtlasEntity } from '../../lib/atlas/index.js';
import type { NativeEvent } from '../../lib/contract/index.js';
import { writeEvents } from '../../lib/ingest/index.js';
import { isHiveHookTable } from '../../lib/mapping/index.js';
import { CT0, id, kafkaTable, tableEvent } from '../helpers/catalogEvents.js';
import { catalogDeliveryArb, inBatches } from '../helpers/catalogWorkload.js';
import { deploymentEvent, JOB_ID, naming, resultEvent, statusEvent, T0 } from '../helpers/events.js';
import { useTestAtlas } from '../helpers/stack.js';

const atlas = useTestAtlas({ env: false });

const RUN_QN = `flink-prod/orders-enrichment/${JOB_ID}@primary`;

const write = async (...events: NativeEvent[]) => {
  const outcomes = await writeEvents(events.map((event, index) => ({ index, event })), atlas.client, naming);
  expect(outcomes.map((o) => o.outcome)).toEqual(events.map(() => 'written'));
  return outcomes;
};

/** Bulk writes and deletes the events cause when Atlas already holds them. */
const writesOnRedelivery = async (...events: NativeEvent[]): Promise<number> => {
  atlas.emulator.resetStats();
  await write(...events);
  return atlas.emulator.stats.writes;
};

const runAttributes = async () => (await atlas.client.getEntityByQualifiedName('flink_job_run', RUN_QN))?.entity.attributes;

describe('the minimum register of startTime: epoch 0 is unset (EntityGraphMapper.mapAttribute stores Date(0))', () => {
  it.each([
    ['job.result', () => resultEvent(T0 + 9000)],
    ['a JobID-carrying job.deployment', () => deploymentEvent(T0 - 1000, '2.4.1')],
    ['a terminal status without a start time', () => statusEvent('CANCELED', T0 + 8000, { job: { previousStatus: 'CANCELLING' } })],
  ])('a run first created by %s gets its real startTime later', async (_label, first) => {
    await write(first());
    expect((await runAttributes())?.startTime).toBe(0);
    await write(statusEvent('RUNNING', T0 + 3000, { job: { startTime: T0 + 1000 } }));
    expect((await runAttributes())?.startTime).toBe(T0 + 1000);
  });
});

describe('redelivered events write nothing when Atlas reads back defaults for what they left unset', () => {
  it('a job.result without records counts (recordsIn/recordsOut read back as 0)', async () => {
    const event = resultEvent(T0 + 9000, { recordsIn: undefined, recordsOut: undefined, accumulators: {} });
    await write(event);
    expect((await runAttributes())).toMatchObject({ recordsIn: 0, recordsOut: 0 });
    expect(await writesOnRedelivery(event)).toBe(0);
  });

  it('a status event of a run whose first event set no start time, end time or parallelism', async () => {
    const event = statusEvent('CANCELED', T0 + 8000, { job: { previousStatus: 'CANCELLING' } });
    await write(event);
    expect(await writesOnRedelivery(event)).toBe(0);
  });

  it('a job whose lineage lost an input: attributes.inputs still lists it (EntityGraphRetriever, ignoreInactive=false)', async () => {
    const kafka = (name: string) => ({ namespace: 'kafka://kafka-1:9092', name });
    await write(statusEvent('INITIALIZING', T0, { lineage: { sources: [kafka('a'), kafka('b')], sinks: [] } }));
    const later = statusEvent('RUNNING', T0 + 1000, { lineage: { sources: [kafka('a')], sinks: [] } });
    await write(later);
    expect(await writesOnRedelivery(later)).toBe(0);
  });
});

describe('Hive tables the bridge created keep following the schema: createTime 0 is no Hive hook mark', () => {
  it('isHiveHookTable is false for a table the bridge created, as Atlas returns it (createTime 0), true for a hook table', async () => {
    const sink = (fields: string[]) => ({ namespace: 'hive://metastore:9083', name: 'sales.daily', schema: { fields: fields.map((name) => ({ name, type: 'STRING' })) } });
    await write(statusEvent('INITIALIZING', T0, { lineage: { sources: [], sinks: [sink(['day'])] } }));
    const created = (await atlas.client.getEntityByQualifiedName('hive_table', 'sales.daily@primary'))!.entity;
    expect(created.attributes.createTime).toBe(0);
    expect(isHiveHookTable(created)).toBe(false);
    const hook: AtlasEntity = { typeName: 'hive_table', attributes: { qualifiedName: 'sales.x@primary', createTime: T0, tableType: 'MANAGED_TABLE', parameters: { transient_lastDdlTime: '1' } } };
    expect(isHiveHookTable(hook)).toBe(true);
  });
});

describe('the catalog clear path does not loop: definitionTime null is stored as epoch 0', () => {
  it('a table dropped before it was first seen, then seen by a job, is written once and then left alone', async () => {
    await write(tableEvent('DROP', id('orders'), CT0));
    const seen = statusEvent('INITIALIZING', CT0 + 1000, {
      lineage: { sources: [{ namespace: 'kafka://kafka-1:9092', name: 'orders', symlinks: [{ namespace: 'kafka://kafka-1:9092', name: 'default_catalog.default_database.orders', type: 'TABLE' }] }], sinks: [] },
    });
    await write(seen);
    const table = await atlas.client.getEntityByQualifiedName('flink_table', 'default_catalog.default_database.orders@primary');
    expect(table?.entity.attributes.definitionTime).toBe(0);
    expect(await writesOnRedelivery(seen)).toBe(0);
  });

  it('a table defined, dropped and seen again is cleared once', async () => {
    await write(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders')));
    await write(tableEvent('DROP', id('orders'), CT0 + 1000));
    const seen = statusEvent('INITIALIZING', CT0 + 2000, {
      lineage: { sources: [{ namespace: 'kafka://kafka-1:9092', name: 'orders', symlinks: [{ namespace: 'kafka://kafka-1:9092', name: 'default_catalog.default_database.orders', type: 'TABLE' }] }], sinks: [] },
    });
    await write(seen);
    expect(await writesOnRedelivery(seen)).toBe(0);
  });
});

describe('qualifiedName is unique per type (GraphBackedSearchIndexer, PER_TYPE_UNIQUE)', () => {
  it('hive_db and hbase_namespace "default@primary" both read back by type: a redelivery writes nothing, no 500', async () => {
    const event = statusEvent('INITIALIZING', T0, {
      lineage: { sources: [{ namespace: 'hive://metastore:9083', name: 'default.customers' }], sinks: [{ namespace: 'hbase://zk:2181', name: 'users' }] },
    });
    await write(event);
    const db = await atlas.client.getEntityByQualifiedName('hive_db', 'default@primary');
    const namespace = await atlas.client.getEntityByQualifiedName('hbase_namespace', 'default@primary');
    expect([db?.entity.typeName, namespace?.entity.typeName]).toEqual(['hive_db', 'hbase_namespace']);
    expect(await writesOnRedelivery(event)).toBe(0);
    // The Referenceable read returned one of the two; the other was read again by its own type.
    expect(atlas.emulator.stats.reads).toBe(2);
    expect(atlas.emulator.entities().filter((e) => e.attributes.qualifiedName === 'default@primary')).toHaveLength(2);
  });

  it('names no two types share cost the one read', async () => {
    const event = statusEvent('INITIALIZING', T0, {
      lineage: { sources: [{ namespace: 'hive://metastore:9083', name: 'sales.customers' }], sinks: [{ namespace: 'hbase://zk:2181', name: 'crm:users' }] },
    });
    await write(event);
    expect(await writesOnRedelivery(event)).toBe(0);
    expect(atlas.emulator.stats.reads).toBe(1);
  });
});

/**
 * What a reader of Atlas sees: active entities by type and qualifiedName, their attributes without object ids and
 * their active relationships by name. Job and view-query links to catalog tables (inputs/outputs, seen from the table
 * as inputToProcesses/outputFromProcesses) are left out, as
 * in the MemoryAtlas property (test/unit/ingest/catalogConvergence.test.ts): Atlas links entities, not names.
 */
const PROCESS_LINKS = new Set(['inputs', 'outputs', 'inputToProcesses', 'outputFromProcesses']);

const catalogContent = (): Record<string, unknown> => {
  const entities = atlas.emulator.entities();
  const nameOf = new Map(entities.map((e) => [e.guid, `${e.typeName} ${e.attributes.qualifiedName as string}`]));
  const isObjectId = (v: unknown) => typeof v === 'object' && v !== null && 'guid' in v;
  const activeNames = (v: unknown) =>
    (Array.isArray(v) ? v : v === null || v === undefined ? [] : [v])
      .filter((r: { relationshipStatus?: string }) => r.relationshipStatus !== 'DELETED')
      .map((r: { guid?: string }) => nameOf.get(r.guid ?? ''))
      .sort();
  return Object.fromEntries(
    entities
      .filter((e) => e.status === 'ACTIVE')
      .map((e) => [
        `${e.typeName} ${e.attributes.qualifiedName as string}`,
        {
          // Legacy copies of relationships under attributes (inputs, columns...) are compared below, by name.
          attributes: Object.fromEntries(Object.entries(e.attributes).filter(([k, v]) => !(k in (e.relationshipAttributes ?? {})) && !isObjectId(v))),
          relationships: Object.fromEntries(
            Object.entries(e.relationshipAttributes ?? {})
              .filter(([k]) => !PROCESS_LINKS.has(k))
              .map(([k, v]) => [k, activeNames(v)])
              .filter(([, names]) => (names as unknown[]).length > 0),
          ),
        },
      ]),
  );
};

describe('Property: catalog and job events converge on an Atlas storing defaults, and then write nothing', () => {
  it('any order, duplicates and batching give the in-order state; delivering everything again writes nothing', async () => {
    const deliver = async (events: readonly NativeEvent[], batches: readonly number[] = []) => {
      for (const batch of inBatches(events, batches)) await write(...batch);
    };
    await fc.assert(
      fc.asyncProperty(catalogDeliveryArb(10), async ({ events, delivered, batches }) => {
        atlas.emulator.resetEntities();
        await deliver(events);
        const expected = catalogContent();
        atlas.emulator.resetEntities();
        await deliver(delivered, batches);
        expect(catalogContent()).toEqual(expected);
        // No write loop: Atlas holds every event now, whatever it stored for what they left unset.
        atlas.emulator.resetStats();
        await deliver(delivered, batches);
        expect(atlas.emulator.stats.writes).toBe(0);
      }),
      { numRuns: 25 },
    );
  }, 300_000);
});
