// The tables a Flink view reads, from its query, with node-sql-parser's FlinkSQL dialect. Pure.
//
// What it handles (test/unit/mapping/catalogViewQuery.test.ts): SELECT with joins, subqueries, UNION, WITH,
// backtick-quoted and 1-, 2- or 3-part names, hints, GROUP BY windows, TUMBLE table functions, and temporal
// joins (`FOR SYSTEM_TIME AS OF <column>`, which the dialect does not know: the clause is removed before
// parsing, it names no table). What it does not (e.g. LATERAL TABLE, HOP/CUMULATE table functions, MATCH_RECOGNIZE):
// the query is still recorded on the view, and the view says why its lineage is missing.
//
// Nothing imports this module statically but tests: the parser is loaded with import() when a batch holds a view
// (lib/ingest/viewQueries.ts), so it is an on-demand chunk of the bundles, not part of their cold start.
import sqlParser from 'node-sql-parser/build/flinksql.js';
import type { ObjectIdentifier } from '../contract/index.js';

const { Parser } = sqlParser;
const parser = new Parser();

export type ViewQueryTables =
  | { parsed: true; tables: ObjectIdentifier[] }
  | { parsed: false; reason: string };

// A temporal join's version clause: `FOR SYSTEM_TIME AS OF o.proc_time` (a column, possibly qualified/quoted).
const SYSTEM_TIME = /\bFOR\s+SYSTEM_TIME\s+AS\s+OF\s+(?:`[^`]+`|[\w$]+)(?:\s*\.\s*(?:`[^`]+`|[\w$]+))*/gi;

interface FromItem {
  db?: string | null;
  table?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * Every table reference in the AST: objects with a string `table` and no `column` (column references also have
 * a `table`), wherever they sit: FROM lists, joins, subqueries, set operations, window table functions.
 */
const collectTables = (node: unknown, found: FromItem[], cteNames: Set<string>): void => {
  if (Array.isArray(node)) {
    for (const item of node) collectTables(item, found, cteNames);
    return;
  }
  if (!isRecord(node)) return;
  const withList = node.with;
  if (Array.isArray(withList)) {
    for (const cte of withList) {
      const name = isRecord(cte) && isRecord(cte.name) ? cte.name.value : undefined;
      if (typeof name === 'string') cteNames.add(name);
    }
  }
  if (typeof node.table === 'string' && !('column' in node) && node.type !== 'column_ref') {
    found.push({ db: typeof node.db === 'string' ? node.db : null, table: node.table });
  }
  for (const value of Object.values(node)) collectTables(value, found, cteNames);
};

/** `db` is `catalog.database`, `database` or null: the missing parts default to the view's own. */
const toIdentifier = (item: FromItem, defaults: ObjectIdentifier): ObjectIdentifier => {
  const parts = (item.db ?? '').split('.').filter((p) => p.length > 0);
  const table = String(item.table);
  if (parts.length >= 2) return { catalogName: parts[0] as string, databaseName: parts.slice(1).join('.'), objectName: table };
  if (parts.length === 1) return { catalogName: defaults.catalogName, databaseName: parts[0] as string, objectName: table };
  return { catalogName: defaults.catalogName, databaseName: defaults.databaseName, objectName: table };
};

/**
 * The tables `query` reads. Names without catalog or database are taken to live beside the view: Flink resolves
 * them against the session's current catalog and database when the view is created, which the event does not
 * carry, so prefer the expanded query (fully qualified by Flink) when there is one.
 */
export const viewQueryTables = (query: string, view: ObjectIdentifier): ViewQueryTables => {
  let ast: unknown;
  try {
    ast = parser.astify(query.replace(SYSTEM_TIME, ' '), { database: 'FlinkSQL' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { parsed: false, reason: `the SQL parser does not read this query (${message.slice(0, 200)})` };
  }
  const found: FromItem[] = [];
  const cteNames = new Set<string>();
  collectTables(ast, found, cteNames);
  const tables = new Map<string, ObjectIdentifier>();
  for (const item of found) {
    if ((item.db === null || item.db === undefined) && cteNames.has(String(item.table))) continue;
    const id = toIdentifier(item, view);
    tables.set(`${id.catalogName}\u0000${id.databaseName}\u0000${id.objectName}`, id);
  }
  return { parsed: true, tables: [...tables.values()] };
};
