export { mapDataset } from './datasets.js';
export type { DatasetKind, DatasetName, MappedDataset } from './datasets.js';
export type { DesiredEntity, EntityRef } from './entityRef.js';
export { activeRelatedRefs, refKey } from './entityRef.js';
export { jobQualifiedName, runQualifiedName } from './naming.js';
export type { NamingContext } from './naming.js';
export {
  eventToChanges, decodeState, GLOBALLY_TERMINAL, JOB_REGISTERS, JOB_TYPE, mapDatasets, RUN_REGISTERS, RUN_TYPE,
} from './jobModel.js';
export type { EventChanges, JobChange, RunChange } from './jobModel.js';
export { planBulkWrite, refsToRead } from './bulkRequest.js';
export type { BulkWritePlan, PlannedEntity, StoredEntities } from './bulkRequest.js';
export { joinStates, canonicalJson } from './registers.js';
export type { EntityState, Register } from './registers.js';
export {
  catalogEventToChanges, catalogRefsToRead, catalogSubject, databasesDroppedUnderneath, emptyCatalogChanges,
  joinCatalogChanges, tableSeen, tablesOfDatabase, viewQueryOf,
} from './catalogModel.js';
export type { CatalogChanges, TableDefinition, ViewQueryReader } from './catalogModel.js';
export { planCatalogWrite } from './catalogPlan.js';
export type { CatalogWritePlan } from './catalogPlan.js';
export {
  CATALOG_TYPE, COLUMN_TYPE, DATABASE_TYPE, TABLE_TYPE, VIEW_QUERY_TYPE, catalogQualifiedName, columnQualifiedName,
  databaseQualifiedName, parseTablePath, tablePath, tableQualifiedName, viewQueryQualifiedName,
} from './catalogNaming.js';
export { physicalDatasets, parseJdbcUrl, fileDataset } from './catalogConnectors.js';
// viewQueryTables (catalogViewQuery.ts) is not re-exported: it holds node-sql-parser, which a bundle loads only
// when a batch holds a view (lib/ingest/viewQueries.ts). Import it from its own module.
export type { ViewQueryTables } from './catalogViewQuery.js';
export {
  BRIDGE_OWNER, BRIDGE_OWNER_PARAMETER, HIVE_COLUMN_TYPE, SCHEMA_DIGEST_PARAMETER, SCHEMA_TIME_PARAMETER, hiveColumnQualifiedName, hiveColumnsWrite, isHiveHookTable,
} from './hiveColumns.js';
export type { DatasetSchema } from './datasets.js';
