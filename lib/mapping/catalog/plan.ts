// What the catalog facts ask of Atlas, given what Atlas holds (the one read): the entities to send in the bulk
// write, and the entities to soft-delete after it (a DROP is a DELETE, Atlas's own way to end an entity while
// keeping its history and audit). Pure; see model.ts for the registers and why they converge.
//
// The plan is built in steps, each a function below: the drop times (from Atlas and the events), which databases
// and tables exist after the write and which definition each gets, then the writes of catalogs, databases and
// tables (with their columns and view queries), and last the order of the deletes.
import type { AtlasAttributes, AtlasEntity } from '../../atlas/model.js';
import type { ObjectIdentifier } from '../../contract/index.js';
import type { MappedDataset } from '../dataset/naming.js';
import {
  activeEntity, refKey, type DesiredEntity, type EntityRef, type EntityWrites, type StoredEntities,
} from '../shared/entityRef.js';
import { joinMaximums, laterTime, type Register } from '../shared/registers.js';
import { storedTime } from '../shared/storedValues.js';
import type { CatalogChanges, CatalogDelta, DatabaseDelta, TableDefinition, TableDelta } from './model.js';
import { CATALOG_TYPE, COLUMN_TYPE, DATABASE_TYPE, TABLE_TYPE, VIEW_QUERY_TYPE, tablePath } from './naming.js';

/** `outgoing`: catalog objects to create or update; `untouched`: stored ones it refers to (or deletes) as they are. */
export interface CatalogWritePlan extends EntityWrites {
  /** Physical datasets the written tables link to: created, identity only, when Atlas lacks them. */
  datasets: MappedDataset[];
  /** To soft-delete after the bulk write, in this order (a database last: Atlas deletes what it contains). */
  deletes: EntityRef[];
  /** flink_tables that will not exist after the write: a job's lineage must not refer to them. */
  absent: Set<string>;
  /**
   * The links of definitions Atlas already holds (same definitionTime as the changes'), not sent again: when an
   * earlier attempt of the same event may have been applied with its re-link lost, a retry checks these are ACTIVE.
   */
  heldDefinitionLinks: HeldDefinitionLinks[];
}

/** An entity's relationship attributes as a held definition says they are; `table` is the table it belongs to. */
export interface HeldDefinitionLinks {
  table: EntityRef;
  entity: EntityRef;
  links: Record<string, EntityRef[]>;
}

/** Every attribute of a definition, unset ones as null: a definition replaces the one before it. */
const TABLE_DEFINITION_ATTRIBUTES = [
  'tableKind', 'temporary', 'comment', 'description', 'connector', 'options', 'primaryKeyName', 'primaryKey',
  'partitionKeys', 'watermarks', 'originalQuery', 'expandedQuery', 'queryLineage', 'cluster',
] as const;
const DATABASE_DEFINITION_ATTRIBUTES = ['description', 'properties', 'cluster'] as const;
const COLUMN_ATTRIBUTES = ['type', 'nullable', 'position', 'comment', 'kind', 'expression', 'metadataKey', 'virtual'] as const;

const withNulls = (names: readonly string[], values: Readonly<Record<string, unknown>>): AtlasAttributes =>
  Object.fromEntries(names.map((name) => [name, values[name] ?? null]));

const ref = (typeName: string, qualifiedName: string): EntityRef => ({ typeName, qualifiedName });

/** A stored map of drop times (name → epoch ms), without what is not a time. */
const timesOf = (value: unknown): Record<string, number> => {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (typeof v === 'number' ? [[k, v]] : [])));
};

const sameTimes = (a: Record<string, number>, b: Record<string, number>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/** Later than every drop: `seen` strictly after `dropped` (a DROP wins a tie). */
const outlives = (seen: number | undefined, dropped: number | undefined): boolean =>
  seen !== undefined && (dropped === undefined || seen > dropped);

/** What Atlas holds, ACTIVE only: a soft-deleted entity counts as absent. */
type HeldEntity = (typeName: string, qualifiedName: string) => AtlasEntity | undefined;

/** The plan under construction and what it is built from. */
interface PlanContext {
  changes: CatalogChanges;
  held: HeldEntity;
  plan: CatalogWritePlan;
}

/** Refers to an entity Atlas holds without sending it. */
const keep = (ctx: PlanContext, typeName: string, qualifiedName: string): void => {
  if (ctx.held(typeName, qualifiedName)) ctx.plan.untouched.push(ref(typeName, qualifiedName));
};

/** An entity Atlas holds is kept as it is when nothing about it changed; otherwise sent with what did. */
const keepOrSend = (
  ctx: PlanContext,
  entity: { typeName: string; qualifiedName: string; held: boolean; changed: boolean },
  attributes: AtlasAttributes,
  references: DesiredEntity['references'],
): void => {
  const { typeName, qualifiedName } = entity;
  if (entity.held && !entity.changed) keep(ctx, typeName, qualifiedName);
  else ctx.plan.outgoing.push({ typeName, qualifiedName, attributes: { qualifiedName, ...attributes }, references });
};

/** Soft-deletes an entity Atlas holds, after the write; it is referred to, not sent. */
const deleteHeld = (ctx: PlanContext, typeName: string, qualifiedName: string): void => {
  keep(ctx, typeName, qualifiedName);
  ctx.plan.deletes.push(ref(typeName, qualifiedName));
};

// ---- step 1: drop times ------------------------------------------------------------------------------------------

/** The database of each table, among the changes. */
const databaseIndex = (changes: CatalogChanges): ((id: ObjectIdentifier) => DatabaseDelta | undefined) => {
  const byKey = new Map(changes.databases.map((d) => [`${d.catalogName}\u0000${d.databaseName}`, d]));
  return (id) => byKey.get(`${id.catalogName}\u0000${id.databaseName}`);
};

interface DropTimes {
  /** Catalog name → database name → latest drop: what each flink_catalog holds in `droppedDatabases`. */
  databasesOf: Map<string, Record<string, number>>;
  /** Database qualifiedName → table name → latest drop later than the database's own: its `droppedTables`. */
  tablesOf: Map<string, Record<string, number>>;
  database: (d: DatabaseDelta) => number | undefined;
}

const groupBy = <T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
};

/** name → drop time, of the objects the events dropped. */
const droppedByEvents = <T extends { dropped?: number }>(items: readonly T[] | undefined, nameOf: (item: T) => string): Record<string, number> =>
  Object.fromEntries((items ?? []).flatMap((item) => (item.dropped === undefined ? [] : [[nameOf(item), item.dropped]])));

/** Drop times from Atlas joined with the events': a dropped entity is soft-deleted, so its parent keeps the time. */
const dropTimes = (ctx: PlanContext, databaseOf: (id: ObjectIdentifier) => DatabaseDelta | undefined): DropTimes => {
  const { changes, held } = ctx;
  const databasesByCatalog = groupBy(changes.databases, (d) => d.catalogName);
  const databasesOf = new Map<string, Record<string, number>>();
  for (const catalog of changes.catalogs) {
    const fromEvents = droppedByEvents(databasesByCatalog.get(catalog.catalogName), (d) => d.databaseName);
    databasesOf.set(catalog.catalogName, joinMaximums(timesOf(held(CATALOG_TYPE, catalog.qualifiedName)?.attributes.droppedDatabases), fromEvents));
  }
  const database = (d: DatabaseDelta): number | undefined => databasesOf.get(d.catalogName)?.[d.databaseName];

  const tablesByDatabase = groupBy(changes.tables, (t) => databaseOf(t.id)?.qualifiedName);
  const tablesOf = new Map<string, Record<string, number>>();
  for (const db of changes.databases) {
    const fromEvents = droppedByEvents(tablesByDatabase.get(db.qualifiedName), (t) => t.id.objectName);
    const joined = joinMaximums(timesOf(held(DATABASE_TYPE, db.qualifiedName)?.attributes.droppedTables), fromEvents);
    // A table drop no later than its database's drop says nothing more: the database's drop time covers it (and
    // the database entity that held it is gone in Atlas), so it is not kept, whatever order the events came in.
    const databaseDrop = database(db);
    tablesOf.set(db.qualifiedName, Object.fromEntries(Object.entries(joined).filter(([, at]) => databaseDrop === undefined || at > databaseDrop)));
  }
  return { databasesOf, tablesOf, database };
};

// ---- step 2: what exists after the write, with which definition -------------------------------------------------

/**
 * A stored definition counts only when it is later than every drop; one from before belonged to a dropped table.
 * definitionTime and existenceTime are dates, read with storedTime: Atlas stores epoch 0 for one never set or
 * cleared (sent as null), which must read as "none", or the clear would be sent again on every later event.
 */
const validDefinitionAt = (entity: AtlasEntity | undefined, dropped: number | undefined): number | undefined => {
  const at = storedTime(entity?.attributes.definitionTime);
  return at !== undefined && outlives(at, dropped) ? at : undefined;
};

interface DefinitionOutcome<D extends object> {
  /** The definition to write: newer than Atlas's and than every drop. */
  write?: Register<D>;
  /** Atlas holds only a definition from before the latest drop (the object came back since): it is cleared. */
  clear: boolean;
}

/** Of an object that exists after the write: which definition it gets. */
const definitionOutcome = <D extends object>(
  incoming: Register<D> | undefined,
  held: AtlasEntity | undefined,
  dropped: number | undefined,
): DefinitionOutcome<D> => {
  const heldAt = validDefinitionAt(held, dropped);
  if (incoming !== undefined && outlives(incoming.at, dropped) && (heldAt === undefined || incoming.at > heldAt)) {
    return { write: incoming, clear: false };
  }
  return { clear: heldAt === undefined && storedTime(held?.attributes.definitionTime) !== undefined };
};

interface TableOutcome {
  delta: TableDelta;
  database: DatabaseDelta;
  held: AtlasEntity | undefined;
  active: boolean;
  seen: number | undefined;
  definition: DefinitionOutcome<TableDefinition>;
}

interface Existence {
  /** Database qualifiedName → it exists after the write. */
  databaseActive: Map<string, boolean>;
  tables: TableOutcome[];
}

/** An object exists when it was seen (in Atlas or the events) strictly after its latest drop, its database too. */
const existence = (ctx: PlanContext, drops: DropTimes, databaseOf: (id: ObjectIdentifier) => DatabaseDelta | undefined): Existence => {
  const { changes, held } = ctx;
  const databaseActive = new Map<string, boolean>();
  for (const database of changes.databases) {
    const seen = laterTime(storedTime(held(DATABASE_TYPE, database.qualifiedName)?.attributes.existenceTime), database.seen);
    databaseActive.set(database.qualifiedName, outlives(seen, drops.database(database)));
  }
  const tables = changes.tables.flatMap((delta): TableOutcome[] => {
    const database = databaseOf(delta.id);
    if (database === undefined) return [];
    const heldTable = held(TABLE_TYPE, delta.qualifiedName);
    const dropped = laterTime(drops.tablesOf.get(database.qualifiedName)?.[delta.id.objectName], drops.database(database));
    const seen = laterTime(storedTime(heldTable?.attributes.existenceTime), delta.seen);
    const active = databaseActive.get(database.qualifiedName) === true && outlives(seen, dropped);
    const definition = active ? definitionOutcome(delta.definition, heldTable, dropped) : { clear: false };
    return [{ delta, database, held: heldTable, active, seen, definition }];
  });
  return { databaseActive, tables };
};

// ---- step 3: catalogs, always there (never dropped), holding the drop times of their databases ------------------

const planCatalog = (ctx: PlanContext, catalog: CatalogDelta, droppedDatabases: Record<string, number>): void => {
  const held = ctx.held(CATALOG_TYPE, catalog.qualifiedName);
  const { factoryIdentifier, className } = catalog.kind ?? {};
  const kindChanged =
    (factoryIdentifier !== undefined && factoryIdentifier !== held?.attributes.factoryIdentifier) ||
    (className !== undefined && className !== held?.attributes.className);
  const dropsChanged = !sameTimes(droppedDatabases, timesOf(held?.attributes.droppedDatabases));
  keepOrSend(
    ctx,
    { typeName: CATALOG_TYPE, qualifiedName: catalog.qualifiedName, held: held !== undefined, changed: kindChanged || dropsChanged },
    {
      name: catalog.catalogName,
      ...(factoryIdentifier === undefined ? {} : { factoryIdentifier }),
      ...(className === undefined ? {} : { className }),
      ...(dropsChanged || !held ? { droppedDatabases } : {}),
    },
    {},
  );
};

// ---- step 4: databases -------------------------------------------------------------------------------------------

const planDatabase = (ctx: PlanContext, database: DatabaseDelta, drops: DropTimes, active: boolean): void => {
  const held = ctx.held(DATABASE_TYPE, database.qualifiedName);
  if (!active) {
    if (held) deleteHeld(ctx, DATABASE_TYPE, database.qualifiedName);
    return;
  }
  const attributes: AtlasAttributes = {};
  const heldSeen = storedTime(held?.attributes.existenceTime);
  const seen = laterTime(heldSeen, database.seen);
  if (seen !== heldSeen) attributes.existenceTime = seen;
  const droppedTables = drops.tablesOf.get(database.qualifiedName) ?? {};
  if (!held || !sameTimes(droppedTables, timesOf(held.attributes.droppedTables))) attributes.droppedTables = droppedTables;
  const definition = definitionOutcome(database.definition, held, drops.database(database));
  if (definition.write) {
    Object.assign(attributes, withNulls(DATABASE_DEFINITION_ATTRIBUTES, definition.write.value), { definitionTime: definition.write.at });
  } else if (definition.clear) {
    // Defined before its latest drop, and back since without a definition of its own yet.
    Object.assign(attributes, withNulls([...DATABASE_DEFINITION_ATTRIBUTES, 'definitionTime'], {}));
  }
  const catalogQualifiedName = ctx.changes.catalogs.find((c) => c.catalogName === database.catalogName)?.qualifiedName ?? '';
  keepOrSend(
    ctx,
    { typeName: DATABASE_TYPE, qualifiedName: database.qualifiedName, held: held !== undefined, changed: Object.keys(attributes).length > 0 },
    { name: database.databaseName, catalogName: database.catalogName, ...attributes },
    { catalog: ref(CATALOG_TYPE, catalogQualifiedName) },
  );
};

// ---- step 5: tables and views, their columns, their view queries -------------------------------------------------

const columnEntities = (table: TableDelta, definition: TableDefinition): DesiredEntity[] =>
  definition.columns.map((column): DesiredEntity => ({
    typeName: COLUMN_TYPE,
    qualifiedName: column.qualifiedName,
    attributes: { qualifiedName: column.qualifiedName, name: column.name, ...withNulls(COLUMN_ATTRIBUTES, { ...column }) },
    references: { table: ref(TABLE_TYPE, table.qualifiedName) },
  }));

/** The Process from the tables a view reads (those that exist after the write) to the view. */
const viewQueryEntity = (table: TableDelta, query: NonNullable<TableDefinition['query']>, reads: EntityRef[]): DesiredEntity => ({
  typeName: VIEW_QUERY_TYPE,
  qualifiedName: table.queryQualifiedName,
  attributes: { qualifiedName: table.queryQualifiedName, name: `${table.id.objectName} (view query)`, queryText: query.text },
  references: { inputs: reads, outputs: [ref(TABLE_TYPE, table.qualifiedName)], view: ref(TABLE_TYPE, table.qualifiedName) },
});

/** A held definition's physical datasets, and the tables its view query reads, when that query is held. */
const reportHeldDefinitionLinks = (
  ctx: PlanContext,
  delta: TableDelta,
  definition: TableDefinition,
  activeTable: (id: ObjectIdentifier) => EntityRef | undefined,
): void => {
  const table = ref(TABLE_TYPE, delta.qualifiedName);
  ctx.plan.heldDefinitionLinks.push({ table, entity: table, links: { physicalDatasets: definition.physical.map((d) => d.ref) } });
  if (definition.attributes.tableKind === 'VIEW' && definition.query !== undefined && ctx.held(VIEW_QUERY_TYPE, delta.queryQualifiedName)) {
    const reads = definition.query.reads.flatMap((id) => activeTable(id) ?? []);
    ctx.plan.heldDefinitionLinks.push({ table, entity: ref(VIEW_QUERY_TYPE, delta.queryQualifiedName), links: { inputs: reads } });
  }
};

const planTable = (ctx: PlanContext, table: TableOutcome, existing: Existence, activeTable: (id: ObjectIdentifier) => EntityRef | undefined): void => {
  const { delta, database, held } = table;
  if (!table.active) {
    // A table goes with its database when that is deleted (COMPOSITION); otherwise on its own.
    if (held && existing.databaseActive.get(database.qualifiedName)) deleteHeld(ctx, TABLE_TYPE, delta.qualifiedName);
    return;
  }
  const queryHeld = ctx.held(VIEW_QUERY_TYPE, delta.queryQualifiedName) !== undefined;
  const attributes: AtlasAttributes = {};
  const references: DesiredEntity['references'] = { database: ref(DATABASE_TYPE, database.qualifiedName) };
  if (table.seen !== storedTime(held?.attributes.existenceTime)) attributes.existenceTime = table.seen;
  const { write, clear } = table.definition;
  if (write) {
    const definition = write.value;
    Object.assign(attributes, withNulls(TABLE_DEFINITION_ATTRIBUTES, definition.attributes), { definitionTime: write.at });
    const columns = columnEntities(delta, definition);
    references.columns = columns.map((c) => ref(c.typeName, c.qualifiedName));
    references.physicalDatasets = definition.physical.map((d) => d.ref);
    ctx.plan.outgoing.push(...columns);
    if (definition.attributes.tableKind === 'VIEW' && definition.query !== undefined) {
      ctx.plan.outgoing.push(viewQueryEntity(delta, definition.query, definition.query.reads.flatMap((id) => activeTable(id) ?? [])));
    } else if (queryHeld) {
      // Defined again as something without a readable query: its old lineage no longer holds.
      deleteHeld(ctx, VIEW_QUERY_TYPE, delta.queryQualifiedName);
    }
  } else if (clear) {
    // The stored definition predates the table's latest drop: the table is back, but not that definition.
    Object.assign(attributes, withNulls([...TABLE_DEFINITION_ATTRIBUTES, 'definitionTime'], {}));
    references.columns = [];
    references.physicalDatasets = [];
    if (queryHeld) deleteHeld(ctx, VIEW_QUERY_TYPE, delta.queryQualifiedName);
  } else if (held && delta.definition !== undefined && storedTime(held.attributes.definitionTime) === delta.definition.at) {
    // Not cleared, so Atlas's definition outlives every drop: it is this one, possibly written with links lost.
    reportHeldDefinitionLinks(ctx, delta, delta.definition.value, activeTable);
  }
  keepOrSend(
    ctx,
    { typeName: TABLE_TYPE, qualifiedName: delta.qualifiedName, held: held !== undefined, changed: Object.keys(attributes).length > 0 },
    { name: delta.id.objectName, catalogName: delta.id.catalogName, databaseName: delta.id.databaseName, ...attributes },
    references,
  );
};

// ---- step 6: the order of the deletes ----------------------------------------------------------------------------

const DELETE_ORDER: Readonly<Record<string, number>> = { [VIEW_QUERY_TYPE]: 0, [TABLE_TYPE]: 1, [DATABASE_TYPE]: 2 };

/** View queries, then tables, then the databases that hold them: a database's delete takes its tables with it. */
const deleteOrder = (deletes: readonly EntityRef[]): EntityRef[] =>
  [...deletes].sort((a, b) => (DELETE_ORDER[a.typeName] ?? 0) - (DELETE_ORDER[b.typeName] ?? 0));

export const planCatalogWrite = (changes: CatalogChanges, stored: StoredEntities): CatalogWritePlan => {
  const held: HeldEntity = (typeName, qualifiedName) => activeEntity(stored, ref(typeName, qualifiedName));
  const ctx: PlanContext = {
    changes,
    held,
    plan: { outgoing: [], untouched: [], datasets: [...changes.datasets], deletes: [], absent: new Set(), heldDefinitionLinks: [] },
  };
  const databaseOf = databaseIndex(changes);
  const drops = dropTimes(ctx, databaseOf);
  const existing = existence(ctx, drops, databaseOf);
  for (const table of existing.tables) if (!table.active) ctx.plan.absent.add(refKey(ref(TABLE_TYPE, table.delta.qualifiedName)));

  for (const catalog of changes.catalogs) planCatalog(ctx, catalog, drops.databasesOf.get(catalog.catalogName) ?? {});
  for (const database of changes.databases) planDatabase(ctx, database, drops, existing.databaseActive.get(database.qualifiedName) === true);
  const activeByPath = new Map(existing.tables.filter((t) => t.active).map((t) => [tablePath(t.delta.id), ref(TABLE_TYPE, t.delta.qualifiedName)]));
  const activeTable = (id: ObjectIdentifier): EntityRef | undefined => activeByPath.get(tablePath(id));
  for (const table of existing.tables) planTable(ctx, table, existing, activeTable);
  return { ...ctx.plan, deletes: deleteOrder(ctx.plan.deletes) };
};
