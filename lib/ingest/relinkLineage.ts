// Re-links a lineage input or output that was removed from a job and is now sent again (and a Flink table's
// physical dataset, the same way).
//
// Atlas leaves such a relationship DELETED: EntityGraphMapper.mapArrayValue pairs the i-th element sent with the
// entity's i-th current edge (soft-deleted edges included), and updateRelationship keeps an edge that already
// points at the same entity as it is. Seen on Atlas 2.1.0 (docs/real-atlas.md: inputs [A,B] -> [A] -> [A,B] leaves
// B DELETED); the same code is in 2.4.0. POST /v2/relationship then makes a new ACTIVE one: Atlas only refuses a
// second ACTIVE relationship between the same ends.
import type { AtlasEntity, AtlasObjectId, AtlasPort } from '../atlas/index.js';
import {
  JOB_TYPE, refKey, type EntityRef, type HeldDefinitionLinks, type JobChange, type StoredEntities,
} from '../mapping/index.js';

/**
 * The relationship attributes re-linked and their relationship types; the entity sent is end1 of each. `inputs` and
 * `outputs` of a Process; a flink_table's `physicalDatasets` (its connector's topic, table or path).
 */
const LINEAGE_RELATIONSHIPS = {
  inputs: 'dataset_process_inputs',
  outputs: 'process_dataset_outputs',
  physicalDatasets: 'flink_table_physical_datasets',
} as const;
/**
 * Attributes without a legacy copy under `attributes`: the bulk read (relationships ignored) shows no trace of their
 * old edges, so every existing target sent (a real guid) may have been linked before.
 */
const WITHOUT_LEGACY_COPY: ReadonlySet<string> = new Set(['physicalDatasets']);

type IdItem = { guid?: unknown; typeName?: unknown; uniqueAttributes?: { qualifiedName?: unknown }; relationshipStatus?: unknown };
const idItems = (value: unknown): IdItem[] =>
  Array.isArray(value) ? value.filter((v): v is IdItem => typeof v === 'object' && v !== null) : [];
const guidsOf = (value: unknown): Set<string> =>
  new Set(idItems(value).flatMap((item) => (typeof item.guid === 'string' ? [item.guid] : [])));

/** The guid Atlas holds a target sent in the request under, if it holds it. */
type StoredGuidOf = (item: IdItem) => string | undefined;

/**
 * A target is sent by its stored guid, by the placeholder (negative) guid of an entity sent in the same request, or
 * by its unique attributes; the last two may name an entity Atlas already holds (a table whose existenceTime the
 * write updates, say), whose old edge can be the one left DELETED: each resolves to the stored guid.
 */
const storedGuidResolver = (sent: readonly AtlasEntity[], stored: StoredEntities): StoredGuidOf => {
  const sentByPlaceholder = new Map(sent.flatMap((e) => (typeof e.guid === 'string' && e.guid.startsWith('-') ? [[e.guid, e] as const] : [])));
  const storedGuid = (typeName: unknown, qualifiedName: unknown): string | undefined =>
    typeof typeName === 'string' && typeof qualifiedName === 'string' ? stored({ typeName, qualifiedName })?.guid : undefined;
  return (item) => {
    if (typeof item.guid === 'string' && !item.guid.startsWith('-')) return item.guid;
    if (typeof item.guid === 'string') {
      const entity = sentByPlaceholder.get(item.guid);
      return entity === undefined ? undefined : storedGuid(entity.typeName, entity.attributes.qualifiedName);
    }
    // The request names by unique attributes only what it holds no ACTIVE copy of (bulkRequest.ts): a soft-deleted
    // entity's old edges went with it, and an entity Atlas lacks has none.
    const byName = typeof item.typeName === 'string' && typeof item.uniqueAttributes?.qualifiedName === 'string'
      ? stored({ typeName: item.typeName, qualifiedName: item.uniqueAttributes.qualifiedName })
      : undefined;
    return byName?.status === 'DELETED' ? undefined : byName?.guid;
  };
};

/**
 * The targets sent in `entity`'s lineage attributes that it was linked to before (the stored legacy attribute lists
 * every edge it ever had, removed ones included): only those can have been left DELETED. Targets Atlas does not hold
 * yet and targets never linked get new edges from the bulk write itself.
 */
const relinkCandidates = (entity: AtlasEntity, before: AtlasEntity, storedGuidOf: StoredGuidOf): Relink['candidates'] =>
  (Object.keys(LINEAGE_RELATIONSHIPS) as Array<keyof typeof LINEAGE_RELATIONSHIPS>).flatMap((attribute) => {
    const linkedOnce = new Set([...guidsOf(before.attributes[attribute]), ...guidsOf(before.relationshipAttributes?.[attribute])]);
    const mayHaveBeenLinked = (guid: string) => linkedOnce.has(guid) || WITHOUT_LEGACY_COPY.has(attribute);
    return idItems(entity.relationshipAttributes?.[attribute] ?? entity.attributes[attribute]).flatMap((item) => {
      const guid = storedGuidOf(item);
      if (guid === undefined || !mayHaveBeenLinked(guid)) return [];
      const target: AtlasObjectId = { guid, ...(typeof item.typeName === 'string' ? { typeName: item.typeName } : {}) };
      return [{ attribute, target }];
    });
  });

/** An entity sent with targets it may have been linked to before, one of which Atlas may have left DELETED. */
export interface Relink {
  typeName: string;
  qualifiedName: string;
  candidates: Array<{ attribute: keyof typeof LINEAGE_RELATIONSHIPS; target: AtlasObjectId }>;
}

/**
 * The re-links a write of `sent` needs checked after it, planned before it: when that write fails, possibly applied
 * with its answer lost, a non-empty plan means its retry must check the links itself (`verifyLineage`).
 */
export const planRelinks = (sent: readonly AtlasEntity[], stored: StoredEntities): Relink[] => {
  const storedGuidOf = storedGuidResolver(sent, stored);
  return sent.flatMap((entity) => {
    const qualifiedName = entity.attributes.qualifiedName;
    if (typeof qualifiedName !== 'string') return [];
    const before = stored({ typeName: entity.typeName, qualifiedName });
    const candidates = before === undefined ? [] : relinkCandidates(entity, before, storedGuidOf);
    return candidates.length === 0 ? [] : [{ typeName: entity.typeName, qualifiedName, candidates }];
  });
};

/**
 * The re-link runs after a bulk write Atlas has applied: a failure here would leave the event for a retry that
 * finds nothing to write, so each call is tried a few times at once before giving up.
 */
const RELINK_ATTEMPTS = 8;
const attempted = async <T>(call: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= RELINK_ATTEMPTS) throw error;
    }
  }
};

/**
 * After a bulk write: reads each planned entity back once and creates the relationships Atlas left DELETED.
 * Returns how many it created.
 */
export const relinkLineage = async (relinks: readonly Relink[], atlas: AtlasPort): Promise<number> => {
  let created = 0;
  for (const { typeName, qualifiedName, candidates } of relinks) {
    const after = (await attempted(() => atlas.getEntityByQualifiedName(typeName, qualifiedName)))?.entity;
    if (after?.guid === undefined) continue;
    for (const { attribute, target } of candidates) {
      const active = idItems(after.relationshipAttributes?.[attribute]).some((i) => i.guid === target.guid && i.relationshipStatus !== 'DELETED');
      if (active) continue;
      const relationship = {
        typeName: LINEAGE_RELATIONSHIPS[attribute],
        end1: { guid: after.guid, typeName },
        end2: { guid: target.guid, ...(target.typeName === undefined ? {} : { typeName: target.typeName }) },
      };
      await attempted(() => atlas.createRelationship(relationship));
      created += 1;
    }
  }
  return created;
};

/** The entities `alreadySent` sends with some link attribute: those are planned as sent, not verified. */
const sentWithLinks = (alreadySent: readonly AtlasEntity[]): Set<string> =>
  new Set(
    alreadySent
      .filter((e) => Object.keys(LINEAGE_RELATIONSHIPS).some((a) => e.relationshipAttributes?.[a] !== undefined || e.attributes[a] !== undefined))
      .map((e) => refKey({ typeName: e.typeName, qualifiedName: String(e.attributes.qualifiedName) })),
  );

/** Stored targets as object ids; those Atlas does not hold have no edge to check. */
const storedIds = (refs: unknown, stored: StoredEntities): AtlasObjectId[] =>
  (Array.isArray(refs) ? (refs as EntityRef[]) : []).flatMap((ref) => {
    const guid = stored(ref)?.guid;
    return guid === undefined ? [] : [{ guid, typeName: ref.typeName }];
  });

/**
 * For events whose earlier attempt may have been applied with its re-link lost, the lineage their jobs hold, as
 * entities to check as if sent again: such a retry finds nothing for the planner to send. Only jobs whose stored
 * lineage is this event's (same lineageTime) count, and not jobs this write sends with their lineage anyway.
 */
export const lineageToVerify = (jobs: readonly JobChange[], stored: StoredEntities, alreadySent: readonly AtlasEntity[]): AtlasEntity[] => {
  const sentWithLineage = sentWithLinks(alreadySent);
  const seen = new Set<string>();
  return jobs.flatMap((job) => {
    const held = stored({ typeName: JOB_TYPE, qualifiedName: job.qualifiedName });
    const lineage = job.state.registers['lineage'];
    if (held === undefined || lineage === undefined || held.attributes['lineageTime'] !== lineage.at) return [];
    if (sentWithLineage.has(refKey({ typeName: JOB_TYPE, qualifiedName: job.qualifiedName })) || seen.has(job.qualifiedName)) return [];
    seen.add(job.qualifiedName);
    return [{
      typeName: JOB_TYPE,
      attributes: { qualifiedName: job.qualifiedName },
      relationshipAttributes: { inputs: storedIds(lineage.value['inputs'], stored), outputs: storedIds(lineage.value['outputs'], stored) },
    }];
  });
};

/**
 * The same for catalog events: the links of the definitions Atlas holds from them (a table's physical datasets, its
 * view query's tables), for the tables `tables` names, as entities to check as if sent again; not those this write
 * sends with their links.
 */
export const definitionLinksToVerify = (
  held: readonly HeldDefinitionLinks[],
  tables: readonly EntityRef[],
  stored: StoredEntities,
  alreadySent: readonly AtlasEntity[],
): AtlasEntity[] => {
  const sent = sentWithLinks(alreadySent);
  const flagged = new Set(tables.map(refKey));
  return held.flatMap(({ table, entity, links }) => {
    if (!flagged.has(refKey(table)) || sent.has(refKey(entity)) || stored(entity) === undefined) return [];
    const relationshipAttributes = Object.fromEntries(Object.entries(links).map(([attribute, refs]) => [attribute, storedIds(refs, stored)]));
    return [{ typeName: entity.typeName, attributes: { qualifiedName: entity.qualifiedName }, relationshipAttributes }];
  });
};
