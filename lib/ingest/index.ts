export { ingestFlinkEvents } from './ingestFlinkEvents.js';
export type { IngestReport, ItemResult } from './ingestFlinkEvents.js';
export { deliverEvents } from './deliverEvents.js';
export type { IngestDeps } from './deliverEvents.js';
export { writeEvents } from './writeEvents.js';
export type { AtlasWriter, IndexedEvent, WriteFailure, WriteOutcome, WrittenEntity } from './writeEvents.js';
