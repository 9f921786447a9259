// Type guards of native events, apart from nativeEvents.ts: importing them does not build the NativeEvent schemas,
// so a function bundle that never validates catalog events (openLineage, flinkJobs) leaves the catalog schemas out
// (package.json sideEffects; docs/performance.md).
import type { DatasetMetadataEvent } from './flinkEvents.js';
import type { CatalogEvent, NativeEvent } from './nativeEvents.js';

export const isCatalogEvent = (event: NativeEvent): event is CatalogEvent =>
  event.type === 'catalog.table' || event.type === 'catalog.database';

export const isDatasetMetadataEvent = (event: NativeEvent): event is DatasetMetadataEvent => event.type === 'dataset.metadata';
