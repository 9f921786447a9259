import { describe, expect, it } from 'vitest';
import { createViewQueryParser, VIEW_QUERY_MEMO_LIMITS } from '../../../../lib/mapping/catalog/viewQuery.js';
import { tablePath } from '../../../../lib/mapping/catalog/naming.js';
import { id } from '../../../helpers/catalogEvents.js';

const view = id('v', 'db', 'cat');
const parser = createViewQueryParser();
const viewQueryTables = parser.tables;
const viewQueryCacheStats = parser.memo;
const { entries: VIEW_QUERY_CACHE_ENTRIES, chars: VIEW_QUERY_CACHE_CHARS } = VIEW_QUERY_MEMO_LIMITS;
const tablesOf = (query: string): string[] | string => {
  const result = viewQueryTables(query, view);
  return result.parsed ? result.tables.map(tablePath) : result.reason;
};

describe('Function: createViewQueryParser().tables (the tables a Flink view reads)', () => {
  it.each([
    ['a plain SELECT', 'SELECT id, amount FROM orders WHERE amount > 10', ['cat.db.orders']],
    ["Flink's expanded query, fully qualified with backticks", 'SELECT `orders`.`id` FROM `default_catalog`.`default_database`.`orders`', ['default_catalog.default_database.orders']],
    ['a join over two- and three-part names', 'SELECT o.id, c.name FROM sales.orders AS o JOIN hive.crm.customers c ON o.cid = c.id', ['cat.sales.orders', 'hive.crm.customers']],
    ['subqueries and UNION ALL', 'SELECT id FROM (SELECT id FROM shop.orders UNION ALL SELECT id FROM archive.orders) t', ['cat.shop.orders', 'cat.archive.orders']],
    ['a WITH clause (its names are not tables)', 'WITH big AS (SELECT * FROM orders WHERE amount > 100) SELECT * FROM big JOIN customers ON big.cid = customers.id', ['cat.db.orders', 'cat.db.customers']],
    ['a TUMBLE window table function', "SELECT window_start, SUM(amount) FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(order_time), INTERVAL '10' MINUTES)) GROUP BY window_start", ['cat.db.orders']],
    ['a group window', "SELECT customer_id, COUNT(*) FROM orders GROUP BY customer_id, TUMBLE(ts, INTERVAL '1' HOUR)", ['cat.db.orders']],
    ['a temporal join', 'SELECT o.id, r.rate FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.`proc_time` AS r ON o.currency = r.currency', ['cat.db.orders', 'cat.db.rates']],
    ['a dynamic table options hint', "SELECT * FROM orders /*+ OPTIONS('scan.startup.mode'='earliest-offset') */", ['cat.db.orders']],
    ['a query over no table', 'SELECT 1', []],
  ])('reads %s', (_label, query, expected) => {
    expect(tablesOf(query)).toEqual(expected);
  });

  it('says why when the parser cannot read the query (LATERAL TABLE), so the view records it', () => {
    expect(tablesOf('SELECT s, t FROM orders, LATERAL TABLE(split(tags)) AS T(t)')).toMatch(/^the SQL parser does not read this query/);
  });

  describe('the memo of parses (the same query text is parsed once)', () => {
    it('resolves the same query against each view: two views in different databases read different tables', () => {
      const query = 'SELECT o.id FROM orders o JOIN crm.customers c ON o.cid = c.id JOIN hive.dw.rates r ON o.cur = r.cur';
      const first = viewQueryTables(query, id('v', 'sales', 'cat'));
      const second = viewQueryTables(query, id('w', 'archive', 'other'));
      expect(first.parsed && first.tables.map(tablePath)).toEqual(['cat.sales.orders', 'cat.crm.customers', 'hive.dw.rates']);
      expect(second.parsed && second.tables.map(tablePath)).toEqual(['other.archive.orders', 'other.crm.customers', 'hive.dw.rates']);
      expect(viewQueryTables(query, id('v', 'sales', 'cat'))).toEqual(first);
    });

    it('keeps leaving out CTE names on a repeated query', () => {
      const query = 'WITH big AS (SELECT * FROM orders) SELECT * FROM big JOIN other.big b2 ON big.id = b2.id';
      expect(tablesOf(query)).toEqual(['cat.db.orders', 'cat.other.big']);
      const held = viewQueryCacheStats();
      expect(tablesOf(query)).toEqual(['cat.db.orders', 'cat.other.big']);
      expect(viewQueryCacheStats()).toEqual(held); // found in the memo, not parsed and added again
    });

    it('says why a query cannot be read on every call, not only the first', () => {
      const query = 'SELECT s, t FROM orders, LATERAL TABLE(split(tags)) AS T(t) -- memo';
      const first = viewQueryTables(query, view);
      const second = viewQueryTables(query, id('v', 'elsewhere'));
      expect(first.parsed).toBe(false);
      expect(second).toEqual(first);
      expect(second.parsed ? undefined : second.reason).toMatch(/^the SQL parser does not read this query \(.+\)$/);
    });

    it('does not keep a failure of the call stack (a deeply nested query): it depends on where the parser ran', () => {
      const deep = `SELECT ${'('.repeat(20_000)}1${')'.repeat(20_000)}`;
      const held = viewQueryCacheStats();
      expect(tablesOf(deep)).toMatch(/^the SQL parser does not read this query \(Maximum call stack size exceeded\)$/);
      expect(viewQueryCacheStats()).toEqual(held);
    });

    it('hands out answers of its own: changing one does not change the next', () => {
      const query = 'SELECT * FROM orders JOIN shop.customers ON orders.cid = customers.id';
      const first = viewQueryTables(query, view);
      if (!first.parsed) throw new Error(first.reason);
      first.tables.pop();
      first.tables.push(id('intruder', 'x', 'y'));
      first.tables[0]!.objectName = 'changed';
      const second = viewQueryTables(query, view);
      expect(second.parsed && second.tables.map(tablePath)).toEqual(['cat.db.orders', 'cat.shop.customers']);
      expect(second.parsed && second.tables[0]).not.toBe(first.tables[0]);

      const failing = 'SELECT FROM WHERE';
      const failed = viewQueryTables(failing, view);
      expect(failed.parsed).toBe(false);
      (failed as { reason: string }).reason = 'changed';
      expect(viewQueryTables(failing, view)).not.toEqual(failed);
    });

    it('is bounded in entries: many distinct queries evict the least recently used', () => {
      const queryOf = (i: number): string => `SELECT id FROM t${i}`;
      const kept = 'SELECT id FROM kept_warm';
      viewQueryTables(kept, view);
      for (let i = 0; i < VIEW_QUERY_CACHE_ENTRIES * 2; i++) {
        viewQueryTables(queryOf(i), view);
        if (i % 10 === 0) viewQueryTables(kept, view);
        expect(viewQueryCacheStats().entries).toBeLessThanOrEqual(VIEW_QUERY_CACHE_ENTRIES);
      }
      expect(viewQueryCacheStats().entries).toBe(VIEW_QUERY_CACHE_ENTRIES);
      // Answers do not depend on what was evicted.
      expect(tablesOf(queryOf(0))).toEqual(['cat.db.t0']);
      expect(tablesOf(kept)).toEqual(['cat.db.kept_warm']);
    });

    it('is bounded in characters held, and answers a query longer than the bound all the same', () => {
      const padding = (n: number): string => ' '.repeat(n);
      const big = (i: number): string => `SELECT id FROM big${i}${padding(Math.floor(VIEW_QUERY_CACHE_CHARS / 3))}`;
      for (let i = 0; i < 5; i++) {
        expect(tablesOf(big(i))).toEqual([`cat.db.big${i}`]);
        expect(viewQueryCacheStats().chars).toBeLessThanOrEqual(VIEW_QUERY_CACHE_CHARS);
      }
      const before = viewQueryCacheStats();
      const huge = `SELECT id FROM huge${padding(VIEW_QUERY_CACHE_CHARS)}`;
      expect(tablesOf(huge)).toEqual(['cat.db.huge']);
      expect(viewQueryCacheStats()).toEqual(before);
    });

    it('belongs to its parser: another parser starts empty and keeps its own limits', () => {
      const query = 'SELECT id FROM orders -- own memo';
      tablesOf(query);
      const small = createViewQueryParser({ entries: 2, chars: 1_000 });
      expect(small.memo()).toEqual({ entries: 0, chars: 0 });
      for (const name of ['a', 'b', 'c']) expect(small.tables(`SELECT id FROM ${name}`, view)).toEqual({ parsed: true, tables: [id(name, 'db', 'cat')] });
      expect(small.memo()).toEqual({ entries: 2, chars: 'SELECT id FROM b'.length * 2 });
      expect(parser.memo().entries).toBeGreaterThan(2);
    });
  });
});
