import { describe, expect, it } from 'vitest';
import { CatalogDatabaseEventSchema, CatalogTableEventSchema, NativeEventSchema } from '../../../lib/contract/nativeEvents.js';
import { id, kafkaTable } from '../../helpers/catalogEvents.js';
import { cancelledRun, T0 } from '../../helpers/events.js';

const envelope = { eventId: '2f6b0d0c-7a0e-4a4e-9a7e-0f5b9a1c2d3e', eventTime: new Date(T0).toISOString(), cluster: 'flink-prod' };

describe('NativeEventSchema', () => {
  it('accepts every job event and both catalog events', () => {
    for (const event of cancelledRun()) expect(NativeEventSchema.safeParse(event).success, event.type).toBe(true);
    expect(NativeEventSchema.safeParse({ type: 'catalog.table', ...envelope, action: 'CREATE', identifier: id('t'), table: kafkaTable('t') }).success).toBe(true);
    expect(NativeEventSchema.safeParse({ type: 'catalog.database', ...envelope, action: 'DROP', catalogName: 'c', databaseName: 'd' }).success).toBe(true);
    expect(NativeEventSchema.safeParse({ type: 'dataset.metadata', eventId: envelope.eventId, eventTime: envelope.eventTime, dataset: { namespace: 'file', name: '/x' } }).success).toBe(true);
  });

  it('refuses an unknown type, pointing at it', () => {
    const result = NativeEventSchema.safeParse({ type: 'job.unknown', ...envelope });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['type']);
  });

  it('builds the catalog event schemas on the native envelope: a catalog event needs a cluster', () => {
    const { cluster: _cluster, ...noCluster } = envelope;
    expect(CatalogTableEventSchema.safeParse({ type: 'catalog.table', ...noCluster, action: 'DROP', identifier: id('t') }).success).toBe(false);
    expect(CatalogDatabaseEventSchema.safeParse({ type: 'catalog.database', ...envelope, action: 'DROP', catalogName: 'c', databaseName: 'd' }).success).toBe(true);
  });
});
