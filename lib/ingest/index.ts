export { ingestFlinkEvents } from './ingestFlinkEvents.js';
export type { IngestReport, ItemResult } from './ingestFlinkEvents.js';
export { deliverEvents } from './deliverEvents.js';
export type { DeliveryOutcome, IngestDeps } from './deliverEvents.js';
export { writeEvents, groupKey } from './writeEvents.js';
export type { AtlasWriter, IndexedEvent, WriteFailure, WriteOutcome, WrittenEntity } from './writeEvents.js';
export { processRetryBatch } from './processRetryBatch.js';
export type { BatchResult, RetryRecord, WorkerDeps } from './processRetryBatch.js';
