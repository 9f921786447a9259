import { describe, expect, it } from 'vitest';
import { isCatalogEvent, isDatasetMetadataEvent } from '../../../lib/contract/eventKinds.js';
import type { NativeEvent } from '../../../lib/contract/nativeEvents.js';
import { databaseEvent, id, kafkaTable, tableEvent } from '../../helpers/catalogEvents.js';
import { statusEvent, T0 } from '../../helpers/events.js';

const datasetEvent: NativeEvent = {
  type: 'dataset.metadata', eventId: '2f6b0d0c-7a0e-4a4e-9a7e-0f5b9a1c2d3e', eventTime: new Date(T0).toISOString(),
  dataset: { namespace: 'kafka://b:9092', name: 'orders' },
};

describe('event kinds', () => {
  it('tells catalog events from job and dataset events', () => {
    expect(isCatalogEvent(tableEvent('CREATE', id('t'), T0, kafkaTable('t')))).toBe(true);
    expect(isCatalogEvent(databaseEvent('CREATE', 'db', T0))).toBe(true);
    expect(isCatalogEvent(statusEvent('RUNNING', T0))).toBe(false);
    expect(isCatalogEvent(datasetEvent)).toBe(false);
  });

  it('tells dataset metadata events from the others', () => {
    expect(isDatasetMetadataEvent(datasetEvent)).toBe(true);
    expect(isDatasetMetadataEvent(statusEvent('RUNNING', T0))).toBe(false);
    expect(isDatasetMetadataEvent(databaseEvent('DROP', 'db', T0))).toBe(false);
  });
});
