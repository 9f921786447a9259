// The SQL parser of Flink views (node-sql-parser, lib/mapping/catalog/viewQuery.ts) is loaded only when a batch holds
// a view to map; the mapping itself stays pure and takes the parser as an argument. Module loads are counted by
// mocking the parser's module with its real self: vitest calls the factory the first time the module is imported.
import { describe, expect, it, vi } from 'vitest';
import { writeEvents } from '../../../lib/ingest/index.js';
import { catalogEventToChanges, viewQueryOf, type ViewQueryReader } from '../../../lib/mapping/index.js';
import { CT0, databaseEvent, id, kafkaTable, tableEvent, viewOf } from '../../helpers/catalogEvents.js';
import { naming, statusEvent, T0 } from '../../helpers/events.js';
import { MemoryAtlas } from '../../helpers/memoryAtlas.js';

const parserLoads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../lib/mapping/catalog/viewQuery.js', async (importOriginal) => {
  parserLoads.count += 1;
  return importOriginal();
});

const ordersView = viewOf('SELECT `order_id` FROM `default_catalog`.`default_database`.`orders`');
const indexed = (events: readonly unknown[]) => events.map((event, index) => ({ index, event: event as never }));

// In order: the first test must run before anything loads the parser.
describe('the view query parser, loaded on demand', () => {
  it('is not loaded for batches without a view: job events, tables, databases, a view DROP', async () => {
    const atlas = new MemoryAtlas();
    const outcomes = await writeEvents(
      indexed([
        statusEvent('RUNNING', T0),
        databaseEvent('CREATE', 'default_database', CT0),
        tableEvent('CREATE', id('orders'), CT0 + 1, kafkaTable('orders')),
        tableEvent('ALTER', id('orders'), CT0 + 2, kafkaTable('orders', { comment: 'orders' })),
        tableEvent('DROP', id('orders_view'), CT0 + 3),
      ]),
      atlas,
      naming,
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['written', 'written', 'written', 'written', 'written']);
    expect(parserLoads.count).toBe(0);
  });

  it('is loaded once, when a batch defines a view, and reads its query', async () => {
    const atlas = new MemoryAtlas();
    await writeEvents(indexed([tableEvent('CREATE', id('orders_view'), CT0, ordersView)]), atlas, naming);
    await writeEvents(indexed([tableEvent('ALTER', id('orders_view'), CT0 + 1, ordersView)]), atlas, naming);
    expect(parserLoads.count).toBe(1);
    const view = atlas.entities.get('flink_table|default_catalog.default_database.orders_view@primary');
    expect(view?.attributes).toMatchObject({ tableKind: 'VIEW', queryLineage: 'PARSED' });
    // The table the query reads was seen to exist.
    expect(atlas.entities.has('flink_table|default_catalog.default_database.orders@primary')).toBe(true);
  });
});

describe('Function: catalogEventToChanges with a view', () => {
  const event = tableEvent('CREATE', id('orders_view'), CT0, ordersView);

  it('says which events need the parser', () => {
    expect(viewQueryOf(event)).toBe(ordersView.expandedQuery);
    expect(viewQueryOf(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders')))).toBeUndefined();
    expect(viewQueryOf(tableEvent('DROP', id('orders_view'), CT0))).toBeUndefined();
    expect(viewQueryOf(databaseEvent('CREATE', 'sales', CT0))).toBeUndefined();
  });

  it('stays pure: the reader is an argument (here a stub), and a view without one is refused', () => {
    const reader: ViewQueryReader = vi.fn(() => ({ parsed: true as const, tables: [id('payments', 'finance')] }));
    const changes = catalogEventToChanges(event, naming, reader);
    expect(reader).toHaveBeenCalledWith(ordersView.expandedQuery, id('orders_view'));
    expect(changes.tables.map((t) => t.qualifiedName).sort()).toEqual([
      'default_catalog.default_database.orders_view@primary',
      'default_catalog.finance.payments@primary',
    ]);
    expect(() => catalogEventToChanges(event, naming)).toThrow(/pass a ViewQueryReader/);
  });
});
