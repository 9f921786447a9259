// Builds the one bulk request that writes a set of events: the stored state read from Atlas joined with
// the events' changes, only what changed, new entities linked by negative guids in the same request
// (Atlas rejects uniqueAttributes references to entities that do not exist yet, 404 ATLAS-404-00-00A).
import type { AtlasAttributes, AtlasEntitiesWithExtInfo, AtlasEntity, AtlasObjectId } from '../atlas/model.js';
import { catalogRefsToRead, joinCatalogChanges, type CatalogChanges } from './catalog/model.js';
import { planCatalogWrite } from './catalog/plan.js';
import type { DatasetSchema, MappedDataset } from './dataset/naming.js';
import { refKey, type DesiredEntity, type EntityRef } from './shared/entityRef.js';
import { hiveColumnsWrite, laterSchema } from './dataset/hiveColumns.js';
import {
  decodeState, JOB_REGISTERS, JOB_TYPE, RUN_MAXIMUMS, RUN_MINIMUMS, RUN_REGISTERS, RUN_TYPE,
  type EventChanges, type JobChange, type RegisterSpec, type RunChange,
} from './job/model.js';
import { emptyState, joinStates, sameRegister, type EntityState } from './shared/registers.js';

/** Entities already in Atlas, as read before the write, looked up by type and qualifiedName. */
export type StoredEntities = (ref: EntityRef) => AtlasEntity | undefined;

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

const joinAll = <T extends { qualifiedName: string; state: EntityState }>(items: readonly T[]): Map<string, T> => {
  const merged = new Map<string, T>();
  for (const item of items) {
    const seen = merged.get(item.qualifiedName);
    merged.set(item.qualifiedName, seen ? { ...seen, state: joinStates(seen.state, item.state) } : item);
  }
  return merged;
};

interface EntityWrite {
  attributes: AtlasAttributes;
  references: Record<string, EntityRef | EntityRef[]>;
  changed: boolean;
}

/** The attributes to send: registers and bounds whose value differs from what Atlas holds. */
const diffState = (
  stored: EntityState,
  merged: EntityState,
  specs: Readonly<Record<string, RegisterSpec>>,
): EntityWrite => {
  const write: EntityWrite = { attributes: {}, references: {}, changed: false };
  for (const [name, register] of Object.entries(merged.registers)) {
    if (sameRegister(stored.registers[name], register)) continue;
    const spec = specs[name];
    if (spec === undefined) continue;
    write.changed = true;
    write.attributes[spec.timeAttribute] = register.at;
    for (const attribute of spec.attributes) {
      const value = register.value[attribute];
      if (spec.references?.includes(attribute) === true) write.references[attribute] = (value as EntityRef[] | undefined) ?? [];
      else write.attributes[attribute] = value ?? null;
    }
  }
  for (const [bounds, storedBounds] of [
    [merged.minimums, stored.minimums],
    [merged.maximums, stored.maximums],
  ] as const) {
    for (const [name, value] of Object.entries(bounds)) {
      if (storedBounds[name] === value) continue;
      write.attributes[name] = value;
      write.changed = true;
    }
  }
  return write;
};

const storedOfType = (stored: StoredEntities, ref: EntityRef): AtlasEntity | undefined => {
  const entity = stored(ref);
  return entity?.status === 'DELETED' ? undefined : entity;
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
  const outgoing: DesiredEntity[] = [];
  const untouched: EntityRef[] = [];
  const catalogInputs = [...catalogChanges, ...changes.flatMap((c) => (c.catalog ? [c.catalog] : []))];
  const catalog = catalogInputs.length > 0 ? planCatalogWrite(joinCatalogChanges(catalogInputs), stored) : undefined;
  // A Flink table that will not exist after this write (dropped later than the job's lineage) is not linked to.
  const available = (ref: EntityRef): boolean => !(catalog?.absent.has(refKey(ref)) ?? false);

  const planEntity = (
    typeName: string,
    change: JobChange | RunChange,
    specs: Readonly<Record<string, RegisterSpec>>,
    extraReferences: Record<string, EntityRef>,
    bounds: [readonly string[], readonly string[]],
  ): void => {
    const ref = { typeName, qualifiedName: change.qualifiedName };
    const existing = storedOfType(stored, ref);
    const storedState = existing ? decodeState(existing, specs, ...bounds) : emptyState();
    const write = diffState(storedState, joinStates(storedState, change.state), specs);
    if (existing && !write.changed) {
      untouched.push(ref);
      return;
    }
    const references = Object.fromEntries(
      Object.entries(write.references).map(([name, target]) => [name, Array.isArray(target) ? target.filter(available) : target]),
    );
    outgoing.push({
      typeName,
      qualifiedName: change.qualifiedName,
      attributes: { ...change.identity, ...write.attributes },
      references: { ...references, ...extraReferences },
    });
  };

  for (const job of joinAll(changes.map((c) => c.job)).values()) {
    planEntity(JOB_TYPE, job, JOB_REGISTERS, {}, [[], []]);
  }
  const runs = changes.flatMap((c) => (c.run ? [c.run] : []));
  for (const run of joinAll(runs).values()) {
    planEntity(RUN_TYPE, run, RUN_REGISTERS, { job: { typeName: JOB_TYPE, qualifiedName: run.jobQualifiedName } }, [
      RUN_MINIMUMS,
      RUN_MAXIMUMS,
    ]);
  }
  if (catalog) {
    outgoing.push(...catalog.outgoing);
    untouched.push(...catalog.untouched);
  }
  const datasetEntities = new Map<string, DesiredEntity>();
  // The latest schema reported for each Hive table, which becomes its columns when the bridge owns the table.
  const hiveSchemas = new Map<string, DatasetSchema>();
  for (const dataset of [...changes.flatMap((c) => c.datasets), ...extraDatasets, ...(catalog?.datasets ?? [])]) {
    for (const e of dataset.entities) datasetEntities.set(refKey(e), e);
    if (dataset.kind === 'hive' && dataset.schema !== undefined) {
      const key = refKey(dataset.ref);
      const seen = hiveSchemas.get(key);
      hiveSchemas.set(key, seen === undefined ? dataset.schema : laterSchema(seen, dataset.schema));
    }
  }
  for (const dataset of datasetEntities.values()) {
    const schema = hiveSchemas.get(refKey(dataset));
    const withColumns = schema === undefined ? undefined : hiveColumnsWrite(dataset, schema, storedOfType(stored, dataset));
    if (withColumns !== undefined) outgoing.push(...withColumns);
    // A dataset Atlas already holds is only referenced, never rewritten: its owner hook keeps its attributes.
    else if (storedOfType(stored, dataset)) untouched.push(dataset);
    else outgoing.push(dataset);
  }
  return { ...resolveGuids(outgoing, untouched, stored), deletes: catalog?.deletes ?? [] };
};

/** Gives each outgoing entity a placeholder guid and turns references into guid object ids. */
const resolveGuids = (outgoing: DesiredEntity[], untouched: EntityRef[], stored: StoredEntities): Omit<BulkWritePlan, 'deletes'> => {
  const entities = new Map<string, PlannedEntity>();
  outgoing.forEach((e, i) => {
    entities.set(refKey(e), { ref: { typeName: e.typeName, qualifiedName: e.qualifiedName }, guid: `-${i + 1}`, sent: true });
  });
  for (const ref of untouched) {
    const guid = storedOfType(stored, ref)?.guid;
    if (guid !== undefined) entities.set(refKey(ref), { ref, guid, sent: false });
  }
  const objectId = (ref: EntityRef): AtlasObjectId => {
    const known = entities.get(refKey(ref)) ?? (() => {
      const guid = storedOfType(stored, ref)?.guid;
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
