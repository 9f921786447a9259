// A lineage input or output removed and later sent again: Atlas leaves its relationship DELETED on the bulk write
// (EntityGraphMapper.mapArrayValue; seen on Atlas 2.1.0), so the bridge links it again with POST /v2/relationship.
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtlasError } from '../../lib/atlas/index.js';
import type { AtlasRelatedObjectId } from '../../lib/atlas/model.js';
import type { FlinkEvent, LineageDataset } from '../../lib/contract/index.js';
import type { AtlasPort } from '../../lib/atlas/index.js';
import { deliverEvents, processRetryBatch, writeEvents, type RetryRecord } from '../../lib/ingest/index.js';
import { activeRelatedRefs } from '../../lib/mapping/index.js';
import { naming, statusEvent, T0 } from '../helpers/events.js';
import { CT0, id, kafkaTable, tableEvent, viewOf } from '../helpers/catalogEvents.js';
import { entriesSentTo, mockedQueue, QUEUE_URLS } from '../helpers/sqs.js';
import { useTestAtlas } from '../helpers/stack.js';

const atlas = useTestAtlas({ env: false });
const JOB_QN = 'flink-prod/orders-enrichment@primary';
const topic = (name: string): LineageDataset => ({ namespace: 'kafka://kafka-1:9092', name });
const lineageAt = (at: number, sources: LineageDataset[], sinks: LineageDataset[]) =>
  [{ index: 0, event: statusEvent('RUNNING', at, { lineage: { sources, sinks } }) }];
/** The port's calls, each replaceable: a fault of one call, the rest reaching Atlas. */
const portOf = (client: AtlasPort): AtlasPort => ({
  getEntitiesByQualifiedNames: (names, typeName) => client.getEntitiesByQualifiedNames(names, typeName),
  getEntityByQualifiedName: (type, name) => client.getEntityByQualifiedName(type, name),
  bulkWrite: (request) => client.bulkWrite(request),
  deleteByQualifiedName: (type, name) => client.deleteByQualifiedName(type, name),
  createRelationship: (relationship) => client.createRelationship(relationship),
});
/** Atlas applying every bulk write, and, while told to, losing its answer (a socket hang-up after the apply). */
const answerLosingAtlas = () => {
  let losing = false;
  const lossy: AtlasPort = {
    ...portOf(atlas.client),
    bulkWrite: async (request) => {
      const response = await atlas.client.bulkWrite(request);
      if (losing) throw new AtlasError('socket hang up', 'retryable', {});
      return response;
    },
  };
  return { lossy, loseAnswers: (lose: boolean) => void (losing = lose) };
};
const job = async () => (await atlas.client.getEntityByQualifiedName('flink_job', JOB_QN))!.entity;
const linked = async (attribute: 'inputs' | 'outputs') => activeRelatedRefs(await job(), attribute).map((r) => r.qualifiedName);

describe('lineage removed, then sent again', () => {
  it('inputs [a,b] -> [a] -> [a,b] and outputs [x,y] -> [x] -> [x,y]: all ACTIVE again, in Atlas lineage too', async () => {
    await writeEvents(lineageAt(T0, [topic('a'), topic('b')], [topic('x'), topic('y')]), atlas.client, naming);
    await writeEvents(lineageAt(T0 + 60_000, [topic('a')], [topic('x')]), atlas.client, naming);
    expect(await linked('inputs')).toEqual(['a@primary']);
    await writeEvents(lineageAt(T0 + 120_000, [topic('a'), topic('b')], [topic('x'), topic('y')]), atlas.client, naming);
    expect(await linked('inputs')).toEqual(['a@primary', 'b@primary']);
    expect(await linked('outputs')).toEqual(['x@primary', 'y@primary']);
    const lineage = await atlas.client.lineage('flink_job', JOB_QN, 'BOTH', 1);
    const names = Object.values(lineage.guidEntityMap).map((h) => h.attributes?.qualifiedName).sort();
    expect(names).toEqual(['a@primary', 'b@primary', JOB_QN, 'x@primary', 'y@primary']);
  });

  it('costs one read and one relationship create per re-added target, and nothing when a job keeps its lineage', async () => {
    await writeEvents(lineageAt(T0, [topic('a'), topic('b')], []), atlas.client, naming);
    await writeEvents(lineageAt(T0 + 60_000, [topic('a')], []), atlas.client, naming);
    atlas.emulator.resetStats();
    await writeEvents(lineageAt(T0 + 120_000, [topic('a'), topic('b')], []), atlas.client, naming);
    const relationshipPosts = atlas.emulator.stats.byRoute['POST /v2/relationship'] ?? 0;
    expect(relationshipPosts).toBe(1);
    const inputs = (await job()).relationshipAttributes?.inputs as AtlasRelatedObjectId[];
    // The DELETED edge Atlas kept stays beside the new one, as in Atlas.
    expect(inputs.map((i) => `${i.qualifiedName}:${i.relationshipStatus}`).sort()).toEqual(['a@primary:ACTIVE', 'b@primary:ACTIVE', 'b@primary:DELETED']);
    atlas.emulator.resetStats();
    await writeEvents(lineageAt(T0 + 180_000, [topic('a'), topic('b')], []), atlas.client, naming);
    expect(atlas.emulator.stats.byRoute['POST /v2/relationship'] ?? 0).toBe(0);
  });

  it('a re-link that keeps failing after the bulk write is made by a retry that verifies lineage', async () => {
    let failRelationship = true;
    const flaky: AtlasPort = {
      ...portOf(atlas.client),
      createRelationship: async (relationship) => {
        if (failRelationship) throw new Error('Atlas went away');
        return atlas.client.createRelationship(relationship);
      },
    };
    await writeEvents(lineageAt(T0, [topic('a'), topic('b')], []), flaky, naming);
    await writeEvents(lineageAt(T0 + 60_000, [topic('a')], []), flaky, naming);
    const readded = lineageAt(T0 + 120_000, [topic('a'), topic('b')], []);
    expect((await writeEvents(readded, flaky, naming))[0]?.outcome).toBe('failed');
    failRelationship = false;
    // A plain retry finds nothing to write: the bulk write was applied.
    await writeEvents(readded, flaky, naming);
    expect(await linked('inputs')).toEqual(['a@primary']);
    // A retry flagged to verify checks the links the event's lineage holds.
    await writeEvents(readded.map((e) => ({ ...e, verifyLineage: true })), flaky, naming);
    expect(await linked('inputs')).toEqual(['a@primary', 'b@primary']);
  });

  it('a bulk write re-adding lineage, applied with its answer lost, fails flagged; the flagged retry links it', async () => {
    const { lossy, loseAnswers } = answerLosingAtlas();
    loseAnswers(true);
    // A job's first lineage links targets never linked before: its failure needs no check.
    const [first] = await writeEvents(lineageAt(T0, [topic('a'), topic('b')], []), lossy, naming);
    expect(first).toMatchObject({ outcome: 'failed', error: { kind: 'retryable' } });
    expect(first?.outcome === 'failed' && first.error.verifyLineage).toBeFalsy();
    loseAnswers(false);
    await writeEvents(lineageAt(T0 + 60_000, [topic('a')], []), lossy, naming);
    loseAnswers(true);
    const readded = lineageAt(T0 + 120_000, [topic('a'), topic('b')], []);
    const [failed] = await writeEvents(readded, lossy, naming);
    expect(failed).toMatchObject({ outcome: 'failed', error: { kind: 'retryable', verifyLineage: true } });
    loseAnswers(false);
    expect(await linked('inputs')).toEqual(['a@primary']);
    await writeEvents(readded.map((e) => ({ ...e, verifyLineage: true })), lossy, naming);
    expect(await linked('inputs')).toEqual(['a@primary', 'b@primary']);
  });
});

describe('a Flink table whose connector topic changes back', () => {
  it('topic a -> b -> a: the table links a ACTIVE again (physicalDatasets has no legacy copy to tell)', async () => {
    const t1 = id('t1', 'd1');
    for (const [i, topicName] of ['t1-a', 't1-b', 't1-a'].entries()) {
      await writeEvents([{ index: 0, event: tableEvent('ALTER', t1, CT0 + i * 1000, kafkaTable(topicName)) }], atlas.client, naming);
    }
    const table = (await atlas.client.getEntityByQualifiedName('flink_table', 'default_catalog.d1.t1@primary'))!.entity;
    expect(activeRelatedRefs(table, 'physicalDatasets').map((r) => r.qualifiedName)).toEqual(['t1-a@primary']);
  });

  it('topic a -> b -> a, the last write applied with its answer lost: it fails flagged; its retry links a ACTIVE', async () => {
    const t1 = id('t1', 'd1');
    const { lossy, loseAnswers } = answerLosingAtlas();
    for (const [i, topicName] of ['t1-a', 't1-b'].entries()) {
      await writeEvents([{ index: 0, event: tableEvent('ALTER', t1, CT0 + i * 1000, kafkaTable(topicName)) }], lossy, naming);
    }
    loseAnswers(true);
    const readded = [{ index: 0, event: tableEvent('ALTER', t1, CT0 + 2000, kafkaTable('t1-a')) }];
    const [failed] = await writeEvents(readded, lossy, naming);
    expect(failed).toMatchObject({ outcome: 'failed', error: { kind: 'retryable', verifyLineage: true } });
    loseAnswers(false);
    const physical = async () => activeRelatedRefs(
      (await atlas.client.getEntityByQualifiedName('flink_table', 'default_catalog.d1.t1@primary'))!.entity, 'physicalDatasets',
    ).map((r) => r.qualifiedName);
    expect(await physical()).toEqual([]);
    // A plain retry finds the definition in place and writes nothing; the flagged one checks its links.
    await writeEvents(readded, lossy, naming);
    expect(await physical()).toEqual([]);
    const [retried] = await writeEvents(readded.map((e) => ({ ...e, verifyLineage: true })), lossy, naming);
    expect(retried?.outcome).toBe('written');
    expect(await physical()).toEqual(['t1-a@primary']);
  });

  it("a view's query whose re-added table's link was lost is linked by the flagged retry", async () => {
    const v = id('v', 'd1');
    let failRelationship = false;
    const flaky: AtlasPort = {
      ...portOf(atlas.client),
      createRelationship: async (relationship) => {
        if (failRelationship) throw new AtlasError('lost', 'retryable', {});
        return atlas.client.createRelationship(relationship);
      },
    };
    const reading = (tables: string[]) => viewOf(`SELECT 1 FROM ${tables.map((t) => `\`default_catalog\`.\`d1\`.\`${t}\``).join(', ')}`);
    for (const t of ['t1', 't2']) await writeEvents([{ index: 0, event: tableEvent('CREATE', id(t, 'd1'), CT0, kafkaTable(t)) }], flaky, naming);
    await writeEvents([{ index: 0, event: tableEvent('ALTER', v, CT0 + 1000, reading(['t1', 't2'])) }], flaky, naming);
    await writeEvents([{ index: 0, event: tableEvent('ALTER', v, CT0 + 2000, reading(['t1'])) }], flaky, naming);
    failRelationship = true;
    const readded = [{ index: 0, event: tableEvent('ALTER', v, CT0 + 3000, reading(['t1', 't2'])) }];
    expect((await writeEvents(readded, flaky, naming))[0]).toMatchObject({ outcome: 'failed', error: { verifyLineage: true } });
    failRelationship = false;
    const inputs = async () => activeRelatedRefs(
      (await atlas.client.getEntityByQualifiedName('flink_view_query', 'default_catalog.d1.v/query@primary'))!.entity, 'inputs',
    ).map((r) => r.qualifiedName);
    expect(await inputs()).toEqual(['default_catalog.d1.t1@primary']);
    await writeEvents(readded.map((e) => ({ ...e, verifyLineage: true })), flaky, naming);
    expect(await inputs()).toEqual(['default_catalog.d1.t1@primary', 'default_catalog.d1.t2@primary']);
  });
});

describe("a view whose query's tables go [t1,t2] -> [t1] -> [t1,t2]", () => {
  const VIEW_QUERY_QN = 'default_catalog.d1.v/query@primary';
  const viewReading = (tables: string[]) =>
    viewOf(`SELECT 1 FROM ${tables.map((t) => `\`default_catalog\`.\`d1\`.\`${t}\``).join(', ')}`);

  it('t2 is read ACTIVE again: a held table the write re-sends (its existenceTime) is re-linked by its stored guid', async () => {
    const v = id('v', 'd1');
    for (const t of ['t1', 't2']) await writeEvents([{ index: 0, event: tableEvent('CREATE', id(t, 'd1'), CT0, kafkaTable(t)) }], atlas.client, naming);
    for (const [i, tables] of [['t1', 't2'], ['t1'], ['t1', 't2']].entries()) {
      const [outcome] = await writeEvents([{ index: 0, event: tableEvent('ALTER', v, CT0 + (i + 1) * 1000, viewReading(tables)) }], atlas.client, naming);
      expect(outcome?.outcome).toBe('written');
    }
    const stored = (await atlas.client.getEntityByQualifiedName('flink_view_query', VIEW_QUERY_QN))!.entity;
    expect(activeRelatedRefs(stored, 'inputs').map((r) => r.qualifiedName)).toEqual(['default_catalog.d1.t1@primary', 'default_catalog.d1.t2@primary']);
  });
});

describe('lineage links through the retry queue', () => {
  const sqs = mockClient(SQSClient);
  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
  });
  afterEach(() => sqs.reset());
  const record = (events: FlinkEvent[], receiveCount: number, extra: Record<string, unknown> = {}): RetryRecord =>
    ({ messageId: 'm1', receiptHandle: 'h1', body: JSON.stringify({ v: 1, stage: 'retry', events, ...extra }), receiveCount });
  const workerDeps = () => ({ atlas: atlas.client, naming, queue: mockedQueue(), maxReceiveCount: 5, random: () => 0.5 });
  /** Re-adds b with its re-link lost, as when Atlas applied the bulk write and failed after it. */
  const leaveBDeleted = async (): Promise<FlinkEvent> => {
    await writeEvents(lineageAt(T0, [topic('a'), topic('b')], []), atlas.client, naming);
    await writeEvents(lineageAt(T0 + 60_000, [topic('a')], []), atlas.client, naming);
    const readded = statusEvent('RUNNING', T0 + 120_000, { lineage: { sources: [topic('a'), topic('b')], sinks: [] } });
    const relinkLost: AtlasPort = { ...portOf(atlas.client), createRelationship: async () => { throw new AtlasError('lost', 'retryable', {}); } };
    await writeEvents([{ index: 0, event: readded }], relinkLost, naming);
    expect(await linked('inputs')).toEqual(['a@primary']);
    return readded;
  };
  const reads = () => Object.entries(atlas.emulator.stats.byRoute).reduce((n, [route, count]) => (route.startsWith('GET ') ? n + count : n), 0);

  it('the HTTP path queues a flagged message when a write re-adding lineage fails after Atlas applied it', async () => {
    await writeEvents(lineageAt(T0, [topic('a'), topic('b')], []), atlas.client, naming);
    await writeEvents(lineageAt(T0 + 60_000, [topic('a')], []), atlas.client, naming);
    const lossy: AtlasPort = { ...portOf(atlas.client), bulkWrite: async (request) => {
      await atlas.client.bulkWrite(request);
      throw new AtlasError('timeout of 300ms exceeded', 'retryable', {});
    } };
    const readded = statusEvent('RUNNING', T0 + 120_000, { lineage: { sources: [topic('a'), topic('b')], sinks: [] } });
    const [outcome] = await deliverEvents([{ index: 0, event: readded }], { atlas: lossy, naming, queue: mockedQueue() });
    expect(outcome?.outcome).toBe('queued');
    const [message] = entriesSentTo(sqs, QUEUE_URLS.retry);
    const body = JSON.parse(message!.MessageBody!) as { verifyLineage?: boolean; events: FlinkEvent[] };
    expect(body.verifyLineage).toBe(true);
    // The worker drains it on first delivery: nothing to write, and the link made.
    const result = await processRetryBatch([record(body.events, 1, { verifyLineage: true })], workerDeps());
    expect(result.batchItemFailures).toEqual([]);
    expect(await linked('inputs')).toEqual(['a@primary', 'b@primary']);
  });

  it('the worker checks the links of a redelivered message, and reads once for a first delivery without the flag', async () => {
    const readded = await leaveBDeleted();
    atlas.emulator.resetStats();
    await processRetryBatch([record([readded], 1)], workerDeps());
    expect(reads()).toBe(1);
    expect(await linked('inputs')).toEqual(['a@primary']);
    await processRetryBatch([record([readded], 2)], workerDeps());
    expect(await linked('inputs')).toEqual(['a@primary', 'b@primary']);
  });
});
