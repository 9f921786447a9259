import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AtlasError } from '../../../lib/atlas/index.js';
import type { FlinkEvent } from '../../../lib/contract/index.js';
import { writeEvents } from '../../../lib/ingest/index.js';
import { cancelledRun, JOB_ID, naming, statusEvent, T0 } from '../../helpers/events.js';
import { MemoryAtlas } from '../../helpers/memoryAtlas.js';

const indexed = (events: readonly FlinkEvent[]) => events.map((event, index) => ({ index, event }));

const deliverOneByOne = async (events: readonly FlinkEvent[]): Promise<MemoryAtlas> => {
  const atlas = new MemoryAtlas();
  for (const event of events) await writeEvents([{ index: 0, event }], atlas, naming);
  return atlas;
};

const runStatus = (atlas: MemoryAtlas, jobId = JOB_ID) =>
  atlas.entities.get(`flink_job_run|flink-prod/orders-enrichment/${jobId}@primary`)?.attributes.status;

describe('Function: writeEvents', () => {
  it('costs one read and one bulk write per event', async () => {
    const atlas = new MemoryAtlas();
    const outcome = await writeEvents(indexed([statusEvent('RUNNING', T0)]), atlas, naming);
    expect(outcome[0]?.outcome).toBe('written');
    expect({ reads: atlas.reads, writes: atlas.writes }).toEqual({ reads: 1, writes: 1 });
  });

  it('reports the entities of each event with their guids', async () => {
    const atlas = new MemoryAtlas();
    const [outcome] = await writeEvents(indexed([cancelledRun()[1]!]), atlas, naming);
    if (outcome?.outcome !== 'written') throw new Error('expected written');
    expect(outcome.entities.map((e) => e.typeName)).toEqual(['flink_job', 'flink_job_run', 'kafka_topic', 'hive_table', 'aws_s3_v2_directory']);
    expect(outcome.entities.every((e) => /^[0-9a-f-]{36}$/.test(e.guid))).toBe(true);
  });

  it('never moves a run back from a terminal status when a stale event arrives after it', async () => {
    const atlas = await deliverOneByOne([statusEvent('CANCELED', T0 + 10), statusEvent('RUNNING', T0 + 20)]);
    expect(runStatus(atlas)).toBe('CANCELED');
  });

  it('lets a newer status replace an older one, and SUSPENDED move on', async () => {
    const atlas = await deliverOneByOne([statusEvent('SUSPENDED', T0 + 10), statusEvent('RUNNING', T0 + 20)]);
    expect(runStatus(atlas)).toBe('RUNNING');
  });

  it('does not let a stale lifecycle event overwrite newer lineage on the job', async () => {
    const newer = statusEvent('INITIALIZING', T0 + 100, { lineage: { sources: [{ namespace: 'kafka://k:9092', name: 'v2' }], sinks: [] } });
    const older = statusEvent('INITIALIZING', T0, { lineage: { sources: [{ namespace: 'kafka://k:9092', name: 'v1' }], sinks: [] } });
    const atlas = await deliverOneByOne([newer, older]);
    const job = atlas.snapshot()['flink_job|flink-prod/orders-enrichment@primary'] as { refs: { inputs: string[] } };
    expect(job.refs.inputs).toEqual(['v2@primary']);
  });

  it('merges a result that arrives before the status events into the same run', async () => {
    const events = cancelledRun();
    const atlas = await deliverOneByOne([events[8]!, ...events.slice(0, 8)]);
    const run = atlas.entities.get(`flink_job_run|flink-prod/orders-enrichment/${JOB_ID}@primary`)!;
    expect(run.attributes).toMatchObject({ status: 'CANCELED', netRuntimeMs: 60_000, recordsOut: 1100, deploymentVersion: '2.4.1' });
  });

  it('fails only the run Atlas rejects permanently and writes the others', async () => {
    const atlas = new MemoryAtlas();
    const bulkWrite = atlas.bulkWrite.bind(atlas);
    atlas.bulkWrite = async (request) => {
      if (request.entities.some((e) => String(e.attributes.qualifiedName).includes('bad0'))) {
        throw new AtlasError('rejected', 'permanent', { status: 404, atlasCode: 'ATLAS-404-00-007' });
      }
      return bulkWrite(request);
    };
    const good = statusEvent('RUNNING', T0);
    const bad = statusEvent('RUNNING', T0, { job: { id: 'bad00000000000000000000000000000' } });
    const outcomes = await writeEvents(indexed([good, bad]), atlas, naming);
    expect(outcomes.map((o) => o.outcome)).toEqual(['written', 'failed']);
    expect(outcomes[1]).toMatchObject({ error: { kind: 'permanent', atlasCode: 'ATLAS-404-00-007' } });
  });

  it('fails every event of a chunk as retryable when Atlas is down, and writes nothing', async () => {
    const atlas = new MemoryAtlas();
    atlas.getEntitiesByQualifiedNames = async () => {
      throw new AtlasError('Atlas read got no answer (ECONNREFUSED)', 'retryable', { networkCode: 'ECONNREFUSED' });
    };
    const outcomes = await writeEvents(indexed(cancelledRun()), atlas, naming);
    expect(outcomes.every((o) => o.outcome === 'failed' && o.error.kind === 'retryable')).toBe(true);
    expect(atlas.entities.size).toBe(0);
  });
});

describe('Property: out-of-order and duplicated events converge', () => {
  const runs = [cancelledRun(JOB_ID, T0), cancelledRun('0123456789abcdef0123456789abcdef', T0 + 60_000)].flat();

  it('any permutation with duplicates, delivered one by one or in batches, gives the in-order state', async () => {
    const inOrder = (await deliverOneByOne(runs)).snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(runs, { minLength: runs.length, maxLength: runs.length }),
        fc.array(fc.nat({ max: runs.length - 1 }), { maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 10 }),
        async (shuffled, duplicateAt, batchSizes) => {
          const delivered = [...shuffled, ...duplicateAt.map((i) => shuffled[i]!)];
          const atlas = new MemoryAtlas();
          let cursor = 0;
          for (let b = 0; cursor < delivered.length; b += 1) {
            const size = batchSizes[b % batchSizes.length]!;
            await writeEvents(indexed(delivered.slice(cursor, cursor + size)), atlas, naming);
            cursor += size;
          }
          expect(atlas.snapshot()).toEqual(inOrder);
        },
      ),
      { numRuns: 150 },
    );
  });
});
