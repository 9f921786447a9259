// Converters from other event shapes (OpenLineage, Flink REST job JSON) into native FlinkEvents. Pure functions:
// the converted events go through deliverEvents like native ones, so every door writes the same Atlas entities.
export { openLineageToFlinkEvents, notFromFlinkReason } from './openLineageToFlinkEvents.js';
export type { Conversion } from './openLineageToFlinkEvents.js';
export { flinkRestToFlinkEvents, recordCounts } from './flinkRestToFlinkEvents.js';
export type { FlinkRestContext, RecordCounts } from './flinkRestToFlinkEvents.js';
export { nameBasedUuid } from './ids.js';
