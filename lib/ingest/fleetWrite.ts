// Fleet mode's write of a drained batch: the batch's runs spread over lanes that write concurrently (each lane
// one read and one bulk write per chunk of runs, its chunks coalesced by fleetCoalesce.ts), every Atlas call
// through one bound on concurrent requests. Atlas is one JVM that sheds no load: the bound is what protects it.
import type { AtlasPort } from '../atlas/index.js';
import type { NativeEvent } from '../contract/index.js';
import type { NamingContext } from '../mapping/index.js';
import { coalesceChunk } from './fleetCoalesce.js';
import { writeEvents, type IndexedEvent, type WriteOutcome } from './writeEvents.js';

export interface FleetOptions {
  /** A run's checkpoint-only updates are written at most once per this many milliseconds of event time. */
  checkpointIntervalMs: number;
  /** At most this many Atlas requests in flight at once, from this batch (ATLAS_MAX_CONCURRENCY). */
  maxConcurrency: number;
}

/** Counts of a bounded port: how many requests waited for a slot, and the most in flight at once. */
export interface BoundStats {
  inFlight: number;
  peakInFlight: number;
  waited: number;
}

/** A semaphore of `max` slots, first come first served. */
const slots = (max: number) => {
  let free = max;
  const waiting: (() => void)[] = [];
  return {
    acquire: async (): Promise<boolean> => {
      if (free > 0) {
        free -= 1;
        return false;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
      return true;
    },
    release: (): void => {
      const next = waiting.shift();
      if (next === undefined) free += 1;
      else next();
    },
  };
};

/** The port with at most `max` of its calls in flight: the others wait their turn. */
export const boundedAtlas = (atlas: AtlasPort, max: number): AtlasPort & { stats: BoundStats } => {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`the Atlas concurrency bound must be a positive integer, not ${max}`);
  const gate = slots(max);
  const stats: BoundStats = { inFlight: 0, peakInFlight: 0, waited: 0 };
  const bounded = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    if (await gate.acquire()) stats.waited += 1;
    stats.inFlight += 1;
    stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
    try {
      return await call(...args);
    } finally {
      stats.inFlight -= 1;
      gate.release();
    }
  };
  return {
    stats,
    getEntitiesByQualifiedNames: bounded((names, typeName) => atlas.getEntitiesByQualifiedNames(names, typeName)),
    bulkWrite: bounded((request) => atlas.bulkWrite(request)),
    deleteByQualifiedName: bounded((typeName, qualifiedName) => atlas.deleteByQualifiedName(typeName, qualifiedName)),
    getEntityByQualifiedName: bounded((typeName, qualifiedName) => atlas.getEntityByQualifiedName(typeName, qualifiedName)),
    createRelationship: bounded((relationship) => atlas.createRelationship(relationship)),
  };
};

/**
 * The lane of an event: by job (cluster and name), so that the runs of one job, which share its flink_job
 * entity, are read and written by one lane, one after the other, never by two at once.
 */
export const laneKey = (event: NativeEvent): string => {
  switch (event.type) {
    case 'catalog.table':
      return `catalog:${event.identifier.catalogName}.${event.identifier.databaseName}`;
    case 'catalog.database':
      return `catalog:${event.catalogName}.${event.databaseName}`;
    case 'dataset.metadata':
      return `dataset:${event.dataset.namespace}/${event.dataset.name}`;
    default:
      return `job:${event.cluster}/${event.job.name}`;
  }
};

/** FNV-1a: a cheap, stable spread of lane keys. */
const hash = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
};

/** Splits a batch into at most `lanes` lanes, each holding whole jobs, in batch order. */
export const splitLanes = (events: readonly IndexedEvent[], lanes: number): IndexedEvent[][] => {
  const out: IndexedEvent[][] = Array.from({ length: Math.max(1, lanes) }, () => []);
  for (const item of events) out[hash(laneKey(item.event)) % out.length]!.push(item);
  return out.filter((lane) => lane.length > 0);
};

/** About two chunks' worth of runs (a chunk reads up to 40 names): fewer events than this share one lane. */
export const EVENTS_PER_LANE = 20;

/** Writes a drained batch in fleet mode, with at most `maxConcurrency` Atlas calls in flight. */
export const writeFleetBatch = async (
  events: readonly IndexedEvent[],
  atlas: AtlasPort,
  naming: NamingContext,
  options: FleetOptions,
): Promise<WriteOutcome[]> => {
  const prepare = coalesceChunk(options.checkpointIntervalMs);
  // A lane reads and writes whole chunks: a small batch in many lanes would pay a read per run instead of one.
  const lanes = splitLanes(events, Math.min(options.maxConcurrency, Math.max(1, Math.floor(events.length / EVENTS_PER_LANE))));
  const bounded = boundedAtlas(atlas, options.maxConcurrency);
  const results = await Promise.all(lanes.map((lane) => writeEvents(lane, bounded, naming, { prepare })));
  return results.flat().sort((a, b) => a.index - b.index);
};
