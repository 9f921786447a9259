import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlinkEvent } from '../../../lib/contract/index.js';
import { deliverEvents, ingestFlinkRest, ingestOpenLineage } from '../../../lib/ingest/index.js';
import { iso, naming, statusEvent } from '../../helpers/events.js';
import { restJob } from '../../helpers/flinkRest.js';
import { MemoryAtlas } from '../../helpers/memoryAtlas.js';
import { FLINK_JOB_ID, runEvent } from '../../helpers/openLineage.js';

const T = Date.parse('2026-11-25T09:00:00.000Z');
const ordersFields = [{ name: 'id', type: 'BIGINT' }, { name: 'amount', type: 'DECIMAL(10, 2)' }];

const nativeRun = (terminal: 'CANCELED' | 'FAILED'): FlinkEvent[] => [
  statusEvent('INITIALIZING', T, {
    job: { id: FLINK_JOB_ID, executionMode: 'STREAMING' },
    lineage: {
      sources: [{ namespace: 'kafka://kafka-1:9092', name: 'orders', schema: { fields: ordersFields } }, { namespace: 'hive://metastore:9083', name: 'sales.customers_dim' }],
      sinks: [{ namespace: 's3://lake', name: 'enriched/orders' }],
    },
  }),
  statusEvent('RUNNING', T + 1000, { job: { id: FLINK_JOB_ID }, checkpoints: { completed: 1, failed: 0, inProgress: 1, restored: 0, total: 2 } }),
  statusEvent('RUNNING', T + 2000, { job: { id: FLINK_JOB_ID }, checkpoints: { completed: 4, failed: 1, inProgress: 0, restored: 0, total: 5 } }),
  terminal === 'FAILED'
    ? statusEvent('FAILED', T + 3000, { job: { id: FLINK_JOB_ID }, error: { message: 'Job failed', stackTrace: 'java.lang.RuntimeException: boom' } })
    : statusEvent('CANCELED', T + 3000, { job: { id: FLINK_JOB_ID } }),
];

/** The same run as the 2.x integration reports it; times carry an offset and microseconds, as Java writes them. */
const openLineageRun = (terminal: 'ABORT' | 'FAIL', runId = '01936f0e-6a4b-7c21-9d3e-5f8a2b4c6d10', jobId = FLINK_JOB_ID, t = T) => {
  const at = (ms: number) => iso(ms).replace('Z', '000+00:00');
  const checkpoints = (completed: number, failed: number, inProgress: number, total: number) => ({
    checkpoints: { completed, failed, 'in-progress': inProgress, restored: 0, total },
  });
  return [
    runEvent({
      eventType: 'START', eventTime: at(t), runId, jobId,
      jobFacets: { jobType: { processingType: 'STREAMING', integration: 'FLINK', jobType: 'JOB' } },
      inputs: [
        { namespace: 'kafka://kafka-1:9092', name: 'orders', facets: { schema: { fields: ordersFields } } },
        { namespace: 'hive://metastore:9083', name: 'sales.customers_dim' },
      ],
      outputs: [{ namespace: 's3://lake', name: 'enriched/orders' }],
    }),
    runEvent({ eventType: 'RUNNING', eventTime: at(t + 1000), runId, jobId, runFacets: checkpoints(1, 0, 1, 2) }),
    runEvent({ eventType: 'RUNNING', eventTime: at(t + 2000), runId, jobId, runFacets: checkpoints(4, 1, 0, 5) }),
    terminal === 'FAIL'
      ? runEvent({ eventType: 'FAIL', eventTime: at(t + 3000), runId, jobId, inputs: [], outputs: [], runFacets: { errorMessage: { message: 'Job failed', programmingLanguage: 'JAVA', stackTrace: 'java.lang.RuntimeException: boom' } } })
      : runEvent({ eventType: 'ABORT', eventTime: at(t + 3000), runId, jobId, inputs: [], outputs: [] }),
  ];
};

const deliverNative = async (events: readonly FlinkEvent[], atlas = new MemoryAtlas()) => {
  for (const event of events) await deliverEvents([{ index: 0, event }], { atlas, naming });
  return atlas;
};

const deliverOpenLineage = async (bodies: readonly unknown[], atlas = new MemoryAtlas()) => {
  for (const body of bodies) {
    const ingested = await ingestOpenLineage(body, { atlas, naming });
    if (ingested.outcome !== 'delivered' || ingested.report.results.some((r) => r.outcome !== 'written')) {
      throw new Error(`not written: ${JSON.stringify(ingested)}`);
    }
  }
  return atlas;
};

const RUN = `flink_job_run|flink-prod/orders-enrichment/${FLINK_JOB_ID}@primary`;

describe('Same job, native and OpenLineage', () => {
  it('gives identical datasets, job and run in Atlas for a cancelled run', async () => {
    const native = (await deliverNative(nativeRun('CANCELED'))).snapshot();
    const openLineage = (await deliverOpenLineage(openLineageRun('ABORT'))).snapshot();
    expect(openLineage).toEqual(native);
    expect(Object.keys(openLineage)).toEqual(expect.arrayContaining([
      'flink_job|flink-prod/orders-enrichment@primary', RUN, 'kafka_topic|orders@primary', 'hive_table|sales.customers_dim@primary',
    ]));
  });

  it('gives identical Atlas state for a failed run, error included', async () => {
    const native = await deliverNative(nativeRun('FAILED'));
    const openLineage = await deliverOpenLineage(openLineageRun('FAIL'));
    expect(openLineage.snapshot()).toEqual(native.snapshot());
    expect(openLineage.entities.get(RUN)?.attributes).toMatchObject({ status: 'FAILED', errorMessage: 'Job failed', checkpointsCompleted: 4, checkpointsTotal: 5 });
  });

  it('merges the Flink REST JSON of the same JobID into the same run', async () => {
    const atlas = await deliverOpenLineage(openLineageRun('ABORT'));
    const report = await ingestFlinkRest(restJob('CANCELED', { jid: FLINK_JOB_ID, now: T + 3500, 'end-time': T + 3000, 'start-time': T }), { cluster: 'flink-prod' }, { atlas, naming });
    expect(report.results.every((r) => r.outcome === 'written')).toBe(true);
    const runs = [...atlas.entities.keys()].filter((key) => key.startsWith('flink_job_run|'));
    expect(runs).toEqual([RUN]);
    expect(atlas.entities.get(RUN)?.attributes).toMatchObject({ status: 'CANCELED', recordsIn: 1200, recordsOut: 1100, checkpointsTotal: 5 });
  });
});

describe('Property: out-of-order and duplicated OpenLineage events converge', () => {
  const second = openLineageRun('FAIL', '01936f0e-6a4b-7c21-9d3e-5f8a2b4c6d11', '0123456789abcdef0123456789abcdef', T + 60_000);
  const events = [...openLineageRun('ABORT'), ...second];

  it('any permutation with duplicates gives the in-order state', async () => {
    const inOrder = (await deliverOpenLineage(events)).snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        fc.array(fc.nat({ max: events.length - 1 }), { maxLength: 6 }),
        async (shuffled, duplicateAt) => {
          const delivered = [...shuffled, ...duplicateAt.map((i) => shuffled[i]!)];
          expect((await deliverOpenLineage(delivered)).snapshot()).toEqual(inOrder);
        },
      ),
      { numRuns: 100 },
    );
  });
});
