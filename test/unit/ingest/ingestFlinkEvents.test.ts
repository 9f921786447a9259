import { describe, expect, it } from 'vitest';
import { ingestFlinkEvents } from '../../../lib/ingest/ingestFlinkEvents.js';
import { naming, statusEvent, T0 } from '../../helpers/events.js';
import { MemoryAtlas } from '../../helpers/memoryAtlas.js';

describe('ingestFlinkEvents', () => {
  it('writes the valid events of a batch and reports every item in body order', async () => {
    const atlas = new MemoryAtlas();
    const good = statusEvent('RUNNING', T0);
    const report = await ingestFlinkEvents([{ type: 'job.status', eventId: 'bad' }, good], { atlas, naming });
    expect(report.isArray).toBe(true);
    expect(report.results.map((r) => [r.index, r.outcome])).toEqual([[0, 'rejected'], [1, 'written']]);
    expect(report.results[0]).toMatchObject({ eventId: 'bad', problems: expect.arrayContaining([expect.objectContaining({ pointer: '/0/eventId' })]) });
    expect(await atlas.getEntitiesByQualifiedNames([`flink-prod/${good.job.name}@primary`], 'flink_job')).toHaveLength(1);
  });

  it('reports a single event as no array, and writes nothing for an invalid one', async () => {
    const atlas = new MemoryAtlas();
    const report = await ingestFlinkEvents({ type: 'job.status' }, { atlas, naming });
    expect(report.isArray).toBe(false);
    expect(report.results.map((r) => r.outcome)).toEqual(['rejected']);
    expect(atlas.snapshot()).toEqual(new MemoryAtlas().snapshot());
  });
});
