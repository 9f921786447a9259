// The mapping's API for the other areas: events in, Atlas entities and one bulk request out. Pure: no I/O, no
// clock, no env, no module state. The domains (job/, catalog/, dataset/) share one register model (shared/).
// Their other exports are for each other and their tests, not for the areas importing this file.

// Naming and entity references
export type { NamingContext } from './shared/namingContext.js';
export type { EntityRef, StoredEntities } from './shared/entityRef.js';
export { activeRelatedRefs, refKey } from './shared/entityRef.js';
export { canonicalJson } from './shared/registers.js';
export type { MappedDataset } from './dataset/naming.js';
export { isHiveHookTable } from './dataset/hiveColumns.js';

// Jobs and runs
export { GLOBALLY_TERMINAL, JOB_TYPE, RUN_TYPE, eventToChanges, mapDatasets } from './job/model.js';
export type { EventChanges, JobChange } from './job/model.js';
export { jobQualifiedName, runQualifiedName } from './job/naming.js';

// The Flink catalog. The view query parser (catalog/viewQuery.ts) is not re-exported: it holds node-sql-parser,
// which a bundle loads only when a batch holds a view (lib/ingest/viewQueries.ts). Import it from its own module.
export {
  catalogEventToChanges, catalogRefsToRead, catalogSubject, databasesDroppedUnderneath, joinCatalogChanges,
  tablesOfDatabase, viewQueryOf,
} from './catalog/model.js';
export type { CatalogChanges, ViewQueryReader } from './catalog/model.js';
export { DATABASE_TYPE } from './catalog/naming.js';

// The one read and the one bulk write
export { planBulkWrite, refsToRead } from './bulkRequest.js';
export type { BulkWritePlan } from './bulkRequest.js';
export type { HeldDefinitionLinks } from './catalog/plan.js';

// Fleet mode's coalescer (lib/ingest/fleetCoalesce.ts): merges a run's changes, compares them with what Atlas holds
export { compareRegisters, emptyState, joinStates } from './shared/registers.js';
export type { EntityState, Register } from './shared/registers.js';
export { withoutStoredDefaults } from './shared/storedValues.js';
export { JOB_REGISTERS, RUN_MAXIMUMS, RUN_MINIMUMS, RUN_REGISTERS } from './job/model.js';
export { decodeState } from './job/plan.js';
