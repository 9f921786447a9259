// Fleet mode's coalescer: merging a run's events gives the state writing them one by one gives, whatever their
// interleaving and repetition; checkpoint-only updates are held within the interval, lifecycle changes never.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobStatus, JobStatusEvent, NativeEvent } from '../../../lib/contract/index.js';
import { mergeRunChanges } from '../../../lib/ingest/fleetCoalesce.js';
import { writeFleetBatch } from '../../../lib/ingest/fleetWrite.js';
import { writeEvents, type IndexedEvent } from '../../../lib/ingest/writeEvents.js';
import { eventToChanges } from '../../../lib/mapping/index.js';
import { naming, ordersLineage, resultEvent, statusEvent, T0 } from '../../helpers/events.js';
import { LegacyLineageAtlas } from '../../helpers/legacyLineageAtlas.js';
import { MemoryAtlas } from '../../helpers/memoryAtlas.js';

const MINUTE = 60_000;
const RUN = 'flink_job_run|flink-prod/orders-enrichment/3f2a9c1e5b7d4e0f8a6b1c2d3e4f5a6b@primary';
const JOB = 'flink_job|flink-prod/orders-enrichment@primary';

/** openlineage-flink's heartbeat: RUNNING, the same lineage, new checkpoint counters. */
const heartbeat = (at: number, completed: number): JobStatusEvent => ({
  ...statusEvent('RUNNING', at, { lineage: ordersLineage }),
  checkpoints: { completed, failed: 0, inProgress: 1, restored: 0, total: completed + 1 },
});

const indexed = (events: readonly NativeEvent[]): IndexedEvent[] => events.map((event, index) => ({ index, event }));

const oneByOne = async (events: readonly NativeEvent[]): Promise<MemoryAtlas> => {
  const atlas = new LegacyLineageAtlas();
  for (const event of events) await writeEvents(indexed([event]), atlas, naming);
  return atlas;
};

const attributesOf = (atlas: MemoryAtlas, key: string): Record<string, unknown> =>
  (atlas.snapshot()[key] as { attributes: Record<string, unknown> }).attributes;

// A run's life as the fleet sends it: lifecycle events, heartbeats, a result, in any order, some repeated.
const STATUSES: JobStatus[] = ['INITIALIZING', 'CREATED', 'RUNNING', 'RESTARTING', 'FAILING', 'CANCELED', 'FINISHED'];
const runEventArb = fc.oneof(
  fc.record({ minute: fc.integer({ min: 0, max: 60 }), completed: fc.nat(100) }).map(({ minute, completed }) => heartbeat(T0 + minute * MINUTE, completed) as NativeEvent),
  fc.record({ minute: fc.integer({ min: 0, max: 60 }), status: fc.constantFrom(...STATUSES) })
    .map(({ minute, status }) => statusEvent(status, T0 + minute * MINUTE, { job: { executionMode: 'STREAMING' }, lineage: ordersLineage }) as NativeEvent),
  fc.integer({ min: 0, max: 60 }).map((minute) => resultEvent(T0 + minute * MINUTE, { recordsIn: minute }) as NativeEvent),
);
/** The events, then a delivery of them: shuffled, some twice. */
const deliveryArb = fc.array(runEventArb, { minLength: 1, maxLength: 12 }).chain((events) =>
  fc.tuple(fc.constant(events), fc.shuffledSubarray([...events.keys(), ...events.keys()], { minLength: events.length })),
).map(([events, order]) => {
  const delivered = [...new Set(order.slice(0, events.length))];
  for (const i of events.keys()) if (!delivered.includes(i)) delivered.push(i);
  return [...delivered, ...order.slice(events.length)].map((i) => events[i]!);
});

describe('merging the events of a run (fleet mode)', () => {
  it('one change per run, equal to the plan of all of them', () => {
    const events = [heartbeat(T0, 1), heartbeat(T0 + MINUTE, 2), statusEvent('CANCELED', T0 + 2 * MINUTE)];
    const merged = mergeRunChanges(events.map((e) => eventToChanges(e, naming)));
    expect(merged).toHaveLength(1);
    expect(merged[0]!.run!.state.registers.status!.value.status).toBe('CANCELED');
    expect(merged[0]!.run!.state.registers.checkpoints!.value.checkpointsCompleted).toBe(2);
  });

  it('property: any interleaving and repetition, written in one fleet batch, gives the one-by-one state', async () => {
    await fc.assert(
      fc.asyncProperty(deliveryArb, fc.integer({ min: 1, max: 4 }), async (delivered, lanes) => {
        const fleet = new LegacyLineageAtlas();
        await writeFleetBatch(indexed(delivered), fleet, naming, { checkpointIntervalMs: 10 * MINUTE, maxConcurrency: lanes });
        expect(fleet.snapshot()).toEqual((await oneByOne(delivered)).snapshot());
      }),
      { numRuns: 60 },
    );
  });

  it('property: delivered in several batches, status, lineage and results are never behind, counters less than the interval', async () => {
    const interval = 10 * MINUTE;
    await fc.assert(
      fc.asyncProperty(deliveryArb, fc.array(fc.nat(3), { minLength: 1, maxLength: 6 }), async (delivered, cuts) => {
        const fleet = new LegacyLineageAtlas();
        const direct = new LegacyLineageAtlas();
        let start = 0;
        for (const [i, cut] of [...cuts, delivered.length].entries()) {
          const end = i === cuts.length ? delivered.length : Math.min(delivered.length, start + cut);
          const batch = delivered.slice(start, end);
          start = end;
          if (batch.length === 0) continue;
          await writeFleetBatch(indexed(batch), fleet, naming, { checkpointIntervalMs: interval, maxConcurrency: 2 });
          for (const event of batch) await writeEvents(indexed([event]), direct, naming);
          const f = attributesOf(fleet, RUN);
          const d = attributesOf(direct, RUN);
          for (const name of ['status', 'endTime', 'netRuntimeMs', 'recordsIn', 'resultTime', 'startTime']) expect(f[name], name).toEqual(d[name]);
          expect((fleet.snapshot()[JOB] as { refs: unknown }).refs).toEqual((direct.snapshot()[JOB] as { refs: unknown }).refs);
          if (d.checkpointsTime !== undefined) expect(f.checkpointsTime as number).toBeGreaterThan((d.checkpointsTime as number) - interval);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('checkpoint-only updates (fleet mode)', () => {
  it('a heartbeat a minute for an hour is written once per interval; a status change at once', async () => {
    const atlas = new LegacyLineageAtlas();
    const options = { checkpointIntervalMs: 10 * MINUTE, maxConcurrency: 4 };
    await writeFleetBatch(indexed([statusEvent('RUNNING', T0, { job: { executionMode: 'STREAMING' }, lineage: ordersLineage })]), atlas, naming, options);
    const writesBefore = atlas.writes;
    for (let minute = 1; minute <= 60; minute++) await writeFleetBatch(indexed([heartbeat(T0 + minute * MINUTE, minute)]), atlas, naming, options);
    // Minutes 1 (first counters), 11, 21, 31, 41, 51.
    expect(atlas.writes - writesBefore).toBe(6);
    expect(attributesOf(atlas, RUN).checkpointsCompleted).toBe(51);
    const outcomes = await writeFleetBatch(indexed([heartbeat(T0 + 56 * MINUTE, 56)]), atlas, naming, options);
    expect(outcomes[0]).toMatchObject({ outcome: 'written', changedAtlas: false });
    expect(outcomes[0]!.outcome === 'written' && outcomes[0]!.entities.map((e) => e.typeName)).toContain('flink_job_run');

    await writeFleetBatch(indexed([{ ...heartbeat(T0 + 62 * MINUTE, 62), job: { ...heartbeat(0, 0).job, status: 'RESTARTING' as const } }]), atlas, naming, options);
    expect(attributesOf(atlas, RUN)).toMatchObject({ status: 'RESTARTING', checkpointsCompleted: 62 });
  });

  it('a heartbeat naming new lineage, or a dataset Atlas lacks, is written at once', async () => {
    const atlas = new LegacyLineageAtlas();
    const options = { checkpointIntervalMs: 10 * MINUTE, maxConcurrency: 1 };
    await writeFleetBatch(indexed([heartbeat(T0, 1)]), atlas, naming, options);
    const moved = { ...heartbeat(T0 + MINUTE, 2), lineage: { ...ordersLineage, sinks: [{ namespace: 'kafka://kafka-1:9092', name: 'orders-out' }] } };
    await writeFleetBatch(indexed([moved]), atlas, naming, options);
    expect((atlas.snapshot()[JOB] as { refs: { outputs: string[] } }).refs.outputs).toEqual(['orders-out@primary']);
    expect(attributesOf(atlas, RUN).checkpointsCompleted).toBe(2);
  });

  it('a job Atlas holds without a lineageDigest (written before it existed) is written once, then held again', async () => {
    const atlas = new LegacyLineageAtlas();
    const options = { checkpointIntervalMs: 10 * MINUTE, maxConcurrency: 1 };
    await writeFleetBatch(indexed([heartbeat(T0, 1)]), atlas, naming, options);
    delete (atlas.entities.get(JOB)!.attributes as Record<string, unknown>).lineageDigest;
    const writes = atlas.writes;
    await writeFleetBatch(indexed([heartbeat(T0 + MINUTE, 2)]), atlas, naming, options);
    expect(atlas.writes - writes).toBe(1);
    expect(attributesOf(atlas, JOB).lineageDigest).toEqual(expect.any(String));
    await writeFleetBatch(indexed([heartbeat(T0 + 2 * MINUTE, 3)]), atlas, naming, options);
    expect(atlas.writes - writes).toBe(1);
  });

  it('interval 0 writes every update, as the direct mode does', async () => {
    const atlas = new LegacyLineageAtlas();
    for (let minute = 0; minute < 5; minute++) {
      await writeFleetBatch(indexed([heartbeat(T0 + minute * MINUTE, minute)]), atlas, naming, { checkpointIntervalMs: 0, maxConcurrency: 1 });
    }
    expect(atlas.writes).toBe(5);
  });
});
