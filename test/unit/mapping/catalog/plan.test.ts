// The catalog planner, step by step: drop times, existence, the definition each object gets, the writes of
// catalogs, databases and tables, and the order of the deletes.
import { describe, expect, it } from 'vitest';
import type { AtlasEntity } from '../../../../lib/atlas/index.js';
import { catalogEventToChanges, joinCatalogChanges, tableSeen, type CatalogChanges } from '../../../../lib/mapping/catalog/model.js';
import { planCatalogWrite } from '../../../../lib/mapping/catalog/plan.js';
import { createViewQueryParser } from '../../../../lib/mapping/catalog/viewQuery.js';
import type { StoredEntities } from '../../../../lib/mapping/shared/entityRef.js';
import { CT0, databaseEvent, id, kafkaTable, tableEvent, viewOf } from '../../../helpers/catalogEvents.js';
import { naming } from '../../../helpers/events.js';
import { storedEntities } from '../../../helpers/storedEntities.js';

const parser = createViewQueryParser();
const changesOf = (...events: Parameters<typeof catalogEventToChanges>[0][]): CatalogChanges =>
  joinCatalogChanges(events.map((e) => catalogEventToChanges(e, naming, parser.tables)));

const CATALOG = 'default_catalog@primary';
const DATABASE = 'default_catalog.default_database@primary';
const ORDERS = 'default_catalog.default_database.orders@primary';

let guids = 0;
const entity = (typeName: string, qualifiedName: string, attributes: Record<string, unknown> = {}, status: 'ACTIVE' | 'DELETED' = 'ACTIVE'): AtlasEntity => ({
  typeName, guid: `g-${++guids}`, status, attributes: { qualifiedName, ...attributes },
});
const nothing: StoredEntities = () => undefined;
const sent = (plan: ReturnType<typeof planCatalogWrite>, typeName: string) => plan.outgoing.filter((e) => e.typeName === typeName);

describe('Function: planCatalogWrite', () => {
  it('creates catalog, database, table and its columns for a CREATE, with the definition and its time', () => {
    const plan = planCatalogWrite(changesOf(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders'))), nothing);
    expect(plan.outgoing.map((e) => e.typeName)).toEqual(['flink_catalog', 'flink_database', 'flink_column', 'flink_column', 'flink_column', 'flink_table']);
    const [table] = sent(plan, 'flink_table');
    expect(table?.attributes).toMatchObject({ qualifiedName: ORDERS, existenceTime: CT0, definitionTime: CT0, tableKind: 'TABLE', connector: 'kafka' });
    expect(table?.references['physicalDatasets']).toEqual([{ typeName: 'kafka_topic', qualifiedName: 'orders@primary' }]);
    expect(sent(plan, 'flink_catalog')[0]?.attributes).toMatchObject({ droppedDatabases: {} });
    expect(plan.deletes).toEqual([]);
    expect(plan.absent.size).toBe(0);
  });

  it('keeps a DROP later than every CREATE: the table is absent, its drop time kept on its database', () => {
    const plan = planCatalogWrite(
      changesOf(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders')), tableEvent('DROP', id('orders'), CT0 + 1000)),
      nothing,
    );
    expect(sent(plan, 'flink_table')).toEqual([]);
    expect(plan.absent).toEqual(new Set([`flink_table|${ORDERS}`]));
    expect(sent(plan, 'flink_database')[0]?.attributes).toMatchObject({ droppedTables: { orders: CT0 + 1000 } });
  });

  it('a DROP wins a tie with a CREATE of the same time', () => {
    const plan = planCatalogWrite(changesOf(tableEvent('DROP', id('orders'), CT0), tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders'))), nothing);
    expect(plan.absent.has(`flink_table|${ORDERS}`)).toBe(true);
  });

  it('deletes a stored table the events dropped; a stored database dropped deletes after its tables', () => {
    const stored = storedEntities(
      entity('flink_catalog', CATALOG, { droppedDatabases: {} }),
      entity('flink_database', DATABASE, { existenceTime: CT0, droppedTables: {} }),
      entity('flink_table', ORDERS, { existenceTime: CT0, definitionTime: CT0 }),
      entity('flink_table', 'default_catalog.other_db.t@primary', { existenceTime: CT0 }),
      entity('flink_database', 'default_catalog.other_db@primary', { existenceTime: CT0 }),
    );
    const plan = planCatalogWrite(
      changesOf(
        databaseEvent('DROP', 'other_db', CT0 + 2000),
        tableEvent('DROP', id('orders'), CT0 + 1000),
        tableEvent('ALTER', id('t', 'other_db'), CT0 + 500, kafkaTable('t')),
      ),
      stored,
    );
    // other_db's table goes with other_db (COMPOSITION), so only orders is deleted on its own, before the database.
    expect(plan.deletes).toEqual([
      { typeName: 'flink_table', qualifiedName: ORDERS },
      { typeName: 'flink_database', qualifiedName: 'default_catalog.other_db@primary' },
    ]);
    expect(sent(plan, 'flink_catalog')[0]?.attributes).toMatchObject({ droppedDatabases: { other_db: CT0 + 2000 } });
    expect(sent(plan, 'flink_database').map((d) => [d.qualifiedName, d.attributes['droppedTables']])).toEqual([[DATABASE, { orders: CT0 + 1000 }]]);
    // What is deleted is referred to, not sent.
    expect(plan.untouched).toContainEqual({ typeName: 'flink_table', qualifiedName: ORDERS });
  });

  it('leaves alone what Atlas already holds: a redelivered CREATE sends nothing', () => {
    const create = tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders'));
    const first = planCatalogWrite(changesOf(create), nothing);
    const stored = storedEntities(...first.outgoing.map((e) => entity(e.typeName, e.qualifiedName, e.attributes)));
    const again = planCatalogWrite(changesOf(create), stored);
    expect(again.outgoing).toEqual([]);
    expect(again.untouched.map((r) => r.typeName).sort()).toEqual(['flink_catalog', 'flink_database', 'flink_table']);
  });

  it("reports the links of a definition Atlas holds from the same event, and not of an older or newer one", () => {
    const create = tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders'));
    expect(planCatalogWrite(changesOf(create), nothing).heldDefinitionLinks).toEqual([]);
    const first = planCatalogWrite(changesOf(create), nothing);
    const stored = storedEntities(...first.outgoing.map((e) => entity(e.typeName, e.qualifiedName, e.attributes)));
    const table = { typeName: 'flink_table', qualifiedName: ORDERS };
    expect(planCatalogWrite(changesOf(create), stored).heldDefinitionLinks).toEqual([
      { table, entity: table, links: { physicalDatasets: [{ typeName: 'kafka_topic', qualifiedName: 'orders@primary' }] } },
    ]);
    const older = tableEvent('ALTER', id('orders'), CT0 - 1000, kafkaTable('other'));
    expect(planCatalogWrite(changesOf(older), stored).heldDefinitionLinks).toEqual([]);
    const newer = planCatalogWrite(changesOf(tableEvent('ALTER', id('orders'), CT0 + 1000, kafkaTable('other'))), stored);
    expect(newer.heldDefinitionLinks).toEqual([]);
  });

  it("reports a held view query's tables with the view's definition", () => {
    const view = tableEvent('CREATE', id('big'), CT0 + 1000, viewOf('SELECT `order_id` FROM `default_catalog`.`default_database`.`orders`'));
    const changes = changesOf(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders')), view);
    const stored = storedEntities(...planCatalogWrite(changes, nothing).outgoing.map((e) => entity(e.typeName, e.qualifiedName, e.attributes)));
    const big = { typeName: 'flink_table', qualifiedName: 'default_catalog.default_database.big@primary' };
    expect(planCatalogWrite(changesOf(view), stored).heldDefinitionLinks).toContainEqual({
      table: big,
      entity: { typeName: 'flink_view_query', qualifiedName: 'default_catalog.default_database.big/query@primary' },
      links: { inputs: [{ typeName: 'flink_table', qualifiedName: ORDERS }] },
    });
  });

  it('never writes a definition older than the one Atlas holds, nor an earlier existence time', () => {
    const stored = storedEntities(
      entity('flink_catalog', CATALOG, { droppedDatabases: {} }),
      entity('flink_database', DATABASE, { existenceTime: CT0, droppedTables: {} }),
      entity('flink_table', ORDERS, { existenceTime: CT0 + 5000, definitionTime: CT0 + 5000 }),
    );
    const plan = planCatalogWrite(changesOf(tableEvent('ALTER', id('orders'), CT0 + 1000, kafkaTable('orders', { comment: 'late' }))), stored);
    // Only the database learns something: it was seen to exist at +1000.
    expect(plan.outgoing.map((e) => [e.typeName, e.attributes['existenceTime']])).toEqual([['flink_database', CT0 + 1000]]);
    expect(plan.untouched).toContainEqual({ typeName: 'flink_table', qualifiedName: ORDERS });
  });

  it('clears a stored definition from before the latest drop when the table is seen again without one', () => {
    const stored = storedEntities(
      entity('flink_catalog', CATALOG, { droppedDatabases: {} }),
      entity('flink_database', DATABASE, { existenceTime: CT0, droppedTables: { orders: CT0 + 1000 } }),
      entity('flink_table', ORDERS, { existenceTime: CT0, definitionTime: CT0 }),
      entity('flink_view_query', 'default_catalog.default_database.orders/query@primary'),
    );
    // Seen again at +2000 without a definition (a job's lineage names it), after its drop at +1000.
    const plan = planCatalogWrite(tableSeen(id('orders'), CT0 + 2000, naming), stored);
    const [table] = sent(plan, 'flink_table');
    expect(table?.attributes).toMatchObject({ existenceTime: CT0 + 2000, definitionTime: null, tableKind: null, options: null });
    expect(table?.references).toMatchObject({ columns: [], physicalDatasets: [] });
    expect(plan.deletes).toEqual([{ typeName: 'flink_view_query', qualifiedName: 'default_catalog.default_database.orders/query@primary' }]);
  });

  it('a view gets its query Process from the tables it reads that exist after the write', () => {
    const plan = planCatalogWrite(
      changesOf(
        tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders')),
        tableEvent('CREATE', id('gone'), CT0, kafkaTable('gone')),
        // Dropped after the view was defined: the view's query shows it existed at +20, the DROP ends it at +30.
        tableEvent('DROP', id('gone'), CT0 + 30),
        tableEvent('CREATE', id('v'), CT0 + 20, viewOf('SELECT * FROM `default_catalog`.`default_database`.`orders` JOIN `default_catalog`.`default_database`.`gone` USING (order_id)')),
      ),
      nothing,
    );
    const [query] = sent(plan, 'flink_view_query');
    expect(query?.references['inputs']).toEqual([{ typeName: 'flink_table', qualifiedName: ORDERS }]);
    expect(query?.references['view']).toEqual({ typeName: 'flink_table', qualifiedName: 'default_catalog.default_database.v@primary' });
  });

  it('sends a catalog again only when its kind or its databases\' drop times changed', () => {
    const stored = storedEntities(entity('flink_catalog', CATALOG, { droppedDatabases: {}, factoryIdentifier: 'generic_in_memory' }));
    const same = planCatalogWrite({ ...changesOf(), catalogs: [{ qualifiedName: CATALOG, catalogName: 'default_catalog', kind: { factoryIdentifier: 'generic_in_memory' } }] }, stored);
    expect(same.outgoing).toEqual([]);
    const other = planCatalogWrite({ ...changesOf(), catalogs: [{ qualifiedName: CATALOG, catalogName: 'default_catalog', kind: { factoryIdentifier: 'hive' } }] }, stored);
    expect(other.outgoing[0]?.attributes).toEqual({ qualifiedName: CATALOG, name: 'default_catalog', factoryIdentifier: 'hive' });
  });

  it('counts a soft-deleted entity as absent: a table whose entity Atlas deleted is created anew', () => {
    const stored = storedEntities(entity('flink_table', ORDERS, { existenceTime: CT0 + 9000, definitionTime: CT0 + 9000 }, 'DELETED'));
    const plan = planCatalogWrite(changesOf(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders'))), stored);
    expect(sent(plan, 'flink_table')[0]?.attributes).toMatchObject({ definitionTime: CT0 });
  });
});
