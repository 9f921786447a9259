// Fleet mode's coalescer, pure: what the worker does to a drained batch between Atlas's read and the write plan.
// 1. The events of one run are merged into one change (registers join: lib/mapping/registers.ts), so the plan
//    sees one job and one run per group, whatever the interleaving or duplication of the events.
// 2. A checkpoint-only update (openlineage-flink's RUNNING heartbeat: same status, same lineage, same schemas,
//    only the checkpoint counters and the event times move) is written at most once per interval per run:
//    within the interval its change is emptied, so the plan finds nothing to send for it.
// Anything else (a status, an error, a result, a deployment, new lineage, a dataset Atlas lacks) is written at once.
import type { AtlasEntity } from '../atlas/index.js';
import {
  canonicalJson, compareRegisters, decodeState, emptyState, JOB_REGISTERS, JOB_TYPE, joinCatalogChanges,
  joinStates, planBulkWrite, refKey, RUN_MAXIMUMS, RUN_MINIMUMS, RUN_REGISTERS, RUN_TYPE, withoutStoredDefaults,
  type EntityState, type EventChanges, type MappedDataset, type Register, type StoredEntities,
} from '../mapping/index.js';

/** The run (or job, for a deployment without a JobID) a change belongs to: as writeEvents groups them. */
export const changeGroup = (change: EventChanges): string => change.run?.qualifiedName ?? change.job.qualifiedName;

const datasetKey = (d: MappedDataset): string => `${refKey(d.ref)}|${d.schema === undefined ? '' : `${d.schema.at}|${canonicalJson(d.schema.fields)}`}`;

/** Two changes of the same group as one: registers joined, datasets and catalog facts kept (exact repeats once). */
export const mergeTwoChanges = (a: EventChanges, b: EventChanges): EventChanges => {
  const datasets = new Map<string, MappedDataset>();
  for (const d of [...a.datasets, ...b.datasets]) if (!datasets.has(datasetKey(d))) datasets.set(datasetKey(d), d);
  const run = a.run !== undefined && b.run !== undefined ? { ...a.run, state: joinStates(a.run.state, b.run.state) } : (a.run ?? b.run);
  const catalogs = [a.catalog, b.catalog].flatMap((c) => (c === undefined ? [] : [c]));
  return {
    job: { ...a.job, state: joinStates(a.job.state, b.job.state) },
    ...(run === undefined ? {} : { run }),
    datasets: [...datasets.values()],
    ...(catalogs.length === 0 ? {} : { catalog: catalogs.length === 1 ? catalogs[0]! : joinCatalogChanges(catalogs) }),
  };
};

/** One change per run (first-seen order): what the plan would make of all of them, computed once. */
export const mergeRunChanges = (changes: readonly EventChanges[]): EventChanges[] => {
  const byGroup = new Map<string, EventChanges>();
  for (const change of changes) {
    const key = changeGroup(change);
    const held = byGroup.get(key);
    byGroup.set(key, held === undefined ? change : mergeTwoChanges(held, change));
  }
  return [...byGroup.values()];
};

const sameValue = (a: Record<string, unknown>, b: Record<string, unknown>): boolean =>
  canonicalJson(withoutStoredDefaults(a)) === canonicalJson(withoutStoredDefaults(b));

/** A struct as the read gives it (`{typeName, attributes}`) or as the bridge sends it: its attributes. */
const structAttributes = (value: unknown): unknown[] =>
  Array.isArray(value)
    ? value.map((item) => {
        const record = item as { attributes?: unknown };
        return typeof record === 'object' && record !== null && typeof record.attributes === 'object' ? record.attributes : item;
      })
    : [];

/**
 * The job's lineage as Atlas holds it equals the register's: the same inputs and outputs and the same dataset
 * fields. The read leaves relationships out, and Atlas's legacy inputs/outputs attributes also list relations
 * removed since, so a lineage re-adding a removed dataset would look unchanged there: the inputs and outputs are
 * compared by the digest the bridge stored with them (lineageDigest; a job written before it had one is written).
 */
const sameLineage = (register: Register, stored: AtlasEntity): boolean => {
  const value = register.value as { lineageDigest?: string; datasetFields?: unknown[] };
  if (value.lineageDigest === undefined || value.lineageDigest !== stored.attributes.lineageDigest) return false;
  return canonicalJson(structAttributes(value.datasetFields ?? []).map((f) => withoutStoredDefaults(f as Record<string, unknown>)))
    === canonicalJson(structAttributes(stored.attributes.datasetFields).map((f) => withoutStoredDefaults(f as Record<string, unknown>)));
};

/**
 * Whether a new register changes nothing but its time: the stored one wins anyway, or holds the same value
 * (for the status register, the same status: a heartbeat carries no previousStatus).
 */
const onlyTimeMoves = (name: string, next: Register, held: Register | undefined, storedEntity: AtlasEntity): boolean => {
  if (held === undefined) return false;
  if (compareRegisters(held, next) >= 0) return true;
  if (next.rank !== held.rank) return false;
  if (name === 'status') return next.value.status === held.value.status;
  if (name === 'lineage') return sameLineage(next, storedEntity);
  return sameValue(next.value, held.value);
};

const storedAs = (stored: StoredEntities, typeName: string, qualifiedName: string): AtlasEntity | undefined => {
  const entity = stored({ typeName, qualifiedName });
  return entity === undefined || entity.status === 'DELETED' || entity.typeName !== typeName ? undefined : entity;
};

const withoutRegisters = (change: EventChanges): EventChanges => ({
  ...change,
  job: { ...change.job, state: emptyState() },
  ...(change.run === undefined ? {} : { run: { ...change.run, state: emptyState() } }),
});

/**
 * Whether a merged change is checkpoint-only against what Atlas holds: the run and job exist, every register but
 * `checkpoints` only moves in time, startTime and endTime stay, and its datasets and catalog facts need no write.
 * Returns the run's stored state then, undefined otherwise.
 */
export const checkpointOnlyBase = (change: EventChanges, stored: StoredEntities): EntityState | undefined => {
  const { run } = change;
  if (run === undefined || run.state.registers.checkpoints === undefined) return undefined;
  const storedRun = storedAs(stored, RUN_TYPE, run.qualifiedName);
  const storedJob = storedAs(stored, JOB_TYPE, change.job.qualifiedName);
  if (storedRun === undefined || storedJob === undefined) return undefined;
  const runState = decodeState(storedRun, RUN_REGISTERS, RUN_MINIMUMS, RUN_MAXIMUMS);
  const jobState = decodeState(storedJob, JOB_REGISTERS);
  for (const [name, next] of Object.entries(run.state.registers)) {
    if (name !== 'checkpoints' && !onlyTimeMoves(name, next, runState.registers[name], storedRun)) return undefined;
  }
  for (const [name, next] of Object.entries(change.job.state.registers)) {
    if (!onlyTimeMoves(name, next, jobState.registers[name], storedJob)) return undefined;
  }
  for (const [name, value] of Object.entries(run.state.minimums)) {
    const held = runState.minimums[name];
    if (held === undefined || value < held) return undefined;
  }
  for (const [name, value] of Object.entries(run.state.maximums)) {
    const held = runState.maximums[name];
    if (held === undefined || value > held) return undefined;
  }
  // Datasets Atlas lacks, a Hive schema to turn into columns, a Flink table seen: the plan says whether any is due.
  if (change.datasets.length > 0 || change.catalog !== undefined) {
    const rest = planBulkWrite([withoutRegisters(change)], stored);
    if (rest.request.entities.length > 0 || rest.deletes.length > 0) return undefined;
  }
  return runState;
};

/**
 * A checkpoint-only change whose counters are less than `intervalMs` (event time) newer than the counters Atlas
 * holds is emptied: Atlas keeps its counters, never more than the interval behind, until an update is due; a due
 * one writes the run only. Any other change is returned as it is.
 */
export const holdCheckpointOnly = (change: EventChanges, stored: StoredEntities, intervalMs: number): EventChanges => {
  const base = checkpointOnlyBase(change, stored);
  const held = base?.registers.checkpoints;
  const next = change.run?.state.registers.checkpoints;
  if (base === undefined || next === undefined) return change;
  if (held !== undefined && next.at - held.at < intervalMs) return withoutRegisters(change);
  // Due: the run's registers are written, the job is not resent. Its registers only move in time, and resending
  // its lineage would cost a read back of the job (relinkLineage.ts) for nothing.
  return { ...change, job: { ...change.job, state: emptyState() } };
};

/** writeEvents' `prepare` in fleet mode: the chunk's changes merged per run, checkpoint-only ones held. */
export const coalesceChunk = (intervalMs: number) => (changes: EventChanges[], stored: StoredEntities): EventChanges[] =>
  mergeRunChanges(changes).map((change) => (intervalMs > 0 ? holdCheckpointOnly(change, stored, intervalMs) : change));
