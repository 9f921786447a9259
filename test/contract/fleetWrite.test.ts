// Fleet mode's worker write against the Atlas emulator over HTTP, with the real client: heartbeats of many runs in
// one batch land as one read and one write, a checkpoint-only batch within the interval writes nothing (lineage
// compared by the job's stored lineageDigest, not the legacy inputs/outputs that keep removed relations), a status
// change lands at once, and the state equals the one writing every event one by one gives (apart from the held
// counters and times).
import { describe, expect, it } from 'vitest';
import type { LineageDataset, NativeEvent } from '../../lib/contract/index.js';
import { writeFleetBatch } from '../../lib/ingest/fleetWrite.js';
import { writeEvents } from '../../lib/ingest/index.js';
import { activeRelatedRefs } from '../../lib/mapping/index.js';
import { naming, ordersLineage, statusEvent, T0 } from '../helpers/events.js';
import { useTestAtlas } from '../helpers/stack.js';

const atlas = useTestAtlas({ env: false });
const MINUTE = 60_000;
const id = (n: number): string => n.toString(16).padStart(32, '0');
const options = { checkpointIntervalMs: 5 * MINUTE, maxConcurrency: 4 };

const heartbeat = (n: number, at: number, completed: number, lineage = ordersLineage): NativeEvent => ({
  ...statusEvent('RUNNING', at, { job: { name: `job-${n}`, id: id(n), executionMode: 'STREAMING' }, lineage }),
  checkpoints: { completed, failed: 0, inProgress: 1, restored: 0, total: completed + 1 },
});
const indexed = (events: readonly NativeEvent[]) => events.map((event, index) => ({ index, event }));
const runs = () => atlas.emulator.entities().filter((e) => e.typeName === 'flink_job_run' && e.status === 'ACTIVE');
const calls = () => ({ reads: atlas.emulator.stats.reads, writes: atlas.emulator.stats.writes });

describe('Contract: fleet mode writes against the Atlas emulator', () => {
  it('holds checkpoint-only updates within the interval, writes them after it, and a status change at once', async () => {
    await writeFleetBatch(indexed(Array.from({ length: 8 }, (_, n) => heartbeat(n, T0, 1))), atlas.client, naming, options);
    expect(runs()).toHaveLength(8);

    atlas.emulator.resetStats();
    const minuteLater = await writeFleetBatch(indexed(Array.from({ length: 8 }, (_, n) => heartbeat(n, T0 + MINUTE, 2))), atlas.client, naming, options);
    expect(minuteLater.map((o) => o.outcome === 'written' && o.changedAtlas)).toEqual(Array(8).fill(false));
    expect(calls()).toEqual({ reads: 1, writes: 0 });
    expect(runs().map((r) => r.attributes.checkpointsCompleted)).toEqual(Array(8).fill(1));

    atlas.emulator.resetStats();
    await writeFleetBatch(indexed(Array.from({ length: 8 }, (_, n) => heartbeat(n, T0 + 6 * MINUTE, 7))), atlas.client, naming, options);
    // One read and one write of the eight runs; the jobs are not resent, so no read back for the re-link check.
    expect(calls()).toEqual({ reads: 1, writes: 1 });
    expect(runs().map((r) => r.attributes.checkpointsCompleted)).toEqual(Array(8).fill(7));

    await writeFleetBatch(indexed([statusEvent('CANCELED', T0 + 6 * MINUTE + 1, { job: { name: 'job-3', id: id(3) } })]), atlas.client, naming, options);
    expect(runs().find((r) => r.attributes.jobId === id(3))?.attributes.status).toBe('CANCELED');
  });

  it('a batch holding a run\'s whole life, shuffled and repeated, leaves what one-by-one writes leave', async () => {
    const life: NativeEvent[] = [
      statusEvent('CREATED', T0, { job: { name: 'job-99', id: id(99) }, lineage: ordersLineage }),
      heartbeat(99, T0 + MINUTE, 1),
      statusEvent('RUNNING', T0 + 30_000, { job: { name: 'job-99', id: id(99), executionMode: 'STREAMING' }, lineage: ordersLineage }),
      statusEvent('FINISHED', T0 + 2 * MINUTE, { job: { name: 'job-99', id: id(99) } }),
    ];
    for (const event of life) await writeEvents(indexed([event]), atlas.client, naming);
    const direct = runs().find((r) => r.attributes.jobId === id(99))!.attributes;
    atlas.emulator.resetEntities();
    await writeFleetBatch(indexed([life[3]!, life[1]!, life[0]!, life[3]!, life[2]!, life[1]!]), atlas.client, naming, options);
    const fleet = runs().find((r) => r.attributes.jobId === id(99))!.attributes;
    expect(fleet).toEqual(direct);
  });

  it('a heartbeat re-adding a dataset removed earlier in the run is written with its re-link, not taken as unchanged', async () => {
    // Atlas's inputs attribute still lists b after it was removed: only the stored lineageDigest tells.
    const topic = (name: string): LineageDataset => ({ namespace: 'kafka://kafka-1:9092', name });
    const beat = (at: number, completed: number, sources: LineageDataset[]) => heartbeat(5, at, completed, { sources, sinks: [topic('x')] });
    const inputs = async () => activeRelatedRefs((await atlas.client.getEntityByQualifiedName('flink_job', 'flink-prod/job-5@primary'))!.entity, 'inputs')
      .map((r) => r.qualifiedName);
    await writeFleetBatch(indexed([beat(T0, 1, [topic('a'), topic('b')])]), atlas.client, naming, options);
    await writeFleetBatch(indexed([beat(T0 + MINUTE, 2, [topic('a')])]), atlas.client, naming, options);
    expect(await inputs()).toEqual(['a@primary']);
    const job = (await atlas.client.getEntityByQualifiedName('flink_job', 'flink-prod/job-5@primary'))!.entity;
    expect((job.attributes.inputs as { uniqueAttributes: { qualifiedName: string } }[]).map((r) => r.uniqueAttributes.qualifiedName)).toEqual(['a@primary', 'b@primary']);
    await writeFleetBatch(indexed([beat(T0 + 2 * MINUTE, 3, [topic('a'), topic('b')])]), atlas.client, naming, options);
    expect(await inputs()).toEqual(['a@primary', 'b@primary']);
    // And from then on the same lineage is a heartbeat again: held within the interval.
    atlas.emulator.resetStats();
    await writeFleetBatch(indexed([beat(T0 + 3 * MINUTE, 4, [topic('a'), topic('b')])]), atlas.client, naming, options);
    expect(calls()).toEqual({ reads: 1, writes: 0 });
  });
});
