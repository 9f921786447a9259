// The job's and its runs' registers against what Atlas holds: the stored state decoded from the one read, joined
// with the events' changes, and only the registers and bounds that changed sent. Pure; see shared/registers.ts.
import type { AtlasAttributes, AtlasEntity } from '../../atlas/model.js';
import { activeEntity, activeRelatedRefs, type EntityRef, type EntityWrites, type StoredEntities } from '../shared/entityRef.js';
import { emptyState, joinStates, sameRegister, type EntityState } from '../shared/registers.js';
import { storedTime } from '../shared/storedValues.js';
import {
  JOB_REGISTERS, JOB_TYPE, RUN_MAXIMUMS, RUN_MINIMUMS, RUN_REGISTERS, RUN_TYPE, register,
  type EventChanges, type JobChange, type RegisterSpec, type RunChange,
} from './model.js';

/** Rebuilds the register state of a stored flink_job or flink_job_run from its attributes. */
export const decodeState = (
  entity: AtlasEntity,
  specs: Readonly<Record<string, RegisterSpec>>,
  minimums: readonly string[] = [],
  maximums: readonly string[] = [],
): EntityState => {
  const state = emptyState();
  for (const [name, spec] of Object.entries(specs)) {
    // Epoch 0 is what Atlas stores for a time nobody set: no event ever set this register.
    const at = storedTime(entity.attributes[spec.timeAttribute]);
    if (at === undefined) continue;
    const value: Record<string, unknown> = {};
    let opaque = false;
    for (const attribute of spec.attributes) {
      const holdsReferences = spec.references?.includes(attribute) === true;
      // References count only from relationshipAttributes, which mark removed ones: the legacy copy under
      // attributes (inputs, outputs) still lists every relationship ever removed (EntityGraphRetriever reads it
      // with ignoreInactive=false). The bulk read leaves relationships out, so the register is then opaque.
      const raw = holdsReferences ? entity.relationshipAttributes?.[attribute] : entity.attributes[attribute];
      if (holdsReferences && raw === undefined) opaque = true;
      const stored = holdsReferences ? (raw === undefined ? undefined : activeRelatedRefs(entity, attribute)) : raw;
      if (stored !== undefined && stored !== null) value[attribute] = stored;
    }
    state.registers[name] = { ...register(spec, at, value), ...(opaque ? { opaque } : {}) };
  }
  // startTime and endTime are dates: a run created before any event gave them holds epoch 0, which is no bound.
  for (const name of minimums) {
    const value = storedTime(entity.attributes[name]);
    if (value !== undefined) state.minimums[name] = value;
  }
  for (const name of maximums) {
    const value = storedTime(entity.attributes[name]);
    if (value !== undefined) state.maximums[name] = value;
  }
  return state;
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

/**
 * The flink_job and flink_job_run entities these changes send (each joined over the events first), and the stored
 * ones they leave as they are. `linkable` says whether a lineage target may be referred to: a Flink table the same
 * write drops may not.
 */
export const planJobWrites = (
  changes: readonly EventChanges[],
  stored: StoredEntities,
  linkable: (ref: EntityRef) => boolean,
): EntityWrites => {
  const writes: EntityWrites = { outgoing: [], untouched: [] };
  const planEntity = (
    typeName: string,
    change: JobChange | RunChange,
    specs: Readonly<Record<string, RegisterSpec>>,
    extraReferences: Record<string, EntityRef>,
    bounds: [readonly string[], readonly string[]],
  ): void => {
    const ref = { typeName, qualifiedName: change.qualifiedName };
    const existing = activeEntity(stored, ref);
    const storedState = existing ? decodeState(existing, specs, ...bounds) : emptyState();
    const write = diffState(storedState, joinStates(storedState, change.state), specs);
    if (existing && !write.changed) {
      writes.untouched.push(ref);
      return;
    }
    const references = Object.fromEntries(
      Object.entries(write.references).map(([name, target]) => [name, Array.isArray(target) ? target.filter(linkable) : target]),
    );
    writes.outgoing.push({
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
  return writes;
};
