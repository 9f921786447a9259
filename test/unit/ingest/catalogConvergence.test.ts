import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NativeEvent } from '../../../lib/contract/index.js';
import { writeEvents } from '../../../lib/ingest/index.js';
import { CT0, id, kafkaTable, tableEvent } from '../../helpers/catalogEvents.js';
import { catalogDeliveryArb, inBatches } from '../../helpers/catalogWorkload.js';
import { naming } from '../../helpers/events.js';
import { MemoryAtlas } from '../../helpers/memoryAtlas.js';

/**
 * What a reader of Atlas sees, by type and qualifiedName. Links *to* catalog tables from jobs and view queries
 * (inputs/outputs) are left out on purpose: Atlas links entities, not names, so a link made to a table that is
 * later dropped and re-created is not carried over to the new entity when the drop is processed first
 * (docs/flink-sql.md, Known limits). Everything the catalog events themselves own is compared.
 */
const comparable = (atlas: MemoryAtlas): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(atlas.snapshot()).map(([key, value]) => {
      const { attributes, refs } = value as { attributes: Record<string, unknown>; refs: Record<string, unknown> };
      const { inputs: _inputs, outputs: _outputs, ...kept } = refs;
      // No relationship and an emptied one read the same in Atlas.
      const present = Object.fromEntries(Object.entries(kept).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
      return [key, { attributes, refs: present }];
    }),
  );

const deliver = async (events: readonly NativeEvent[], batches: readonly number[] = []): Promise<MemoryAtlas> => {
  const atlas = new MemoryAtlas();
  for (const batch of inBatches(events, batches)) {
    const outcomes = await writeEvents(batch.map((event, index) => ({ index, event })), atlas, naming);
    expect(outcomes.every((o) => o.outcome === 'written')).toBe(true);
  }
  return atlas;
};

describe('Property: catalog events converge', () => {
  it('any order, any duplicates, any batching of CREATE/ALTER/DROP gives the in-order Atlas state', async () => {
    await fc.assert(
      fc.asyncProperty(catalogDeliveryArb(14), async ({ events, delivered, batches }) => {
        const expected = comparable(await deliver(events));
        const actual = comparable(await deliver(delivered, batches));
        expect(actual).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('never brings back a table dropped later in event time, whatever arrives after the drop', async () => {
    const t1 = id('orders');
    const atlas = await deliver([
      tableEvent('CREATE', t1, CT0 + 1000, kafkaTable('orders')),
      tableEvent('DROP', t1, CT0 + 3000),
      tableEvent('ALTER', t1, CT0 + 2000, kafkaTable('orders', { comment: 'late alter' })),
      tableEvent('CREATE', t1, CT0 + 1000, kafkaTable('orders')),
    ]);
    expect(Object.keys(atlas.snapshot()).filter((k) => k.startsWith('flink_table|'))).toEqual([]);
    expect((atlas.snapshot()['flink_database|default_catalog.default_database@primary'] as { attributes: Record<string, unknown> }).attributes.droppedTables)
      .toEqual({ orders: CT0 + 3000 });
  });

  it('lets a CREATE later than the drop bring the table back, with only its own definition', async () => {
    const t1 = id('orders');
    const atlas = await deliver([
      tableEvent('CREATE', t1, CT0 + 4000, kafkaTable('orders-v2')),
      tableEvent('DROP', t1, CT0 + 3000),
      tableEvent('CREATE', t1, CT0 + 1000, kafkaTable('orders-v1')),
    ]);
    const table = atlas.snapshot()['flink_table|default_catalog.default_database.orders@primary'] as {
      attributes: Record<string, unknown>; refs: Record<string, unknown>;
    };
    expect(table.attributes).toMatchObject({ definitionTime: CT0 + 4000, connector: 'kafka', options: expect.objectContaining({ topic: 'orders-v2' }) });
    expect(table.refs.physicalDatasets).toEqual(['orders-v2@primary']);
  });

  it('costs one read, one write and no delete for a duplicate DROP', async () => {
    const t1 = id('orders');
    const atlas = await deliver([tableEvent('CREATE', t1, CT0, kafkaTable('orders')), tableEvent('DROP', t1, CT0 + 1000)]);
    const before = { reads: atlas.reads, writes: atlas.writes, deletes: atlas.deletes };
    await writeEvents([{ index: 0, event: tableEvent('DROP', t1, CT0 + 1000) }], atlas, naming);
    expect({ reads: atlas.reads - before.reads, writes: atlas.writes - before.writes, deletes: atlas.deletes - before.deletes })
      .toEqual({ reads: 1, writes: 0, deletes: 0 });
  });
});
