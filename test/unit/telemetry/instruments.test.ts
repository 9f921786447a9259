import { afterEach, describe, expect, it, vi } from 'vitest';
import { metrics } from '../../../lib/telemetry/index.js';
import { instrumentAtlas } from '../../../lib/telemetry/instruments.js';
import { MemoryAtlas } from '../../helpers/memoryAtlas.js';

describe('instrumentAtlas', () => {
  afterEach(() => vi.restoreAllMocks());

  it('passes every call of the port on, DROP\'s delete and single read included, each timed', async () => {
    const recorded: string[] = [];
    vi.spyOn(metrics, 'addMetric').mockImplementation((name) => {
      recorded.push(name);
      return metrics;
    });
    const memory = new MemoryAtlas();
    const atlas = instrumentAtlas(memory);
    const table = { typeName: 'flink_table', guid: '-1', attributes: { qualifiedName: 'c.db.t@primary', name: 't' } };

    await atlas.bulkWrite({ entities: [table] });
    expect((await atlas.getEntitiesByQualifiedNames(['c.db.t@primary'], 'Referenceable')).map((e) => e.typeName)).toEqual(['flink_table']);
    expect((await atlas.getEntityByQualifiedName('flink_table', 'c.db.t@primary'))?.entity.attributes.name).toBe('t');
    await atlas.deleteByQualifiedName('flink_table', 'c.db.t@primary');

    expect(memory.deletes).toBe(1);
    expect(await atlas.getEntitiesByQualifiedNames(['c.db.t@primary'], 'Referenceable')).toEqual([]);
    expect(recorded).toEqual(['AtlasWriteLatency', 'AtlasReadLatency', 'AtlasReadLatency', 'AtlasWriteLatency', 'AtlasReadLatency']);
  });
});
