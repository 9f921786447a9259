import { describe, expect, it } from 'vitest';
import type { AtlasEntity } from '../../../../lib/atlas/index.js';
import { planBulkWrite } from '../../../../lib/mapping/bulkRequest.js';
import {
  hiveColumnQualifiedName, hiveColumnsWrite, isHiveHookTable, SCHEMA_DIGEST_PARAMETER, SCHEMA_TIME_PARAMETER,
} from '../../../../lib/mapping/dataset/hiveColumns.js';
import { BRIDGE_OWNER, BRIDGE_OWNER_PARAMETER, mapDataset, type DatasetSchema } from '../../../../lib/mapping/dataset/naming.js';
import type { DesiredEntity } from '../../../../lib/mapping/shared/entityRef.js';
import { naming, T0 } from '../../../helpers/events.js';

const hive = mapDataset({ namespace: 'hive://hms:9083', name: 'Sales.Orders' }, naming);
const table = hive.entities[0] as DesiredEntity;
const schema = (at: number, ...names: string[]): DatasetSchema => ({ at, fields: names.map((name) => ({ name, type: 'BIGINT' })) });

const storedTable = (attributes: Record<string, unknown> = {}): AtlasEntity => ({
  typeName: 'hive_table',
  guid: 'table-guid',
  status: 'ACTIVE',
  attributes: { qualifiedName: 'sales.orders@primary', name: 'orders', ...attributes },
});
/** What the bridge wrote for `written`: a table carrying that schema's time and digest. */
const ownedTable = (written: DatasetSchema): AtlasEntity => {
  const [sent] = hiveColumnsWrite(table, written, undefined) ?? [];
  return storedTable({ parameters: sent?.attributes.parameters });
};

describe('Function: hiveColumnsWrite', () => {
  it('writes a new table with one hive_column per top-level field, as HiveMetaStoreBridge names and numbers them', () => {
    const written = hiveColumnsWrite(table, { at: T0, fields: [{ name: 'ID', type: 'BIGINT', description: 'key' }, { name: 'note' }, { name: 'id', type: 'INT' }] }, undefined);
    expect(written?.map((e) => `${e.typeName} ${e.qualifiedName}`)).toEqual([
      'hive_table sales.orders@primary', 'hive_column sales.orders.id@primary', 'hive_column sales.orders.note@primary',
    ]);
    // A second field of the same name (case-insensitive) is the same column: the first one wins.
    expect(written?.[1]).toMatchObject({ attributes: { name: 'id', type: 'BIGINT', position: 0, comment: 'key' }, references: { table: { typeName: 'hive_table', qualifiedName: 'sales.orders@primary' } } });
    // hive_column.type is mandatory in Atlas.
    expect(written?.[2]?.attributes).toMatchObject({ name: 'note', type: 'unknown', position: 1 });
    expect(written?.[0]).toMatchObject({
      attributes: { qualifiedName: 'sales.orders@primary', name: 'orders', parameters: { [SCHEMA_TIME_PARAMETER]: String(T0), [SCHEMA_DIGEST_PARAMETER]: expect.stringMatching(/^[0-9a-f]{32}$/) } },
      references: { db: { typeName: 'hive_db', qualifiedName: 'sales@primary' }, columns: [{ typeName: 'hive_column', qualifiedName: 'sales.orders.id@primary' }, { typeName: 'hive_column', qualifiedName: 'sales.orders.note@primary' }] },
    });
  });

  it("never touches a table without the bridge's mark (the Hive hook's, HiveMetaStoreBridge's, anyone's)", () => {
    expect(isHiveHookTable(storedTable({ createTime: T0, tableType: 'EXTERNAL_TABLE', parameters: { transient_lastDdlTime: '1' } }))).toBe(true);
    expect(isHiveHookTable(storedTable())).toBe(true);
    expect(hiveColumnsWrite(table, schema(T0 + 1, 'id'), storedTable({ createTime: T0 }))).toBeUndefined();
    expect(hiveColumnsWrite(table, schema(T0 + 1, 'id'), storedTable({ tableType: 'MANAGED_TABLE' }))).toBeUndefined();
  });

  it('owns the tables it created: createTime 0 is what Atlas stores for any table created without one', () => {
    // EntityGraphMapper.mapAttribute: an unset optional date is stored as Date(0) (AtlasBuiltInTypes).
    const created = storedTable({ createTime: 0, temporary: false, parameters: { [BRIDGE_OWNER_PARAMETER]: BRIDGE_OWNER } });
    expect(isHiveHookTable(created)).toBe(false);
    expect(table.attributes.parameters).toEqual({ [BRIDGE_OWNER_PARAMETER]: BRIDGE_OWNER });
    expect(hiveColumnsWrite(table, schema(T0, 'id'), created)?.[0]?.attributes.parameters).toMatchObject({ [BRIDGE_OWNER_PARAMETER]: BRIDGE_OWNER });
    // A table an earlier version created carries only the schema parameters, which only the bridge writes.
    expect(isHiveHookTable(storedTable({ createTime: 0, parameters: { [SCHEMA_TIME_PARAMETER]: String(T0), [SCHEMA_DIGEST_PARAMETER]: 'x' } }))).toBe(false);
  });

  it('rewrites a table it owns only for a later schema, or a different one of the same time (the greater digest)', () => {
    const held = schema(T0, 'id', 'amount');
    expect(hiveColumnsWrite(table, held, ownedTable(held))).toBeUndefined();
    expect(hiveColumnsWrite(table, schema(T0 - 1, 'id'), ownedTable(held))).toBeUndefined();
    expect(hiveColumnsWrite(table, schema(T0 + 1, 'id'), ownedTable(held))?.length).toBe(2);
    const rival = schema(T0, 'id');
    const oneWay = hiveColumnsWrite(table, rival, ownedTable(held)) !== undefined;
    const otherWay = hiveColumnsWrite(table, held, ownedTable(rival)) !== undefined;
    expect(oneWay).not.toBe(otherWay);
    // A table the bridge created before it wrote any schema (its mark only) takes the first one.
    expect(hiveColumnsWrite(table, rival, storedTable({ parameters: { [BRIDGE_OWNER_PARAMETER]: BRIDGE_OWNER } }))?.length).toBe(2);
  });

  it('names columns db.table.column@ns, lower-cased, whatever the namespace holds', () => {
    expect(hiveColumnQualifiedName('sales.orders@primary', 'Order_ID')).toBe('sales.orders.order_id@primary');
    expect(hiveColumnQualifiedName('sales.orders@eu@west', 'x')).toBe('sales.orders@eu.x@west');
  });
});

describe('Function: planBulkWrite with dataset schemas', () => {
  it('writes the latest of several schemas reported for one table in a batch', () => {
    const plan = planBulkWrite([], () => undefined, [], [
      { ...hive, schema: schema(T0 + 5, 'id', 'amount') },
      { ...hive, schema: schema(T0, 'id') },
    ]);
    const columns = plan.request.entities.filter((e) => e.typeName === 'hive_column').map((e) => e.attributes.qualifiedName);
    expect(columns).toEqual(['sales.orders.id@primary', 'sales.orders.amount@primary']);
  });

  it('only references a table Atlas holds and the bridge does not own, even with a schema', () => {
    const stored = storedTable({ createTime: T0, tableType: 'MANAGED_TABLE' });
    const plan = planBulkWrite([], (ref) => (ref.qualifiedName === 'sales.orders@primary' ? stored : undefined), [], [{ ...hive, schema: schema(T0, 'id') }]);
    expect(plan.request.entities.map((e) => e.typeName)).toEqual(['hive_db']);
    expect(plan.entities.get('hive_table|sales.orders@primary')).toMatchObject({ guid: 'table-guid', sent: false });
  });
});
