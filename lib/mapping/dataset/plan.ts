// The datasets a write names (by jobs, dataset.metadata events and catalog tables): each created, identity only,
// when Atlas lacks it, and only referred to when Atlas holds it (its owner hook keeps its attributes), except the
// Hive tables the bridge owns, whose columns follow the latest schema reported for them (hiveColumns.ts). Pure.
import { activeEntity, refKey, type DesiredEntity, type EntityWrites, type StoredEntities } from '../shared/entityRef.js';
import { hiveColumnsWrite, laterSchema } from './hiveColumns.js';
import type { DatasetSchema, MappedDataset } from './naming.js';

export const planDatasetWrites = (datasets: readonly MappedDataset[], stored: StoredEntities): EntityWrites => {
  const writes: EntityWrites = { outgoing: [], untouched: [] };
  const datasetEntities = new Map<string, DesiredEntity>();
  // The latest schema reported for each Hive table, which becomes its columns when the bridge owns the table.
  const hiveSchemas = new Map<string, DatasetSchema>();
  for (const dataset of datasets) {
    for (const e of dataset.entities) datasetEntities.set(refKey(e), e);
    if (dataset.kind === 'hive' && dataset.schema !== undefined) {
      const key = refKey(dataset.ref);
      const seen = hiveSchemas.get(key);
      hiveSchemas.set(key, seen === undefined ? dataset.schema : laterSchema(seen, dataset.schema));
    }
  }
  for (const dataset of datasetEntities.values()) {
    const schema = hiveSchemas.get(refKey(dataset));
    const held = activeEntity(stored, dataset);
    const withColumns = schema === undefined ? undefined : hiveColumnsWrite(dataset, schema, held);
    if (withColumns !== undefined) writes.outgoing.push(...withColumns);
    else if (held) writes.untouched.push(dataset);
    else writes.outgoing.push(dataset);
  }
  return writes;
};
