// What the catalog facts ask of Atlas, given what Atlas holds (the one read): the entities to send in the bulk
// write, and the entities to soft-delete after it (a DROP is a DELETE, Atlas's own way to end an entity while
// keeping its history and audit). Pure; see model.ts for the registers and why they converge.
import type { AtlasAttributes, AtlasEntity } from '../../atlas/model.js';
import type { ObjectIdentifier } from '../../contract/index.js';
import {
  CATALOG_TYPE, COLUMN_TYPE, DATABASE_TYPE, TABLE_TYPE, VIEW_QUERY_TYPE, tablePath,
} from './naming.js';
import type { CatalogChanges, DatabaseDelta, TableDefinition, TableDelta, TimedValue } from './model.js';
import type { MappedDataset } from '../dataset/naming.js';
import { refKey, type DesiredEntity, type EntityRef } from '../shared/entityRef.js';
import { storedTime } from '../shared/storedValues.js';

/** Entities Atlas holds (ACTIVE), by type and qualifiedName. */
export type StoredLookup = (ref: EntityRef) => AtlasEntity | undefined;

export interface CatalogWritePlan {
  /** Catalog objects to create or update in the bulk write. */
  outgoing: DesiredEntity[];
  /** Stored catalog objects the write refers to (or deletes) without sending them. */
  untouched: EntityRef[];
  /** Physical datasets the written tables link to: created, identity only, when Atlas lacks them. */
  datasets: MappedDataset[];
  /** To soft-delete after the bulk write, in this order (a database last: Atlas deletes what it contains). */
  deletes: EntityRef[];
  /** flink_tables that will not exist after the write: a job's lineage must not refer to them. */
  absent: Set<string>;
}


const mapOf = (value: unknown): Record<string, number> => {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (typeof v === 'number' ? [[k, v]] : [])));
};

const mergeMaps = (a: Record<string, number>, b: Record<string, number>): Record<string, number> => {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = Math.max(out[k] ?? v, v);
  return out;
};

const sameMap = (a: Record<string, number>, b: Record<string, number>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/** Later than every drop: `seen` strictly after `dropped` (a DROP wins a tie). */
const outlives = (seen: number | undefined, dropped: number | undefined): boolean =>
  seen !== undefined && (dropped === undefined || seen > dropped);

const maxOf = (...values: (number | undefined)[]): number | undefined => {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length === 0 ? undefined : Math.max(...defined);
};

/** Every attribute of a definition, unset ones as null: a definition replaces the one before it. */
const TABLE_DEFINITION_ATTRIBUTES = [
  'tableKind', 'temporary', 'comment', 'description', 'connector', 'options', 'primaryKeyName', 'primaryKey',
  'partitionKeys', 'watermarks', 'originalQuery', 'expandedQuery', 'queryLineage', 'cluster',
] as const;
const COLUMN_ATTRIBUTES = ['type', 'nullable', 'position', 'comment', 'kind', 'expression', 'metadataKey', 'virtual'] as const;

const withNulls = (names: readonly string[], values: Record<string, unknown>): AtlasAttributes =>
  Object.fromEntries(names.map((name) => [name, values[name] ?? null]));

const ref = (typeName: string, qualifiedName: string): EntityRef => ({ typeName, qualifiedName });

interface TableOutcome {
  delta: TableDelta;
  database: DatabaseDelta;
  stored: AtlasEntity | undefined;
  active: boolean;
  seen: number | undefined;
  /** The definition to write, when it is newer than Atlas's and than every drop. */
  definition?: TimedValue<TableDefinition>;
  /** Atlas holds a definition from before the latest drop (the table came back since): it is cleared. */
  clearDefinition: boolean;
}

/**
 * A stored definition counts only when it is later than every drop; one from before belonged to a dropped table.
 * definitionTime and existenceTime are dates, read with storedTime: Atlas stores epoch 0 for one never set or
 * cleared (sent as null), which must read as "none", or the clear would be sent again on every later event.
 */
const validDefinitionAt = (entity: AtlasEntity | undefined, dropped: number | undefined): number | undefined => {
  const at = storedTime(entity?.attributes.definitionTime);
  return at !== undefined && outlives(at, dropped) ? at : undefined;
};

export const planCatalogWrite = (changes: CatalogChanges, lookup: StoredLookup): CatalogWritePlan => {
  const plan: CatalogWritePlan = { outgoing: [], untouched: [], datasets: [...changes.datasets], deletes: [], absent: new Set() };
  const stored = (typeName: string, qualifiedName: string): AtlasEntity | undefined => {
    const entity = lookup(ref(typeName, qualifiedName));
    return entity?.status === 'DELETED' ? undefined : entity;
  };
  const keep = (typeName: string, qualifiedName: string): void => {
    if (stored(typeName, qualifiedName)) plan.untouched.push(ref(typeName, qualifiedName));
  };
  /** An entity Atlas holds is kept as it is when nothing about it changed; otherwise sent with what did. */
  const keepOrSend = (
    entity: { typeName: string; qualifiedName: string; held: boolean; changed: boolean },
    attributes: AtlasAttributes,
    references: DesiredEntity['references'],
  ): void => {
    const { typeName, qualifiedName } = entity;
    if (entity.held && !entity.changed) keep(typeName, qualifiedName);
    else plan.outgoing.push({ typeName, qualifiedName, attributes: { qualifiedName, ...attributes }, references });
  };

  // ---- drop times, from Atlas and from the events ----
  const databasesOf = new Map<string, DatabaseDelta[]>();
  for (const database of changes.databases) {
    databasesOf.set(database.catalogName, [...(databasesOf.get(database.catalogName) ?? []), database]);
  }
  const droppedDatabases = new Map<string, Record<string, number>>();
  for (const catalog of changes.catalogs) {
    const fromEvents = Object.fromEntries(
      (databasesOf.get(catalog.catalogName) ?? []).flatMap((d) => (d.dropped === undefined ? [] : [[d.databaseName, d.dropped]])),
    );
    droppedDatabases.set(catalog.catalogName, mergeMaps(mapOf(stored(CATALOG_TYPE, catalog.qualifiedName)?.attributes.droppedDatabases), fromEvents));
  }
  const databaseDropped = (d: DatabaseDelta): number | undefined => droppedDatabases.get(d.catalogName)?.[d.databaseName];

  const tablesOf = new Map<string, TableDelta[]>();
  const databaseByKey = new Map<string, DatabaseDelta>();
  for (const database of changes.databases) databaseByKey.set(`${database.catalogName}\u0000${database.databaseName}`, database);
  const databaseOfTable = (id: ObjectIdentifier): DatabaseDelta | undefined => databaseByKey.get(`${id.catalogName}\u0000${id.databaseName}`);
  for (const table of changes.tables) {
    const database = databaseOfTable(table.id);
    if (database) tablesOf.set(database.qualifiedName, [...(tablesOf.get(database.qualifiedName) ?? []), table]);
  }
  const droppedTables = new Map<string, Record<string, number>>();
  for (const database of changes.databases) {
    const fromEvents = Object.fromEntries(
      (tablesOf.get(database.qualifiedName) ?? []).flatMap((t) => (t.dropped === undefined ? [] : [[t.id.objectName, t.dropped]])),
    );
    const merged = mergeMaps(mapOf(stored(DATABASE_TYPE, database.qualifiedName)?.attributes.droppedTables), fromEvents);
    // A table drop no later than its database's drop says nothing more: the database's drop time covers it (and
    // the database entity that held it is gone in Atlas), so it is not kept, whatever order the events came in.
    const databaseDrop = databaseDropped(database);
    droppedTables.set(
      database.qualifiedName,
      Object.fromEntries(Object.entries(merged).filter(([, at]) => databaseDrop === undefined || at > databaseDrop)),
    );
  }

  // ---- which databases and tables exist after the write ----
  const databaseActive = new Map<string, boolean>();
  for (const database of changes.databases) {
    const held = stored(DATABASE_TYPE, database.qualifiedName);
    const seen = maxOf(storedTime(held?.attributes.existenceTime), database.seen);
    databaseActive.set(database.qualifiedName, outlives(seen, databaseDropped(database)));
  }
  const tables: TableOutcome[] = [];
  for (const delta of changes.tables) {
    const database = databaseOfTable(delta.id);
    if (database === undefined) continue;
    const held = stored(TABLE_TYPE, delta.qualifiedName);
    const dropped = maxOf(droppedTables.get(database.qualifiedName)?.[delta.id.objectName], databaseDropped(database));
    const seen = maxOf(storedTime(held?.attributes.existenceTime), delta.seen);
    const active = databaseActive.get(database.qualifiedName) === true && outlives(seen, dropped);
    const heldDefinitionAt = validDefinitionAt(held, dropped);
    const definition =
      active && delta.definition !== undefined && outlives(delta.definition.at, dropped) &&
      (heldDefinitionAt === undefined || delta.definition.at > heldDefinitionAt)
        ? delta.definition
        : undefined;
    const clearDefinition = active && definition === undefined && heldDefinitionAt === undefined && storedTime(held?.attributes.definitionTime) !== undefined;
    tables.push({ delta, database, stored: held, active, seen, clearDefinition, ...(definition ? { definition } : {}) });
  }
  const activeTables = new Set(tables.filter((t) => t.active).map((t) => t.delta.qualifiedName));
  for (const table of tables) if (!table.active) plan.absent.add(refKey(ref(TABLE_TYPE, table.delta.qualifiedName)));

  // ---- catalogs: always there (never dropped), holding the drop times of their databases ----
  for (const catalog of changes.catalogs) {
    const held = stored(CATALOG_TYPE, catalog.qualifiedName);
    const dropped = droppedDatabases.get(catalog.catalogName) ?? {};
    const kindChanged =
      (catalog.kind?.factoryIdentifier !== undefined && catalog.kind.factoryIdentifier !== held?.attributes.factoryIdentifier) ||
      (catalog.kind?.className !== undefined && catalog.kind.className !== held?.attributes.className);
    const mapChanged = !sameMap(dropped, mapOf(held?.attributes.droppedDatabases));
    keepOrSend(
      { typeName: CATALOG_TYPE, qualifiedName: catalog.qualifiedName, held: held !== undefined, changed: kindChanged || mapChanged },
      {
        name: catalog.catalogName,
        ...(catalog.kind?.factoryIdentifier === undefined ? {} : { factoryIdentifier: catalog.kind.factoryIdentifier }),
        ...(catalog.kind?.className === undefined ? {} : { className: catalog.kind.className }),
        ...(mapChanged || !held ? { droppedDatabases: dropped } : {}),
      },
      {},
    );
  }

  // ---- databases ----
  for (const database of changes.databases) {
    const held = stored(DATABASE_TYPE, database.qualifiedName);
    const catalogRef = ref(CATALOG_TYPE, changes.catalogs.find((c) => c.catalogName === database.catalogName)?.qualifiedName ?? '');
    if (!databaseActive.get(database.qualifiedName)) {
      if (held) {
        keep(DATABASE_TYPE, database.qualifiedName);
        plan.deletes.push(ref(DATABASE_TYPE, database.qualifiedName));
      }
      continue;
    }
    const attributes: AtlasAttributes = {};
    const heldSeen = storedTime(held?.attributes.existenceTime);
    const seen = maxOf(heldSeen, database.seen);
    if (seen !== heldSeen) attributes.existenceTime = seen;
    const dropped = droppedTables.get(database.qualifiedName) ?? {};
    if (!held || !sameMap(dropped, mapOf(held.attributes.droppedTables))) attributes.droppedTables = dropped;
    const heldDefinitionAt = validDefinitionAt(held, databaseDropped(database));
    const definition = database.definition;
    if (definition && outlives(definition.at, databaseDropped(database)) && (heldDefinitionAt === undefined || definition.at > heldDefinitionAt)) {
      Object.assign(attributes, withNulls(['description', 'properties', 'cluster'], definition.value), { definitionTime: definition.at });
    } else if (heldDefinitionAt === undefined && storedTime(held?.attributes.definitionTime) !== undefined) {
      // Defined before its latest drop, and back since without a definition of its own yet.
      Object.assign(attributes, withNulls(['description', 'properties', 'cluster', 'definitionTime'], {}));
    }
    keepOrSend(
      { typeName: DATABASE_TYPE, qualifiedName: database.qualifiedName, held: held !== undefined, changed: Object.keys(attributes).length > 0 },
      { name: database.databaseName, catalogName: database.catalogName, ...attributes },
      { catalog: catalogRef },
    );
  }

  // ---- tables and views, their columns, their view queries ----
  const tableRef = (id: ObjectIdentifier): EntityRef | undefined => {
    const table = tables.find((t) => tablePath(t.delta.id) === tablePath(id));
    return table && activeTables.has(table.delta.qualifiedName) ? ref(TABLE_TYPE, table.delta.qualifiedName) : undefined;
  };
  for (const table of tables) {
    const { delta, database, stored: held } = table;
    const queryHeld = stored(VIEW_QUERY_TYPE, delta.queryQualifiedName);
    if (!table.active) {
      // A table goes with its database when that is deleted (COMPOSITION); otherwise on its own.
      if (held && databaseActive.get(database.qualifiedName)) {
        keep(TABLE_TYPE, delta.qualifiedName);
        plan.deletes.push(ref(TABLE_TYPE, delta.qualifiedName));
      }
      continue;
    }
    const attributes: AtlasAttributes = {};
    const references: DesiredEntity['references'] = { database: ref(DATABASE_TYPE, database.qualifiedName) };
    const heldSeen = storedTime(held?.attributes.existenceTime);
    if (table.seen !== heldSeen) attributes.existenceTime = table.seen;
    const definition = table.definition;
    if (definition) {
      const value = definition.value;
      Object.assign(attributes, withNulls(TABLE_DEFINITION_ATTRIBUTES, value.attributes), { definitionTime: definition.at });
      const columns = value.columns.map((column): DesiredEntity => {
        const { qualifiedName } = column;
        return {
          typeName: COLUMN_TYPE,
          qualifiedName,
          attributes: { qualifiedName, name: column.name, ...withNulls(COLUMN_ATTRIBUTES, column as unknown as Record<string, unknown>) },
          references: { table: ref(TABLE_TYPE, delta.qualifiedName) },
        };
      });
      references.columns = columns.map((c) => ref(c.typeName, c.qualifiedName));
      references.physicalDatasets = value.physical.map((d) => d.ref);
      plan.outgoing.push(...columns);
      if (value.attributes.tableKind === 'VIEW' && value.query !== undefined) {
        const reads = value.query.reads.flatMap((id) => tableRef(id) ?? []);
        plan.outgoing.push({
          typeName: VIEW_QUERY_TYPE,
          qualifiedName: delta.queryQualifiedName,
          attributes: { qualifiedName: delta.queryQualifiedName, name: `${delta.id.objectName} (view query)`, queryText: value.query.text },
          references: { inputs: reads, outputs: [ref(TABLE_TYPE, delta.qualifiedName)], view: ref(TABLE_TYPE, delta.qualifiedName) },
        });
      } else if (queryHeld) {
        // Defined again as something without a readable query: its old lineage no longer holds.
        keep(VIEW_QUERY_TYPE, delta.queryQualifiedName);
        plan.deletes.unshift(ref(VIEW_QUERY_TYPE, delta.queryQualifiedName));
      }
    } else if (table.clearDefinition) {
      // The stored definition predates the table's latest drop: the table is back, but not that definition.
      Object.assign(attributes, withNulls([...TABLE_DEFINITION_ATTRIBUTES, 'definitionTime'], {}));
      references.columns = [];
      references.physicalDatasets = [];
      if (queryHeld) {
        keep(VIEW_QUERY_TYPE, delta.queryQualifiedName);
        plan.deletes.unshift(ref(VIEW_QUERY_TYPE, delta.queryQualifiedName));
      }
    }
    keepOrSend(
      { typeName: TABLE_TYPE, qualifiedName: delta.qualifiedName, held: held !== undefined, changed: Object.keys(attributes).length > 0 },
      { name: delta.id.objectName, catalogName: delta.id.catalogName, databaseName: delta.id.databaseName, ...attributes },
      references,
    );
  }
  // Tables before the databases that hold them: a database's delete takes its tables with it.
  plan.deletes.sort((a, b) => (a.typeName === DATABASE_TYPE ? 1 : 0) - (b.typeName === DATABASE_TYPE ? 1 : 0));
  return plan;
};
