// Builds the one bulk request that writes a set of events, from the plan of each domain (job/plan.ts,
// catalog/plan.ts, dataset/plan.ts): the stored state read from Atlas joined with the events' changes, only what
// changed, new entities linked by negative guids in the same request (Atlas rejects uniqueAttributes references
// to entities that do not exist yet, 404 ATLAS-404-00-00A).
import type { AtlasAttributes, AtlasEntitiesWithExtInfo, AtlasEntity, AtlasObjectId } from '../atlas/model.js';
import { catalogRefsToRead, joinCatalogChanges, type CatalogChanges } from './catalog/model.js';
import { planCatalogWrite, type HeldDefinitionLinks } from './catalog/plan.js';
import type { MappedDataset } from './dataset/naming.js';
import { planDatasetWrites } from './dataset/plan.js';
import { JOB_TYPE, RUN_TYPE, type EventChanges } from './job/model.js';
import { planJobWrites } from './job/plan.js';
import {
  activeEntity, refKey, type DesiredEntity, type EntityRef, type EntityWrites, type StoredEntities,
} from './shared/entityRef.js';

export interface PlannedEntity {
  ref: EntityRef;
  /** The request's placeholder guid when the entity is sent; the stored guid otherwise. */
  guid: string;
  sent: boolean;
}

export interface BulkWritePlan {
  /** Empty `entities` means Atlas already holds everything: no write is needed. */
  request: AtlasEntitiesWithExtInfo;
  /** Every entity the events touch, sent or not, keyed by refKey. */
  entities: Map<string, PlannedEntity>;
  /** Entities to soft-delete after the bulk write, in order (a dropped Flink table or database). */
  deletes: EntityRef[];
  /** The links of catalog definitions Atlas already holds, for a retry to check (catalog/plan.ts). */
  heldDefinitionLinks: HeldDefinitionLinks[];
}

/** Every entity the plan needs to know about, by type and qualifiedName, for the read before the write. */
export const refsToRead = (
  changes: readonly EventChanges[],
  catalog: readonly CatalogChanges[] = [],
  extraDatasets: readonly MappedDataset[] = [],
): EntityRef[] => {
  const refs = new Map<string, EntityRef>();
  const add = (ref: EntityRef): void => {
    refs.set(refKey(ref), { typeName: ref.typeName, qualifiedName: ref.qualifiedName });
  };
  for (const dataset of extraDatasets) dataset.entities.forEach(add);
  for (const change of changes) {
    add({ typeName: JOB_TYPE, qualifiedName: change.job.qualifiedName });
    if (change.run) add({ typeName: RUN_TYPE, qualifiedName: change.run.qualifiedName });
    for (const dataset of change.datasets) dataset.entities.forEach(add);
    if (change.catalog) catalogRefsToRead(change.catalog).forEach(add);
  }
  for (const change of catalog) catalogRefsToRead(change).forEach(add);
  return [...refs.values()];
};

/**
 * Job changes and catalog changes (catalog events, and the Flink tables a job's lineage names) are planned
 * together, so that one read and one bulk write serve both; the catalog part may add deletes after the write.
 */
export const planBulkWrite = (
  changes: readonly EventChanges[],
  stored: StoredEntities,
  catalogChanges: readonly CatalogChanges[] = [],
  /** Datasets named without a job (dataset.metadata events). */
  extraDatasets: readonly MappedDataset[] = [],
): BulkWritePlan => {
  const catalogInputs = [...catalogChanges, ...changes.flatMap((c) => (c.catalog ? [c.catalog] : []))];
  const catalog = catalogInputs.length > 0 ? planCatalogWrite(joinCatalogChanges(catalogInputs), stored) : undefined;
  // A Flink table that will not exist after this write (dropped later than the job's lineage) is not linked to.
  const linkable = (ref: EntityRef): boolean => !(catalog?.absent.has(refKey(ref)) ?? false);
  const parts: EntityWrites[] = [
    planJobWrites(changes, stored, linkable),
    ...(catalog ? [catalog] : []),
    planDatasetWrites([...changes.flatMap((c) => c.datasets), ...extraDatasets, ...(catalog?.datasets ?? [])], stored),
  ];
  const outgoing = parts.flatMap((p) => p.outgoing);
  const untouched = parts.flatMap((p) => p.untouched);
  return { ...resolveGuids(outgoing, untouched, stored), deletes: catalog?.deletes ?? [], heldDefinitionLinks: catalog?.heldDefinitionLinks ?? [] };
};

/** Gives each outgoing entity a placeholder guid and turns references into guid object ids. */
const resolveGuids = (outgoing: DesiredEntity[], untouched: EntityRef[], stored: StoredEntities): Pick<BulkWritePlan, 'request' | 'entities'> => {
  const entities = new Map<string, PlannedEntity>();
  outgoing.forEach((e, i) => {
    entities.set(refKey(e), { ref: { typeName: e.typeName, qualifiedName: e.qualifiedName }, guid: `-${i + 1}`, sent: true });
  });
  for (const ref of untouched) {
    const guid = activeEntity(stored, ref)?.guid;
    if (guid !== undefined) entities.set(refKey(ref), { ref, guid, sent: false });
  }
  const objectId = (ref: EntityRef): AtlasObjectId => {
    const known = entities.get(refKey(ref)) ?? (() => {
      const guid = activeEntity(stored, ref)?.guid;
      return guid === undefined ? undefined : { guid };
    })();
    return known
      ? { guid: known.guid, typeName: ref.typeName }
      : { typeName: ref.typeName, uniqueAttributes: { qualifiedName: ref.qualifiedName } };
  };
  const requestEntities: AtlasEntity[] = outgoing.map((e) => {
    const relationshipAttributes: AtlasAttributes = {};
    for (const [name, target] of Object.entries(e.references)) {
      relationshipAttributes[name] = Array.isArray(target) ? target.map(objectId) : objectId(target);
    }
    const planned = entities.get(refKey(e));
    return {
      typeName: e.typeName,
      guid: planned?.guid ?? '-0',
      attributes: e.attributes,
      ...(Object.keys(relationshipAttributes).length > 0 ? { relationshipAttributes } : {}),
    };
  });
  return { request: { entities: requestEntities }, entities };
};
