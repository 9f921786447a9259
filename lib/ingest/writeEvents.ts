// Writes validated events to Atlas: one read and one bulk write per chunk of runs, read-join-write so that
// retried and out-of-order events converge (see lib/mapping/registers.ts).
import { AtlasError, type AtlasEntity, type AtlasFailureKind, type EntityMutationResponse } from '../atlas/index.js';
import type { FlinkEvent } from '../contract/index.js';
import {
  eventToChanges, planBulkWrite, qualifiedNamesToRead, refKey,
  type EntityRef, type EventChanges, type NamingContext, type StoredEntities,
} from '../mapping/index.js';

/** The part of AtlasClient the write path uses; tests and the bench can put anything with this shape. */
export interface AtlasWriter {
  getEntitiesByQualifiedNames(qualifiedNames: readonly string[]): Promise<AtlasEntity[]>;
  bulkWrite(request: { entities: AtlasEntity[] }): Promise<EntityMutationResponse>;
}

export interface IndexedEvent {
  index: number;
  event: FlinkEvent;
}

export interface WrittenEntity {
  typeName: string;
  qualifiedName: string;
  guid: string;
}

export interface WriteFailure {
  kind: AtlasFailureKind;
  message: string;
  status?: number;
  atlasCode?: string;
  retryAfterMs?: number;
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

interface PlannedEvent extends IndexedEvent {
  changes: EventChanges;
}

/** Events of one run (or one job, for deployments without a JobID): they must land in the same write. */
export const groupKey = (changes: EventChanges): string => changes.run?.qualifiedName ?? changes.job.qualifiedName;

/** Packs whole runs into chunks whose single read stays within the URL budget. */
const chunkGroups = (groups: PlannedEvent[][]): PlannedEvent[][][] => {
  const chunks: PlannedEvent[][][] = [];
  let current: PlannedEvent[][] = [];
  let names = new Set<string>();
  let urlChars = 0;
  for (const group of groups) {
    const groupNames = qualifiedNamesToRead(group.map((e) => e.changes)).filter((n) => !names.has(n));
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

const refsOf = (changes: EventChanges): EntityRef[] => [
  { typeName: 'flink_job', qualifiedName: changes.job.qualifiedName },
  ...(changes.run ? [{ typeName: 'flink_job_run', qualifiedName: changes.run.qualifiedName }] : []),
  ...changes.datasets.map((d) => d.ref),
];

const toFailure = (error: unknown): WriteFailure => {
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

const writeChunk = async (chunk: PlannedEvent[], atlas: AtlasWriter): Promise<WriteOutcome[]> => {
  const changes = chunk.map((e) => e.changes);
  const stored = storedLookup(await atlas.getEntitiesByQualifiedNames(qualifiedNamesToRead(changes)));
  const plan = planBulkWrite(changes, stored);
  const response = plan.request.entities.length > 0 ? await atlas.bulkWrite(plan.request) : {};
  const assigned = response.guidAssignments ?? {};
  return chunk.map(({ index, event, changes: eventChanges }) => {
    const planned = refsOf(eventChanges).flatMap((ref) => {
      const entity = plan.entities.get(refKey(ref));
      return entity === undefined ? [] : [{ ref, entity }];
    });
    return {
      index,
      eventId: event.eventId,
      group: groupKey(eventChanges),
      outcome: 'written' as const,
      changedAtlas: planned.some(({ entity }) => entity.sent),
      entities: planned.flatMap(({ ref, entity }) => {
        const guid = entity.sent ? assigned[entity.guid] : entity.guid;
        return guid === undefined ? [] : [{ ...ref, guid }];
      }),
    };
  });
};

/** Writes a chunk; when Atlas rejects it permanently, splits it by run so one bad run fails alone. */
const writeIsolating = async (groups: PlannedEvent[][], atlas: AtlasWriter): Promise<WriteOutcome[]> => {
  try {
    return await writeChunk(groups.flat(), atlas);
  } catch (error) {
    const failure = toFailure(error);
    if (failure.kind === 'permanent' && groups.length > 1) {
      const middle = Math.ceil(groups.length / 2);
      return [
        ...(await writeIsolating(groups.slice(0, middle), atlas)),
        ...(await writeIsolating(groups.slice(middle), atlas)),
      ];
    }
    return groups.flat().map(({ index, event, changes }) => ({
      index,
      eventId: event.eventId,
      group: groupKey(changes),
      outcome: 'failed' as const,
      error: failure,
    }));
  }
};

export const writeEvents = async (
  events: readonly IndexedEvent[],
  atlas: AtlasWriter,
  naming: NamingContext,
): Promise<WriteOutcome[]> => {
  const byGroup = new Map<string, PlannedEvent[]>();
  for (const item of events) {
    const planned = { ...item, changes: eventToChanges(item.event, naming) };
    const key = groupKey(planned.changes);
    byGroup.set(key, [...(byGroup.get(key) ?? []), planned]);
  }
  const outcomes: WriteOutcome[] = [];
  for (const chunk of chunkGroups([...byGroup.values()])) {
    outcomes.push(...(await writeIsolating(chunk, atlas)));
  }
  return outcomes.sort((a, b) => a.index - b.index);
};
