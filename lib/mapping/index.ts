export { mapDataset } from './datasets.js';
export type { DatasetKind, DatasetName, MappedDataset } from './datasets.js';
export type { DesiredEntity, EntityRef } from './entityRef.js';
export { refKey } from './entityRef.js';
export { jobQualifiedName, runQualifiedName } from './naming.js';
export type { NamingContext } from './naming.js';
export {
  eventToChanges, decodeState, GLOBALLY_TERMINAL, JOB_REGISTERS, JOB_TYPE, RUN_REGISTERS, RUN_TYPE,
} from './jobModel.js';
export type { EventChanges, JobChange, RunChange } from './jobModel.js';
export { planBulkWrite, qualifiedNamesToRead } from './bulkRequest.js';
export type { BulkWritePlan, PlannedEntity, StoredEntities } from './bulkRequest.js';
export { joinStates, canonicalJson } from './registers.js';
export type { EntityState, Register } from './registers.js';
