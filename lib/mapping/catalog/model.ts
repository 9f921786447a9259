// Flink catalog events → what they say about catalogs, databases and tables, as joinable facts. Pure.
//
// A table's state is a register and two bounds (shared/registers.ts, the model of jobs and runs): its definition
// (the latest CREATE/ALTER by event time), the latest time it was seen to exist (a definition, a job's lineage or
// a view's query naming it), and the latest time it was dropped. It exists in Atlas iff seen > dropped: a DROP wins
// a tie, and a late CREATE or ALTER older than the DROP never brings the table back. The register joins as every
// register does and the bounds by max, so any order and any number of copies of the events give the same state. A dropped table's entity is soft-deleted in Atlas, so its drop time is kept on its
// database (`droppedTables`), and a dropped database's on its catalog (`droppedDatabases`): the catalog is never
// dropped (Flink's listener has no catalog events). Databases work the same way one level up.
//
// A view's query is read by node-sql-parser (catalog/viewQuery.ts), which is large and slow to load: the mapping
// does not import it but takes it as an argument (`ViewQueryReader`), so a bundle loads the parser only when a batch
// holds a view to map (lib/ingest/viewQueries.ts). `viewQueryOf` says which events need it.
import type { CatalogBaseTable, CatalogDatabaseEvent, CatalogTableEvent, ObjectIdentifier } from '../../contract/index.js';
import { redactOptions } from '../../contract/index.js';
import { physicalDatasets, type CatalogKind } from './connectors.js';
import {
  CATALOG_TYPE, DATABASE_TYPE, TABLE_TYPE, VIEW_QUERY_TYPE, catalogQualifiedName, columnQualifiedName, databaseQualifiedName, tablePath, tableQualifiedName, viewQueryQualifiedName,
} from './naming.js';
import type { ViewQueryTables } from './viewQuery.js';
import { mapDataset, type MappedDataset } from '../dataset/naming.js';
import type { EntityRef } from '../shared/entityRef.js';
import type { NamingContext } from '../shared/namingContext.js';
import { laterRegister, laterTime, timedRegister, type Register } from '../shared/registers.js';
import { storedTime } from '../shared/storedValues.js';

export interface ColumnDefinition {
  qualifiedName: string;
  name: string;
  type: string;
  nullable: boolean;
  position: number;
  comment?: string;
  kind: string;
  expression?: string;
  metadataKey?: string;
  virtual?: boolean;
}

/** Everything a CREATE or ALTER says about a table or view, ready to write. */
export interface TableDefinition {
  attributes: {
    tableKind: string;
    temporary: boolean;
    comment?: string;
    description?: string;
    connector?: string;
    options?: Record<string, string>;
    primaryKeyName?: string;
    primaryKey?: string[];
    partitionKeys?: string[];
    watermarks?: Record<string, string>;
    originalQuery?: string;
    expandedQuery?: string;
    queryLineage?: string;
    cluster: string;
  };
  columns: ColumnDefinition[];
  /** The topics, tables or paths behind the table, as the naming table maps them. */
  physical: MappedDataset[];
  /** A view's query: the text read and the tables it reads (absent for tables, or when it could not be parsed). */
  query?: { text: string; reads: ObjectIdentifier[] };
}

export interface TableDelta {
  qualifiedName: string;
  id: ObjectIdentifier;
  /** The view query Process of this table, should it be a view. */
  queryQualifiedName: string;
  definition?: Register<TableDefinition>;
  /** Latest event time at which the table was seen to exist. */
  seen?: number;
  /** Latest event time of a DROP of the table. */
  dropped?: number;
}

/** Everything a CREATE or ALTER says about a database. */
export type DatabaseDefinition = {
  description?: string;
  properties?: Record<string, string>;
  cluster: string;
};

export interface DatabaseDelta {
  qualifiedName: string;
  catalogName: string;
  databaseName: string;
  definition?: Register<DatabaseDefinition>;
  seen?: number;
  dropped?: number;
}

export interface CatalogDelta {
  qualifiedName: string;
  catalogName: string;
  kind?: CatalogKind;
}

/** What some events say about the catalog objects they name; joins with other CatalogChanges. */
export interface CatalogChanges {
  catalogs: CatalogDelta[];
  databases: DatabaseDelta[];
  tables: TableDelta[];
  /**
   * The physical datasets every definition names, winning or not: a topic named by a stale CREATE existed all the
   * same, and datasets are written (identity only, when missing) whatever order the events come in, as a job's are.
   */
  datasets: MappedDataset[];
}

export const emptyCatalogChanges = (): CatalogChanges => ({ catalogs: [], databases: [], tables: [], datasets: [] });

const definedOnly = <T extends Record<string, unknown>>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

const nullableOf = (dataType: string): boolean => !/\bNOT\s+NULL\b/i.test(dataType);

/** The tables a view's query reads: `createViewQueryParser().tables` of catalog/viewQuery.ts, passed in by the caller. */
export type ViewQueryReader = (query: string, view: ObjectIdentifier) => ViewQueryTables;

// The expanded query names every table fully qualified; the original one is a fallback.
const queryTextOf = (table: CatalogBaseTable): string | undefined => table.expandedQuery || table.originalQuery;

/**
 * The view query the mapping of this event parses, if any (a CREATE or ALTER of a view): only events with one
 * need a ViewQueryReader.
 */
export const viewQueryOf = (event: CatalogTableEvent | CatalogDatabaseEvent): string | undefined =>
  event.type === 'catalog.table' && event.action !== 'DROP' && event.table !== undefined ? queryTextOf(event.table) : undefined;

const noViewQueryReader: ViewQueryReader = () => {
  throw new Error('this catalog event holds a view query: pass a ViewQueryReader to catalogEventToChanges (see viewQueryOf)');
};

const tableDefinition = (
  id: ObjectIdentifier,
  table: CatalogBaseTable,
  event: CatalogTableEvent,
  ctx: NamingContext,
  readViewQuery: ViewQueryReader,
): TableDefinition => {
  const options = table.options === undefined ? undefined : redactOptions(table.options);
  const watermarks = table.schema.watermarkSpecs?.length
    ? Object.fromEntries(table.schema.watermarkSpecs.map((w) => [w.rowtimeAttribute, w.expression]))
    : undefined;
  const text = queryTextOf(table);
  const parsed = text === undefined ? undefined : readViewQuery(text, id);
  const queryLineage =
    parsed === undefined ? undefined : parsed.parsed ? 'PARSED' : `UNPARSED: ${parsed.reason}`;
  const primaryKey = table.schema.primaryKey;
  return {
    attributes: definedOnly({
      tableKind: table.tableKind,
      temporary: event.temporary ?? false,
      comment: table.comment,
      description: table.comment,
      connector: options?.connector,
      options,
      primaryKeyName: primaryKey?.name,
      primaryKey: primaryKey?.columns,
      partitionKeys: table.partitionKeys?.length ? table.partitionKeys : undefined,
      watermarks,
      originalQuery: table.originalQuery,
      expandedQuery: table.expandedQuery,
      queryLineage,
      cluster: event.cluster,
    }),
    columns: table.schema.columns.map((c, position) =>
      definedOnly({
        qualifiedName: columnQualifiedName(id, c.name, ctx),
        name: c.name,
        type: c.dataType,
        nullable: nullableOf(c.dataType),
        position,
        comment: c.comment,
        kind: c.kind,
        expression: c.expression,
        metadataKey: c.metadataKey,
        virtual: c.virtual,
      }),
    ),
    physical: physicalDatasets(id, { ...table, ...(options === undefined ? {} : { options }) }, event.catalog).map((d) => mapDataset(d, ctx)),
    ...(text !== undefined && parsed?.parsed ? { query: { text, reads: parsed.tables } } : {}),
  };
};

/** The catalog, database and table a table path names, each seen to exist at `at`. */
export const tableSeen = (id: ObjectIdentifier, at: number, ctx: NamingContext, kind?: CatalogKind): CatalogChanges => ({
  catalogs: [{ qualifiedName: catalogQualifiedName(id.catalogName, ctx), catalogName: id.catalogName, ...(kind ? { kind } : {}) }],
  databases: [{
    qualifiedName: databaseQualifiedName(id.catalogName, id.databaseName, ctx),
    catalogName: id.catalogName,
    databaseName: id.databaseName,
    seen: at,
  }],
  tables: [{ qualifiedName: tableQualifiedName(id, ctx), id, queryQualifiedName: viewQueryQualifiedName(id, ctx), seen: at }],
  datasets: [],
});

const tableEventChanges = (event: CatalogTableEvent, at: number, ctx: NamingContext, readViewQuery: ViewQueryReader): CatalogChanges => {
  const id = event.identifier;
  const kind = event.catalog;
  const changes = tableSeen(id, at, ctx, kind);
  const table = changes.tables[0] as TableDelta;
  if (event.action === 'DROP') {
    // A DROP says the table is gone from `at` on; its database still existed then.
    delete table.seen;
    table.dropped = at;
    return changes;
  }
  if (event.table === undefined) return changes;
  const definition = tableDefinition(id, event.table, event, ctx, readViewQuery);
  table.definition = timedRegister(at, definition);
  changes.datasets = definition.physical;
  // A view's query shows the tables it reads existed when the view was defined.
  const read = (definition.query?.reads ?? []).filter((r) => tablePath(r) !== tablePath(id));
  return joinCatalogChanges([changes, ...read.map((r) => tableSeen(r, at, ctx))]);
};

const databaseEventChanges = (event: CatalogDatabaseEvent, at: number, ctx: NamingContext): CatalogChanges => {
  const delta: DatabaseDelta = {
    qualifiedName: databaseQualifiedName(event.catalogName, event.databaseName, ctx),
    catalogName: event.catalogName,
    databaseName: event.databaseName,
  };
  if (event.action === 'DROP') {
    delta.dropped = at;
  } else {
    delta.seen = at;
    if (event.database !== undefined) {
      delta.definition = timedRegister(at, definedOnly({
        description: event.database.comment,
        properties: event.database.properties === undefined ? undefined : redactOptions(event.database.properties),
        cluster: event.cluster,
      }));
    }
  }
  return {
    catalogs: [{
      qualifiedName: catalogQualifiedName(event.catalogName, ctx),
      catalogName: event.catalogName,
      ...(event.catalog ? { kind: event.catalog } : {}),
    }],
    databases: [delta],
    tables: [],
    datasets: [],
  };
};

/** The entity a catalog event is about: its table (or view), or its database. */
export const catalogSubject = (event: CatalogTableEvent | CatalogDatabaseEvent, ctx: NamingContext): { typeName: string; qualifiedName: string } =>
  event.type === 'catalog.table'
    ? { typeName: TABLE_TYPE, qualifiedName: tableQualifiedName(event.identifier, ctx) }
    : { typeName: DATABASE_TYPE, qualifiedName: databaseQualifiedName(event.catalogName, event.databaseName, ctx) };

/**
 * Pure: one catalog event in, what it says about its catalog, database and table out. An event with a view query
 * (`viewQueryOf`) needs `readViewQuery`; any other event maps without it.
 */
export const catalogEventToChanges = (
  event: CatalogTableEvent | CatalogDatabaseEvent,
  ctx: NamingContext,
  readViewQuery: ViewQueryReader = noViewQueryReader,
): CatalogChanges => {
  const at = Date.parse(event.eventTime);
  return event.type === 'catalog.table' ? tableEventChanges(event, at, ctx, readViewQuery) : databaseEventChanges(event, at, ctx);
};

const joinBy = <T extends { qualifiedName: string }>(items: readonly T[], join: (a: T, b: T) => T): T[] => {
  const merged = new Map<string, T>();
  for (const item of items) {
    const seen = merged.get(item.qualifiedName);
    merged.set(item.qualifiedName, seen === undefined ? item : join(seen, item));
  }
  return [...merged.values()];
};

const joinKind = (a: CatalogKind | undefined, b: CatalogKind | undefined): CatalogKind | undefined =>
  a === undefined ? b : b === undefined ? a : { ...a, ...definedOnly({ ...b }) };

/** Join of several events' facts: one delta per object, each register the greater of its values. */
export const joinCatalogChanges = (all: readonly CatalogChanges[]): CatalogChanges => ({
  catalogs: joinBy(all.flatMap((c) => c.catalogs), (a, b) => {
    const kind = joinKind(a.kind, b.kind);
    return { ...a, ...(kind ? { kind } : {}) };
  }),
  databases: joinBy(all.flatMap((c) => c.databases), (a, b) => definedOnly({
    ...a,
    definition: laterRegister(a.definition, b.definition),
    seen: laterTime(a.seen, b.seen),
    dropped: laterTime(a.dropped, b.dropped),
  })),
  tables: joinBy(all.flatMap((c) => c.tables), (a, b) => definedOnly({
    ...a,
    definition: laterRegister(a.definition, b.definition),
    seen: laterTime(a.seen, b.seen),
    dropped: laterTime(a.dropped, b.dropped),
  })),
  datasets: [...new Map(all.flatMap((c) => c.datasets).map((d) => [`${d.ref.typeName}|${d.ref.qualifiedName}`, d])).values()],
});

/**
 * The databases whose DROP Atlas must apply to their tables one by one: Atlas holds the database and keeps it,
 * because it was seen again after the drop (a re-CREATE, or a table in it, known before this older DROP), so no
 * delete of the database takes its tables along, and the plan needs to know which tables it holds.
 */
export const databasesDroppedUnderneath = (
  changes: CatalogChanges,
  stored: (ref: { typeName: string; qualifiedName: string }) => { attributes: Record<string, unknown>; status?: string } | undefined,
): string[] =>
  changes.databases.flatMap((database) => {
    if (database.dropped === undefined) return [];
    const held = stored({ typeName: DATABASE_TYPE, qualifiedName: database.qualifiedName });
    if (held === undefined || held.status === 'DELETED') return [];
    const heldSeen = storedTime(held.attributes.existenceTime);
    const seen = laterTime(heldSeen, database.seen);
    return seen !== undefined && seen > database.dropped ? [database.qualifiedName] : [];
  });

/** Table facts (no new fact, only their names) for the tables Atlas holds in a database. */
export const tablesOfDatabase = (databaseQualifiedName: string, tableQualifiedNames: readonly string[], changes: CatalogChanges): CatalogChanges => {
  const database = changes.databases.find((d) => d.qualifiedName === databaseQualifiedName);
  if (database === undefined) return emptyCatalogChanges();
  const prefix = `${database.catalogName}.${database.databaseName}.`;
  const suffix = databaseQualifiedName.slice(databaseQualifiedName.lastIndexOf('@'));
  const tables = tableQualifiedNames
    .filter((qn) => qn.startsWith(prefix) && qn.endsWith(suffix))
    .map((qualifiedName): TableDelta => {
      const id = { catalogName: database.catalogName, databaseName: database.databaseName, objectName: qualifiedName.slice(prefix.length, -suffix.length) };
      return { qualifiedName, id, queryQualifiedName: `${tablePath(id)}/query${suffix}` };
    });
  return { ...emptyCatalogChanges(), databases: [database], tables };
};

/** Every entity the plan reads for these changes: the objects, their view queries, the physical datasets. */
export const catalogRefsToRead = (changes: CatalogChanges): EntityRef[] => [
  ...changes.catalogs.map((c) => ({ typeName: CATALOG_TYPE, qualifiedName: c.qualifiedName })),
  ...changes.databases.map((d) => ({ typeName: DATABASE_TYPE, qualifiedName: d.qualifiedName })),
  ...changes.tables.flatMap((t) => [
    { typeName: TABLE_TYPE, qualifiedName: t.qualifiedName },
    { typeName: VIEW_QUERY_TYPE, qualifiedName: t.queryQualifiedName },
  ]),
  ...changes.datasets.flatMap((d) => d.entities.map(({ typeName, qualifiedName }) => ({ typeName, qualifiedName }))),
];
