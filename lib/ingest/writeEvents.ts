// Writes validated events to Atlas: one read and one bulk write per chunk of runs, read-join-write so that
// retried and out-of-order events converge (see lib/mapping/shared/registers.ts).
import {
  AtlasError, type AtlasEntity, type AtlasPort, type WriteFailure,
} from '../atlas/index.js';
import { isCatalogEvent, isDatasetMetadataEvent, type NativeEvent } from '../contract/index.js';
import {
  DATABASE_TYPE, activeRelatedRefs, catalogEventToChanges, catalogRefsToRead, catalogSubject, databasesDroppedUnderneath,
  eventToChanges, joinCatalogChanges, mapDatasets, planBulkWrite, refKey, refsToRead, tablesOfDatabase,
  type CatalogChanges, type EntityRef, type EventChanges, type MappedDataset, type NamingContext, type StoredEntities,
  type ViewQueryReader,
} from '../mapping/index.js';
import { definitionLinksToVerify, lineageToVerify, planRelinks, relinkLineage } from './relinkLineage.js';
import { viewQueryReaderFor } from './viewQueries.js';

export type { WriteFailure };


export interface IndexedEvent {
  index: number;
  event: NativeEvent;
  /**
   * An earlier attempt may have been applied with its re-link lost (see relinkLineage.ts): check, even when nothing
   * needs writing, that the lineage its job holds from it (or the links of its table's definition, for a catalog
   * event) is linked ACTIVE. Costs a read per such job, table or view query.
   */
  verifyLineage?: boolean;
}

/** How a batch is written beyond the default: the fleet worker's hook (lib/ingest/fleetWrite.ts). */
export interface WriteOptions {
  /** Rewrites a chunk's job and run changes once Atlas's copy of them is read, before the write is planned. */
  prepare?: (changes: EventChanges[], stored: StoredEntities) => EventChanges[];
}

export interface WrittenEntity {
  typeName: string;
  qualifiedName: string;
  guid: string;
}

interface OutcomeBase {
  index: number;
  eventId: string;
  /** The run (or job) the event belongs to: events of one group are queued together. */
  group: string;
}

export type WriteOutcome =
  | (OutcomeBase & {
      outcome: 'written';
      entities: WrittenEntity[];
      /** False when Atlas already held everything the event says (a duplicate or a stale event). */
      changedAtlas: boolean;
    })
  | (OutcomeBase & { outcome: 'failed'; error: WriteFailure });

// Keeps each read's URL well under the 8 KB request line Jetty (in front of Atlas) accepts by default.
const MAX_NAMES_PER_READ = 40;
const MAX_READ_URL_CHARS = 6000;

/** A failure once a write re-adding lineage links was under way: Atlas may hold the write without the links. */
class LinksUnsettledError extends Error {
  constructor(readonly failure: unknown) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}

/** A job event's changes, a catalog event's facts (`catalog`), or the dataset a dataset.metadata event names. */
interface PlannedEvent extends IndexedEvent {
  changes?: EventChanges;
  catalog?: CatalogChanges;
  datasets?: MappedDataset[];
  /** The run, job, table or database the event belongs to. */
  group: string;
  /** The entities to report for the event. */
  refs: EntityRef[];
}

/** Events of one run (or one job, for deployments without a JobID): they must land in the same write. */
export const groupKey = (changes: EventChanges): string => changes.run?.qualifiedName ?? changes.job.qualifiedName;

const refsOf = (events: readonly PlannedEvent[]): EntityRef[] =>
  refsToRead(
    events.flatMap((e) => (e.changes ? [e.changes] : [])),
    events.flatMap((e) => (e.catalog ? [e.catalog] : [])),
    events.flatMap((e) => e.datasets ?? []),
  );

const namesOf = (events: readonly PlannedEvent[]): string[] => [...new Set(refsOf(events).map((r) => r.qualifiedName))];

/** Reads every type and its subtypes: one bulk read covers the entities of all types a chunk names. */
const ANY_TYPE = 'Referenceable';

/**
 * What Atlas holds of these entities: one bulk read of all their names as Referenceable, then, only for an entity it
 * did not return while it returned its name under another type, a read by the entity's own type. qualifiedName is
 * unique per type (GraphBackedSearchIndexer, PER_TYPE_UNIQUE): hive_db and hbase_namespace `default@primary`
 * coexist, and the Referenceable read answers one entity per name (AtlasGraphUtilsV2.findByUniqueAttributes).
 */
const readStored = async (refs: readonly EntityRef[], atlas: AtlasPort): Promise<AtlasEntity[]> => {
  const found = await atlas.getEntitiesByQualifiedNames([...new Set(refs.map((r) => r.qualifiedName))], ANY_TYPE);
  const held = new Set<string>();
  const answered = new Set<string>();
  for (const entity of found) {
    const qualifiedName = entity.attributes.qualifiedName;
    if (typeof qualifiedName !== 'string') continue;
    held.add(refKey({ typeName: entity.typeName, qualifiedName }));
    answered.add(qualifiedName);
  }
  const shadowed = new Map<string, Set<string>>();
  for (const ref of refs) {
    if (held.has(refKey(ref)) || !answered.has(ref.qualifiedName)) continue;
    shadowed.set(ref.typeName, (shadowed.get(ref.typeName) ?? new Set()).add(ref.qualifiedName));
  }
  const byType: AtlasEntity[] = [];
  for (const [typeName, names] of shadowed) byType.push(...(await atlas.getEntitiesByQualifiedNames([...names], typeName)));
  return [...found, ...byType];
};

/** Packs whole runs into chunks whose single read stays within the URL budget. */
const chunkGroups = (groups: PlannedEvent[][]): PlannedEvent[][][] => {
  const chunks: PlannedEvent[][][] = [];
  let current: PlannedEvent[][] = [];
  let names = new Set<string>();
  let urlChars = 0;
  for (const group of groups) {
    const groupNames = namesOf(group).filter((n) => !names.has(n));
    const groupChars = groupNames.reduce((sum, n) => sum + encodeURIComponent(n).length + 30, 0);
    if (current.length > 0 && (names.size + groupNames.length > MAX_NAMES_PER_READ || urlChars + groupChars > MAX_READ_URL_CHARS)) {
      chunks.push(current);
      current = [];
      names = new Set();
      urlChars = 0;
    }
    current.push(group);
    groupNames.forEach((n) => names.add(n));
    urlChars += groupChars;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};

const storedLookup = (entities: readonly AtlasEntity[]): StoredEntities => {
  const byKey = new Map<string, AtlasEntity>();
  for (const entity of entities) {
    const qualifiedName = entity.attributes.qualifiedName;
    if (typeof qualifiedName === 'string') byKey.set(refKey({ typeName: entity.typeName, qualifiedName }), entity);
  }
  return (ref) => byKey.get(refKey(ref));
};

const eventRefs = (changes: EventChanges): EntityRef[] => [
  { typeName: 'flink_job', qualifiedName: changes.job.qualifiedName },
  ...(changes.run ? [{ typeName: 'flink_job_run', qualifiedName: changes.run.qualifiedName }] : []),
  ...changes.datasets.map((d) => d.ref),
];

const planEvent = (item: IndexedEvent, naming: NamingContext, readViewQuery: ViewQueryReader | undefined): PlannedEvent => {
  const { event } = item;
  if (isCatalogEvent(event)) {
    const subject = catalogSubject(event, naming);
    return { ...item, catalog: catalogEventToChanges(event, naming, readViewQuery), group: subject.qualifiedName, refs: [subject] };
  }
  if (isDatasetMetadataEvent(event)) {
    const datasets = mapDatasets([event.dataset], Date.parse(event.eventTime), naming);
    const refs = datasets.map((d) => d.ref);
    return { ...item, datasets, group: refs.map(refKey).join(','), refs };
  }
  const changes = eventToChanges(event, naming);
  return { ...item, changes, group: groupKey(changes), refs: eventRefs(changes) };
};

const toFailure = (error: unknown): WriteFailure => {
  if (error instanceof LinksUnsettledError) return { ...toFailure(error.failure), verifyLineage: true };
  if (error instanceof AtlasError) {
    return {
      kind: error.kind,
      message: error.message,
      ...(error.details.status === undefined ? {} : { status: error.details.status }),
      ...(error.details.atlasCode === undefined ? {} : { atlasCode: error.details.atlasCode }),
      ...(error.details.retryAfterMs === undefined ? {} : { retryAfterMs: error.details.retryAfterMs }),
    };
  }
  // Anything else is a bug or an unexpected runtime fault: treat as retryable so the event is kept.
  return { kind: 'retryable', message: error instanceof Error ? error.message : String(error) };
};

/**
 * The one exception to one read: a database DROP older than the database's latest sighting (its re-CREATE came
 * first) cannot simply delete the database, so the tables Atlas holds in it are listed and read, and those not
 * seen since the drop are deleted one by one. Other events never pay for it.
 */
const tablesUnderDroppedDatabases = async (
  catalog: CatalogChanges[],
  stored: StoredEntities,
  atlas: AtlasPort,
): Promise<{ catalog: CatalogChanges[]; read: AtlasEntity[] }> => {
  if (catalog.length === 0) return { catalog, read: [] };
  const joined = joinCatalogChanges(catalog);
  const extra: CatalogChanges[] = [];
  for (const qualifiedName of databasesDroppedUnderneath(joined, stored)) {
    const database = await atlas.getEntityByQualifiedName(DATABASE_TYPE, qualifiedName);
    const names = database ? activeRelatedRefs(database.entity, 'tables', { skipDeletedEntities: true }).map((t) => t.qualifiedName) : [];
    if (names.length > 0) extra.push(tablesOfDatabase(qualifiedName, names, joined));
  }
  if (extra.length === 0) return { catalog, read: [] };
  const read = await readStored(extra.flatMap(catalogRefsToRead), atlas);
  return { catalog: [...catalog, ...extra], read };
};

const writeChunk = async (chunk: PlannedEvent[], atlas: AtlasPort, options: WriteOptions): Promise<WriteOutcome[]> => {
  const first = await readStored(refsOf(chunk), atlas);
  // Catalog facts come from catalog events and from the Flink tables a job's lineage names.
  const catalogFacts = chunk.flatMap((e) => [e.catalog, e.changes?.catalog].flatMap((c) => (c ? [c] : [])));
  const underneath = await tablesUnderDroppedDatabases(catalogFacts, storedLookup(first), atlas);
  const stored = storedLookup([...first, ...underneath.read]);
  const jobChanges = chunk.flatMap((e) => (e.changes ? [{ ...e.changes, catalog: undefined }] : []));
  const plan = planBulkWrite(
    options.prepare === undefined ? jobChanges : options.prepare(jobChanges, stored),
    stored,
    underneath.catalog,
    chunk.flatMap((e) => e.datasets ?? []),
  );
  const toVerify = [
    ...lineageToVerify(chunk.flatMap((e) => (e.verifyLineage && e.changes ? [e.changes.job] : [])), stored, plan.request.entities),
    ...definitionLinksToVerify(plan.heldDefinitionLinks, chunk.flatMap((e) => (e.verifyLineage && e.catalog ? e.refs : [])), stored, plan.request.entities),
  ];
  const relinks = planRelinks([...plan.request.entities, ...toVerify], stored);
  let assigned: Record<string, string> = {};
  const deleted = new Set<string>();
  try {
    const response = plan.request.entities.length > 0 ? await atlas.bulkWrite(plan.request) : {};
    assigned = response.guidAssignments ?? {};
    await relinkLineage(relinks, atlas);
    // A DROP: after the write that recorded its time (so a retry finds it), soft-delete what it ended.
    for (const ref of plan.deletes) {
      await atlas.deleteByQualifiedName(ref.typeName, ref.qualifiedName);
      deleted.add(refKey(ref));
    }
  } catch (error) {
    throw relinks.length > 0 ? new LinksUnsettledError(error) : error;
  }
  const wroteAnything = plan.request.entities.length > 0 || deleted.size > 0;
  return chunk.map(({ index, event, refs, group, catalog }) => {
    const planned = refs.flatMap((ref) => {
      const entity = plan.entities.get(refKey(ref));
      return entity === undefined ? [] : [{ ref, entity }];
    });
    return {
      index,
      eventId: event.eventId,
      group,
      outcome: 'written' as const,
      // A catalog event can change its database or catalog (a drop time) without touching its own entity.
      changedAtlas: catalog !== undefined ? wroteAnything : planned.some(({ entity }) => entity.sent),
      entities: planned.flatMap(({ ref, entity }) => {
        const guid = entity.sent ? assigned[entity.guid] : entity.guid;
        return guid === undefined ? [] : [{ ...ref, guid }];
      }),
    };
  });
};

/** Writes a chunk; when Atlas rejects it permanently, splits it by run so one bad run fails alone. */
const writeIsolating = async (groups: PlannedEvent[][], atlas: AtlasPort, options: WriteOptions): Promise<WriteOutcome[]> => {
  try {
    return await writeChunk(groups.flat(), atlas, options);
  } catch (error) {
    const failure = toFailure(error);
    if (failure.kind === 'permanent' && groups.length > 1) {
      const middle = Math.ceil(groups.length / 2);
      return [
        ...(await writeIsolating(groups.slice(0, middle), atlas, options)),
        ...(await writeIsolating(groups.slice(middle), atlas, options)),
      ];
    }
    return groups.flat().map(({ index, event, group }) => ({
      index,
      eventId: event.eventId,
      group,
      outcome: 'failed' as const,
      error: failure,
    }));
  }
};

export const writeEvents = async (
  events: readonly IndexedEvent[],
  atlas: AtlasPort,
  naming: NamingContext,
  options: WriteOptions = {},
): Promise<WriteOutcome[]> => {
  // The SQL parser of view queries is loaded only when the batch holds a view (see viewQueries.ts).
  const readViewQuery = await viewQueryReaderFor(events.map((e) => e.event));
  const byGroup = new Map<string, PlannedEvent[]>();
  for (const item of events) {
    const planned = planEvent(item, naming, readViewQuery);
    byGroup.set(planned.group, [...(byGroup.get(planned.group) ?? []), planned]);
  }
  const outcomes: WriteOutcome[] = [];
  for (const chunk of chunkGroups([...byGroup.values()])) {
    outcomes.push(...(await writeIsolating(chunk, atlas, options)));
  }
  return outcomes.sort((a, b) => a.index - b.index);
};
