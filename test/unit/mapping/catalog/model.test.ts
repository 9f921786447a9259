// Catalog events as joinable facts: what each event says, how facts join, and the helpers of the write path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  catalogEventToChanges, catalogRefsToRead, catalogSubject, databasesDroppedUnderneath, emptyCatalogChanges, joinCatalogChanges,
  tableSeen, tablesOfDatabase, viewQueryOf, type CatalogChanges,
} from '../../../../lib/mapping/catalog/model.js';
import { createViewQueryParser } from '../../../../lib/mapping/catalog/viewQuery.js';
import { canonicalJson } from '../../../../lib/mapping/shared/registers.js';
import { CT0, databaseEvent, id, kafkaTable, tableEvent, viewOf } from '../../../helpers/catalogEvents.js';
import { naming } from '../../../helpers/events.js';

const parser = createViewQueryParser();
const ORDERS = 'default_catalog.default_database.orders@primary';
const DATABASE = 'default_catalog.default_database@primary';

describe('Function: catalogEventToChanges', () => {
  it('a CREATE defines the table at its event time, sees it and its database, and names its physical datasets', () => {
    const changes = catalogEventToChanges(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders', { comment: 'orders' })), naming);
    const [table] = changes.tables;
    expect(table).toMatchObject({ qualifiedName: ORDERS, seen: CT0, definition: { at: CT0, rank: 0, order: 0 } });
    expect(table?.definition?.value.attributes).toMatchObject({ tableKind: 'TABLE', comment: 'orders', connector: 'kafka', temporary: false });
    expect(table?.definition?.value.columns.map((c) => [c.qualifiedName, c.nullable])).toEqual([
      ['default_catalog.default_database.orders.order_id@primary', false],
      ['default_catalog.default_database.orders.amount@primary', true],
      ['default_catalog.default_database.orders.order_time@primary', true],
    ]);
    expect(changes.databases).toMatchObject([{ qualifiedName: DATABASE, seen: CT0 }]);
    expect(changes.datasets.map((d) => d.ref)).toEqual([{ typeName: 'kafka_topic', qualifiedName: 'orders@primary' }]);
  });

  it('a DROP says only that the table is gone from its time on', () => {
    const [table] = catalogEventToChanges(tableEvent('DROP', id('orders'), CT0), naming).tables;
    expect(table).toEqual({ qualifiedName: ORDERS, id: id('orders'), queryQualifiedName: 'default_catalog.default_database.orders/query@primary', dropped: CT0 });
  });

  it("a view's query sees the tables it reads, and needs a reader: without one the mapping says so", () => {
    const view = tableEvent('CREATE', id('v'), CT0, viewOf('SELECT * FROM `default_catalog`.`default_database`.`orders`'));
    expect(viewQueryOf(view)).toBe('SELECT * FROM `default_catalog`.`default_database`.`orders`');
    expect(() => catalogEventToChanges(view, naming)).toThrow(/pass a ViewQueryReader/);
    const changes = catalogEventToChanges(view, naming, parser.tables);
    expect(changes.tables.map((t) => [t.qualifiedName, t.seen])).toEqual([
      ['default_catalog.default_database.v@primary', CT0],
      [ORDERS, CT0],
    ]);
    expect(changes.tables[0]?.definition?.value.attributes.queryLineage).toBe('PARSED');
    expect(viewQueryOf(tableEvent('DROP', id('v'), CT0))).toBeUndefined();
    expect(viewQueryOf(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders')))).toBeUndefined();
  });

  it('a database CREATE defines it (properties redacted); a DROP drops it; its catalog is named either way', () => {
    const created = catalogEventToChanges(databaseEvent('CREATE', 'sales', CT0, { comment: 'sales', properties: { password: 'secret', owner: 'team' } }), naming);
    expect(created.databases[0]?.definition?.value).toMatchObject({ description: 'sales', cluster: 'flink-prod' });
    expect(created.databases[0]?.definition?.value.properties?.['password']).not.toBe('secret');
    expect(created.catalogs).toEqual([{ qualifiedName: 'default_catalog@primary', catalogName: 'default_catalog' }]);
    const dropped = catalogEventToChanges(databaseEvent('DROP', 'sales', CT0 + 1), naming);
    expect(dropped.databases[0]).toMatchObject({ dropped: CT0 + 1 });
    expect(dropped.databases[0]?.seen).toBeUndefined();
  });

  it('catalogSubject names the table or the database an event is about', () => {
    expect(catalogSubject(tableEvent('DROP', id('orders'), CT0), naming)).toEqual({ typeName: 'flink_table', qualifiedName: ORDERS });
    expect(catalogSubject(databaseEvent('DROP', 'default_database', CT0), naming)).toEqual({ typeName: 'flink_database', qualifiedName: DATABASE });
  });
});

describe('Function: joinCatalogChanges', () => {
  const eventArb = fc.record({
    action: fc.constantFrom('CREATE' as const, 'ALTER' as const, 'DROP' as const),
    table: fc.constantFrom('orders', 'items'),
    at: fc.integer({ min: 0, max: 3 }),
    topic: fc.constantFrom('a', 'b'),
  }).map(({ action, table, at, topic }) =>
    catalogEventToChanges(tableEvent(action, id(table), CT0 + at * 1000, action === 'DROP' ? undefined : kafkaTable(topic)), naming));
  // Facts compare by content: key order and the order of objects in the lists are not facts.
  const canonical = (changes: CatalogChanges) => canonicalJson({
    catalogs: [...changes.catalogs].sort((a, b) => a.qualifiedName.localeCompare(b.qualifiedName)),
    databases: [...changes.databases].sort((a, b) => a.qualifiedName.localeCompare(b.qualifiedName)),
    tables: [...changes.tables].sort((a, b) => a.qualifiedName.localeCompare(b.qualifiedName)),
    datasets: changes.datasets.map((d) => d.ref.qualifiedName).sort(),
  });

  it('Property: any order and any copies of the same events join to the same facts', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 6 }), fc.func(fc.integer()), (events, key) => {
        const shuffled = [...events, ...events].sort((a, b) => key(a) - key(b));
        expect(canonical(joinCatalogChanges(shuffled))).toEqual(canonical(joinCatalogChanges(events)));
        expect(canonical(joinCatalogChanges([joinCatalogChanges(events), emptyCatalogChanges()]))).toEqual(canonical(joinCatalogChanges(events)));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the later definition, the latest seen and the latest drop of each table', () => {
    const joined = joinCatalogChanges([
      catalogEventToChanges(tableEvent('ALTER', id('orders'), CT0 + 2000, kafkaTable('b')), naming),
      catalogEventToChanges(tableEvent('CREATE', id('orders'), CT0, kafkaTable('a')), naming),
      catalogEventToChanges(tableEvent('DROP', id('orders'), CT0 + 1000), naming),
    ]);
    expect(joined.tables).toHaveLength(1);
    expect(joined.tables[0]).toMatchObject({ seen: CT0 + 2000, dropped: CT0 + 1000, definition: { at: CT0 + 2000 } });
    expect(joined.tables[0]?.definition?.value.attributes.options?.['topic']).toBe('b');
    // Every definition's datasets, winning or not: the topic a stale CREATE names existed all the same.
    expect(joined.datasets.map((d) => d.ref.qualifiedName).sort()).toEqual(['a@primary', 'b@primary']);
  });
});

describe('the write path helpers', () => {
  const seenOrders = tableSeen(id('orders'), CT0, naming);

  it('catalogRefsToRead reads each object, its view query and its physical datasets', () => {
    const changes = catalogEventToChanges(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders')), naming);
    expect(catalogRefsToRead(changes)).toEqual([
      { typeName: 'flink_catalog', qualifiedName: 'default_catalog@primary' },
      { typeName: 'flink_database', qualifiedName: DATABASE },
      { typeName: 'flink_table', qualifiedName: ORDERS },
      { typeName: 'flink_view_query', qualifiedName: 'default_catalog.default_database.orders/query@primary' },
      { typeName: 'kafka_topic', qualifiedName: 'orders@primary' },
    ]);
  });

  it('databasesDroppedUnderneath: a DROP older than what Atlas saw of the database leaves it, so its tables go one by one', () => {
    const changes = joinCatalogChanges([seenOrders, catalogEventToChanges(databaseEvent('DROP', 'default_database', CT0 - 1000), naming)]);
    const held = (existenceTime: number) => () => ({ attributes: { existenceTime }, status: 'ACTIVE' });
    expect(databasesDroppedUnderneath(changes, held(CT0 - 5000))).toEqual([DATABASE]);
    const droppedLast = catalogEventToChanges(databaseEvent('DROP', 'default_database', CT0 + 1000), naming);
    expect(databasesDroppedUnderneath(droppedLast, held(CT0))).toEqual([]);
    expect(databasesDroppedUnderneath(changes, () => undefined)).toEqual([]);
  });

  it('tablesOfDatabase names the tables Atlas holds in a database, and only those', () => {
    const changes = catalogEventToChanges(databaseEvent('DROP', 'default_database', CT0), naming);
    const tables = tablesOfDatabase(DATABASE, [ORDERS, 'default_catalog.other.x@primary', 'default_catalog.default_database.items@primary'], changes);
    expect(tables.tables.map((t) => [t.qualifiedName, t.id.objectName, t.queryQualifiedName])).toEqual([
      [ORDERS, 'orders', 'default_catalog.default_database.orders/query@primary'],
      ['default_catalog.default_database.items@primary', 'items', 'default_catalog.default_database.items/query@primary'],
    ]);
    expect(tables.tables.every((t) => t.seen === undefined && t.dropped === undefined && t.definition === undefined)).toBe(true);
    expect(tablesOfDatabase('nope@primary', [ORDERS], changes)).toEqual(emptyCatalogChanges());
  });
});
