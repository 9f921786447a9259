// Fleet mode's write of a drained batch: the bound on concurrent Atlas calls, and lanes that hold whole jobs.
import { describe, expect, it } from 'vitest';
import type { JobStatusEvent } from '../../../lib/contract/index.js';
import { boundedAtlas, splitLanes, writeFleetBatch } from '../../../lib/ingest/fleetWrite.js';
import type { IndexedEvent } from '../../../lib/ingest/writeEvents.js';
import { naming, statusEvent, T0 } from '../../helpers/events.js';
import { MemoryAtlas } from '../../helpers/memoryAtlas.js';

const indexed = (events: readonly JobStatusEvent[]): IndexedEvent[] => events.map((event, index) => ({ index, event }));

/** A MemoryAtlas whose reads take a real 2 ms, counting how many are in flight at once. */
const slowAtlas = () => {
  const atlas = new MemoryAtlas();
  const stats = { inFlight: 0, peak: 0 };
  const read = atlas.getEntitiesByQualifiedNames.bind(atlas);
  atlas.getEntitiesByQualifiedNames = async (names, typeName) => {
    stats.inFlight += 1;
    stats.peak = Math.max(stats.peak, stats.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 2));
    stats.inFlight -= 1;
    return read(names, typeName);
  };
  return { atlas, stats };
};

describe('the Atlas concurrency bound', () => {
  it('never lets more than the bound run at once, and queues the rest', async () => {
    const { atlas, stats } = slowAtlas();
    const bounded = boundedAtlas(atlas, 3);
    await Promise.all(Array.from({ length: 20 }, (_, i) => bounded.getEntitiesByQualifiedNames([`n${i}`], 'Referenceable')));
    expect(stats.peak).toBe(3);
    expect(bounded.stats).toMatchObject({ peakInFlight: 3, inFlight: 0, waited: 17 });
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => boundedAtlas(new MemoryAtlas(), 0)).toThrow(/positive integer/);
  });

  it('a batch of 200 runs of 40 jobs writes in lanes, never more Atlas calls at once than the bound', async () => {
    const { atlas, stats } = slowAtlas();
    const events = Array.from({ length: 200 }, (_, i) => statusEvent('RUNNING', T0, { job: { name: `job-${i % 40}`, id: i.toString(16).padStart(32, '0') } }));
    const outcomes = await writeFleetBatch(indexed(events), atlas, naming, { checkpointIntervalMs: 0, maxConcurrency: 3 });
    expect(outcomes.map((o) => o.outcome)).toEqual(events.map(() => 'written'));
    expect(stats.peak).toBe(3);
    expect(Object.keys(atlas.snapshot()).filter((k) => k.startsWith('flink_job_run|'))).toHaveLength(200);
  });

  it('a small batch stays in one lane: one read for all its runs', async () => {
    const atlas = new MemoryAtlas();
    const events = Array.from({ length: 10 }, (_, i) => statusEvent('RUNNING', T0, { job: { name: `job-${i}`, id: i.toString(16).padStart(32, '0') } }));
    await writeFleetBatch(indexed(events), atlas, naming, { checkpointIntervalMs: 0, maxConcurrency: 4 });
    expect({ reads: atlas.reads, writes: atlas.writes }).toEqual({ reads: 1, writes: 1 });
  });

  it('lanes hold whole jobs', () => {
    const events = indexed(Array.from({ length: 40 }, (_, i) => statusEvent('RUNNING', T0 + i, { job: { name: `job-${i % 7}` } })));
    const lanes = splitLanes(events, 4);
    const laneOfJob = new Map<string, number>();
    lanes.forEach((lane, n) => lane.forEach(({ event }) => {
      const name = (event as JobStatusEvent).job.name;
      expect(laneOfJob.get(name) ?? n).toBe(n);
      laneOfJob.set(name, n);
    }));
    expect(lanes.flat()).toHaveLength(40);
  });
});
