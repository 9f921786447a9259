export { mapDataset } from './dataset/naming.js';
export type { DatasetKind, DatasetName, MappedDataset } from './dataset/naming.js';
export type { DesiredEntity, EntityRef, StoredEntities } from './shared/entityRef.js';
export { activeRelatedRefs, refKey } from './shared/entityRef.js';
export { jobQualifiedName, runQualifiedName } from './job/naming.js';
export type { NamingContext } from './shared/namingContext.js';
export {
  eventToChanges, GLOBALLY_TERMINAL, JOB_REGISTERS, JOB_TYPE, mapDatasets, RUN_REGISTERS, RUN_TYPE,
} from './job/model.js';
export type { EventChanges, JobChange, RunChange } from './job/model.js';
export { decodeState } from './job/plan.js';
export { planBulkWrite, refsToRead } from './bulkRequest.js';
export type { BulkWritePlan, PlannedEntity } from './bulkRequest.js';
export { joinStates, canonicalJson } from './shared/registers.js';
export type { EntityState, Register } from './shared/registers.js';
export {
  catalogEventToChanges, catalogRefsToRead, catalogSubject, databasesDroppedUnderneath, emptyCatalogChanges,
  joinCatalogChanges, tableSeen, tablesOfDatabase, viewQueryOf,
} from './catalog/model.js';
export type { CatalogChanges, TableDefinition, ViewQueryReader } from './catalog/model.js';
export { planCatalogWrite } from './catalog/plan.js';
export type { CatalogWritePlan } from './catalog/plan.js';
export {
  CATALOG_TYPE, COLUMN_TYPE, DATABASE_TYPE, TABLE_TYPE, VIEW_QUERY_TYPE, catalogQualifiedName, columnQualifiedName,
  databaseQualifiedName, parseTablePath, tablePath, tableQualifiedName, viewQueryQualifiedName,
} from './catalog/naming.js';
export { physicalDatasets, parseJdbcUrl, fileDataset } from './catalog/connectors.js';
// createViewQueryParser (catalog/viewQuery.ts) is not re-exported: it holds node-sql-parser, which a bundle loads only
// when a batch holds a view (lib/ingest/viewQueries.ts). Import it from its own module.
export type { ViewQueryTables } from './catalog/viewQuery.js';
export {
  BRIDGE_OWNER, BRIDGE_OWNER_PARAMETER, HIVE_COLUMN_TYPE, SCHEMA_DIGEST_PARAMETER, SCHEMA_TIME_PARAMETER, hiveColumnQualifiedName, hiveColumnsWrite, isHiveHookTable,
} from './dataset/hiveColumns.js';
export type { DatasetSchema } from './dataset/naming.js';
