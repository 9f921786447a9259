// The qualifiedNames of the Flink catalog objects: part of the public contract, so pinned here.
import { describe, expect, it } from 'vitest';
import {
  catalogQualifiedName, columnQualifiedName, databaseQualifiedName, parseTablePath, tablePath, tableQualifiedName, viewQueryQualifiedName,
} from '../../../../lib/mapping/catalog/naming.js';
import { id } from '../../../helpers/catalogEvents.js';

const ctx = { atlasNamespace: 'prod', namespaceOverrides: {} };

describe('catalog qualifiedNames', () => {
  it("are Flink's summary strings plus the Atlas namespace, case kept", () => {
    const orders = id('Orders', 'Sales', 'hive');
    expect(catalogQualifiedName('hive', ctx)).toBe('hive@prod');
    expect(databaseQualifiedName('hive', 'Sales', ctx)).toBe('hive.Sales@prod');
    expect(tablePath(orders)).toBe('hive.Sales.Orders');
    expect(tableQualifiedName(orders, ctx)).toBe('hive.Sales.Orders@prod');
    expect(columnQualifiedName(orders, 'order_id', ctx)).toBe('hive.Sales.Orders.order_id@prod');
    expect(viewQueryQualifiedName(orders, ctx)).toBe('hive.Sales.Orders/query@prod');
  });

  it('parseTablePath splits exactly three non-empty parts, and nothing else', () => {
    expect(parseTablePath('default_catalog.db.orders')).toEqual(id('orders', 'db', 'default_catalog'));
    for (const path of ['db.orders', 'a.b.c.d', 'a..c', '.b.c', 'orders']) expect(parseTablePath(path), path).toBeUndefined();
  });
});
