// Converters from other event shapes (OpenLineage, Flink REST job JSON) into native FlinkEvents. Pure functions:
// the converted events go through deliverEvents like native ones, so every door writes the same Atlas entities.
export { openLineageToFlinkEvents, notFromFlinkReason } from './openLineageToFlinkEvents.js';
export { flinkRestToFlinkEvents } from './flinkRestToFlinkEvents.js';
