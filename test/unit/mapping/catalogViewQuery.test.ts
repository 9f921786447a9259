import { describe, expect, it } from 'vitest';
import { viewQueryTables } from '../../../lib/mapping/catalogViewQuery.js';
import { tablePath } from '../../../lib/mapping/index.js';
import { id } from '../../helpers/catalogEvents.js';

const view = id('v', 'db', 'cat');
const tablesOf = (query: string): string[] | string => {
  const result = viewQueryTables(query, view);
  return result.parsed ? result.tables.map(tablePath) : result.reason;
};

describe('Function: viewQueryTables (the tables a Flink view reads)', () => {
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
});
