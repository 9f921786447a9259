import { describe, expect, it } from 'vitest';
import { CatalogColumnSchema } from '../../../lib/contract/catalogEvents.js';
import { CatalogDatabaseEventSchema, CatalogTableEventSchema } from '../../../lib/contract/nativeEvents.js';
import { REDACTED } from '../../../lib/contract/secrets.js';
import { id, kafkaTable } from '../../helpers/catalogEvents.js';
import { T0 } from '../../helpers/events.js';

const envelope = { eventId: '2f6b0d0c-7a0e-4a4e-9a7e-0f5b9a1c2d3e', eventTime: new Date(T0).toISOString(), cluster: 'flink-prod' };
const table = (action: string, extra: Record<string, unknown> = {}) => ({ type: 'catalog.table', ...envelope, action, identifier: id('orders'), ...extra });
const database = (action: string, extra: Record<string, unknown> = {}) => ({ type: 'catalog.database', ...envelope, action, catalogName: 'c', databaseName: 'd', ...extra });

describe('catalog.table', () => {
  it('requires the table for CREATE and ALTER but not for DROP, pointing at it', () => {
    for (const action of ['CREATE', 'ALTER']) {
      const result = CatalogTableEventSchema.safeParse(table(action));
      expect(result.error?.issues.map((i) => [i.path.join('/'), i.message])).toEqual([['table', `required for ${action}`]]);
    }
    expect(CatalogTableEventSchema.safeParse(table('DROP')).success).toBe(true);
    expect(CatalogTableEventSchema.safeParse(table('CREATE', { table: kafkaTable('orders') })).success).toBe(true);
  });

  it('redacts secret options on arrival, keeping their keys', () => {
    const parsed = CatalogTableEventSchema.parse(table('CREATE', {
      table: kafkaTable('orders', { options: { connector: 'jdbc', url: 'jdbc:mysql://db:3306/x?user=u&password=hunter2', password: 'hunter2' } }),
    }));
    expect(parsed.table?.options).toEqual({ connector: 'jdbc', url: `jdbc:mysql://db:3306/x?user=u&password=${REDACTED}`, password: REDACTED });
    expect(JSON.stringify(parsed)).not.toContain('hunter2');
  });

  it('refuses an empty identifier part and an unknown table kind', () => {
    expect(CatalogTableEventSchema.safeParse(table('DROP', { identifier: { catalogName: 'c', databaseName: '', objectName: 't' } })).success).toBe(false);
    expect(CatalogTableEventSchema.safeParse(table('CREATE', { table: { ...kafkaTable('t'), tableKind: 'STREAM' } })).success).toBe(false);
  });
});

describe('catalog.database', () => {
  it('requires the database for CREATE and ALTER, and redacts its secret properties', () => {
    expect(CatalogDatabaseEventSchema.safeParse(database('ALTER')).error?.issues[0]?.message).toBe('required for ALTER');
    const parsed = CatalogDatabaseEventSchema.parse(database('CREATE', { database: { properties: { 'hive.metastore.sasl.token': 't0k3n', owner: 'me' } } }));
    expect(parsed.database?.properties).toEqual({ 'hive.metastore.sasl.token': REDACTED, owner: 'me' });
  });
});

describe('columns', () => {
  it('are physical unless they say otherwise', () => {
    expect(CatalogColumnSchema.parse({ name: 'a', dataType: 'INT' }).kind).toBe('PHYSICAL');
    expect(CatalogColumnSchema.safeParse({ name: 'a', dataType: '' }).success).toBe(false);
  });
});
