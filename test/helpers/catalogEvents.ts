// Builders of native catalog events (catalog.table, catalog.database) for tests, validated by the contract.
import { randomUUID } from 'node:crypto';
import {
  NativeEventSchema, type CatalogBaseTable, type CatalogDatabaseEvent, type CatalogTableEvent, type ObjectIdentifier,
} from '../../lib/contract/index.js';

export const CT0 = Date.parse('2026-11-25T09:00:00.000Z');

export const id = (objectName: string, databaseName = 'default_database', catalogName = 'default_catalog'): ObjectIdentifier => ({
  catalogName, databaseName, objectName,
});

export const kafkaTable = (topic: string, extra: Partial<CatalogBaseTable> = {}): CatalogBaseTable => ({
  tableKind: 'TABLE',
  schema: {
    columns: [
      { name: 'order_id', dataType: 'BIGINT NOT NULL', kind: 'PHYSICAL' },
      { name: 'amount', dataType: 'DECIMAL(10, 2)', kind: 'PHYSICAL' },
      { name: 'order_time', dataType: 'TIMESTAMP(3)', kind: 'PHYSICAL' },
    ],
    primaryKey: { name: 'PK_order_id', columns: ['order_id'] },
    watermarkSpecs: [{ rowtimeAttribute: 'order_time', expression: "`order_time` - INTERVAL '5' SECOND" }],
  },
  options: { connector: 'kafka', topic, 'properties.bootstrap.servers': 'kafka-1:9092', format: 'json' },
  ...extra,
});

export const viewOf = (expandedQuery: string, columns = ['order_id']): CatalogBaseTable => ({
  tableKind: 'VIEW',
  schema: { columns: columns.map((name) => ({ name, dataType: 'BIGINT', kind: 'PHYSICAL' as const })) },
  originalQuery: expandedQuery,
  expandedQuery,
});

const parsed = <T>(event: unknown): T => NativeEventSchema.parse(event) as T;

export const tableEvent = (
  action: 'CREATE' | 'ALTER' | 'DROP',
  identifier: ObjectIdentifier,
  at: number,
  table?: CatalogBaseTable,
  extra: Partial<CatalogTableEvent> = {},
): CatalogTableEvent =>
  parsed<CatalogTableEvent>({
    type: 'catalog.table',
    eventId: randomUUID(),
    eventTime: new Date(at).toISOString(),
    cluster: 'flink-prod',
    action,
    identifier,
    ...(table === undefined ? {} : { table }),
    ...extra,
  });

export const databaseEvent = (
  action: 'CREATE' | 'ALTER' | 'DROP',
  databaseName: string,
  at: number,
  database?: CatalogDatabaseEvent['database'],
  catalogName = 'default_catalog',
): CatalogDatabaseEvent =>
  parsed<CatalogDatabaseEvent>({
    type: 'catalog.database',
    eventId: randomUUID(),
    eventTime: new Date(at).toISOString(),
    cluster: 'flink-prod',
    action,
    catalogName,
    databaseName,
    ...(action === 'DROP' ? { cascade: true } : { database: database ?? { comment: `database ${databaseName}` } }),
  });
