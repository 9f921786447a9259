export { ingestFlinkEvents } from './ingestFlinkEvents.js';
export type { IngestDeps, IngestReport, ItemResult } from './ingestFlinkEvents.js';
export { writeEvents } from './writeEvents.js';
export type { AtlasWriter, IndexedEvent, WriteFailure, WriteOutcome, WrittenEntity } from './writeEvents.js';
