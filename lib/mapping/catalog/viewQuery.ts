// The tables a Flink view reads, from its query, with node-sql-parser's FlinkSQL dialect. Pure in its results:
// the same query and view always give the same answer (a bounded memo of parses, below, only saves time). The
// module holds no state: the parser and its memo belong to the reader `createViewQueryParser` returns, and the
// caller keeps that reader as long as it wants the memo (lib/ingest/viewQueries.ts: one per container).
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
import type { ObjectIdentifier } from '../../contract/index.js';

const { Parser } = sqlParser;
type SqlParser = InstanceType<typeof Parser>;

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

/** What a query's text alone says: the table references it makes (CTE names left out), or why it cannot be read. */
type ParsedQuery =
  | { parsed: true; found: readonly Readonly<FromItem>[] }
  | { parsed: false; reason: string; transient?: true };

const parseQuery = (parser: SqlParser, query: string): ParsedQuery => {
  let ast: unknown;
  try {
    ast = parser.astify(query.replace(SYSTEM_TIME, ' '), { database: 'FlinkSQL' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = `the SQL parser does not read this query (${message.slice(0, 200)})`;
    // A RangeError (the call stack of a deeply nested query) depends on where the parser ran, not only on the text.
    return error instanceof RangeError ? { parsed: false, reason, transient: true } : { parsed: false, reason };
  }
  const found: FromItem[] = [];
  const cteNames = new Set<string>();
  collectTables(ast, found, cteNames);
  const tables = found
    .filter((item) => !((item.db === null || item.db === undefined) && cteNames.has(String(item.table))))
    .map((item) => Object.freeze({ db: item.db ?? null, table: String(item.table) }));
  return { parsed: true, found: Object.freeze(tables) };
};

// Parses by query text. The pegjs parser is the costliest step of mapping a view event, and the same text comes
// again and again (catalogs re-announce their views, deploy pipelines resend them), so a repeated query costs a
// lookup. Bounded, least recently used evicted first, in entries and in characters of query text held (a query
// may be up to 1,000,000 characters, see lib/contract/catalogEvents.ts): a container's memory does not grow with
// the number of distinct queries it has seen. What is kept is frozen and never handed out: each call builds
// its own answer from it, defaulted against its own view.
export interface ViewQueryMemoLimits {
  entries: number;
  chars: number;
}

export const VIEW_QUERY_MEMO_LIMITS: Readonly<ViewQueryMemoLimits> = { entries: 256, chars: 2_000_000 };

/** Reads view queries, remembering the parses of recent ones. */
export interface ViewQueryParser {
  /** The tables `query` reads (see `createViewQueryParser`). */
  tables: (query: string, view: ObjectIdentifier) => ViewQueryTables;
  /** What the memo of parses holds. */
  memo: () => { entries: number; chars: number };
}

/**
 * A parser of view queries with its own memo. Names without catalog or database are taken to live beside the
 * view: Flink resolves them against the session's current catalog and database when the view is created, which
 * the event does not carry, so prefer the expanded query (fully qualified by Flink) when there is one.
 */
export const createViewQueryParser = (limits: Readonly<ViewQueryMemoLimits> = VIEW_QUERY_MEMO_LIMITS): ViewQueryParser => {
  const parser = new Parser();
  const parsedQueries = new Map<string, ParsedQuery>();
  let heldChars = 0;

  const parsedQuery = (query: string): ParsedQuery => {
    const held = parsedQueries.get(query);
    if (held !== undefined) {
      // Most recently used last: a Map iterates in insertion order.
      parsedQueries.delete(query);
      parsedQueries.set(query, held);
      return held;
    }
    const parsed = parseQuery(parser, query);
    if (query.length > limits.chars || (!parsed.parsed && parsed.transient === true)) return parsed;
    parsedQueries.set(query, parsed);
    heldChars += query.length;
    for (const oldest of parsedQueries.keys()) {
      if (parsedQueries.size <= limits.entries && heldChars <= limits.chars) break;
      parsedQueries.delete(oldest);
      heldChars -= oldest.length;
    }
    return parsed;
  };

  const tables = (query: string, view: ObjectIdentifier): ViewQueryTables => {
    const parsed = parsedQuery(query);
    if (!parsed.parsed) return { parsed: false, reason: parsed.reason };
    const found = new Map<string, ObjectIdentifier>();
    for (const item of parsed.found) {
      const id = toIdentifier(item, view);
      found.set(`${id.catalogName}\u0000${id.databaseName}\u0000${id.objectName}`, id);
    }
    return { parsed: true, tables: [...found.values()] };
  };

  return { tables, memo: () => ({ entries: parsedQueries.size, chars: heldChars }) };
};
