// Last-writer-wins registers: how out-of-order and repeated events converge, for jobs, runs and catalog objects.
//
// Every mutable attribute group of an entity (a run's status, its result, a job's lineage, a table's definition...)
// is a register holding the value of one event plus that event's ordering key. Two registers join by keeping
// the one with the greater key: (rank, event time, order, value). Join is commutative, associative and
// idempotent, so folding events in any order, any number of times, gives one and the same state. Each
// register's event time is stored on the entity in an attribute of its own (`lastEventTime`, `resultTime`,
// `definitionTime`...), so the state read back from Atlas joins too, and writes of different registers never
// overwrite each other. Times that only grow or shrink (a run's start and end, the latest time a table was seen
// or dropped) are bounds, joined by min or max.
import type { AtlasAttributes } from '../../atlas/model.js';
import { withoutStoredDefaults } from './storedValues.js';

/** `V` is what the register holds: Atlas attributes for jobs and runs, a whole definition for catalog objects. */
export interface Register<V extends object = AtlasAttributes> {
  /** Event time (epoch ms) of the event that set the value. */
  at: number;
  /** Compared before time: a globally terminal status outranks any later non-terminal one. */
  rank: number;
  /** Compared after time, to break ties deterministically (e.g. the lifecycle order of statuses). */
  order: number;
  /** For jobs and runs, Atlas attribute name → value: a missing key means "unset" and is written as null. */
  value: V;
  /**
   * The value was not read back (the read skips relationships to stay small): equal keys then count as the
   * same register. Two events with the very same time, rank and order but different lineage are the only
   * case this leaves to whichever was written first.
   */
  opaque?: boolean;
}

/** Everything the bridge knows about one entity: registers plus attributes that only grow or shrink. */
export interface EntityState {
  registers: Record<string, Register>;
  /** Attribute → smallest value seen (e.g. startTime). */
  minimums: Record<string, number>;
  /** Attribute → greatest value seen (e.g. endTime). */
  maximums: Record<string, number>;
}

export const emptyState = (): EntityState => ({ registers: {}, minimums: {}, maximums: {} });

// Strings JSON.stringify writes as they are, between quotes: no quote, backslash, control character or surrogate
// (JSON.stringify escapes lone surrogates; pairs are left to it too, the test stays simple).
const PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

const jsonString = (text: string): string => (PLAIN_STRING.test(text) ? `"${text}"` : JSON.stringify(text));

/**
 * JSON with sorted keys and without null/undefined properties, so equal values compare equal. Keys are sorted by
 * UTF-16 code unit (Array.prototype.sort's default order for strings); in arrays, null, undefined and what JSON
 * cannot write (functions, NaN...) are `null`, and holes are left empty, as `[...].map(canonicalJson).join(',')`
 * wrote them. Built in one pass: it runs on every tie of two registers and on every OpenLineage event (its id).
 */
export const canonicalJson = (value: unknown): string => {
  if (typeof value === 'string') return jsonString(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item: unknown = value[i];
      if (item !== undefined || i in value) out += canonicalJson(item);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined || item === null) continue;
    out += `${first ? '' : ','}${jsonString(key)}:${canonicalJson(item)}`;
    first = false;
  }
  return `${out}}`;
};

/** A register of an event whose value needs no rank or order to break ties (e.g. a catalog definition). */
export const timedRegister = <V extends object>(at: number, value: V): Register<V> => ({ at, rank: 0, order: 0, value });

export const compareRegisters = <V extends object>(a: Register<V>, b: Register<V>): number => {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.at !== b.at) return a.at - b.at;
  if (a.order !== b.order) return a.order - b.order;
  if (a.opaque === true || b.opaque === true) return 0;
  // One and the same value (e.g. diffState comparing a register with itself after a join) has one canonical JSON.
  if (a.value === b.value) return 0;
  if (canonicalJson(a.value) === canonicalJson(b.value)) return 0;
  // Compared as Atlas stores them: a 0 or false it reads back equals an attribute the event left unset.
  const x = canonicalJson(withoutStoredDefaults(a.value as Readonly<Record<string, unknown>>));
  const y = canonicalJson(withoutStoredDefaults(b.value as Readonly<Record<string, unknown>>));
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The join of two registers: the greater one (either, when they are equal). */
export const laterRegister = <V extends object>(a: Register<V> | undefined, b: Register<V> | undefined): Register<V> | undefined => {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareRegisters(a, b) >= 0 ? a : b;
};

/** The join of two bounds: the later time (either may be unknown). */
export const laterTime = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

const joinBounds = (
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
  choose: (x: number, y: number) => number,
): Record<string, number> => {
  const out: Record<string, number> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const current = out[key];
    out[key] = current === undefined ? value : choose(current, value);
  }
  return out;
};

/** Bounds that only grow, key by key (e.g. the drop times of a database's tables): the later time of each. */
export const joinMaximums = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> =>
  joinBounds(a, b, Math.max);

export const joinStates = (a: EntityState, b: EntityState): EntityState => {
  const registers: Record<string, Register> = {};
  for (const name of new Set([...Object.keys(a.registers), ...Object.keys(b.registers)])) {
    const winner = laterRegister(a.registers[name], b.registers[name]);
    if (winner !== undefined) registers[name] = winner;
  }
  return {
    registers,
    minimums: joinBounds(a.minimums, b.minimums, Math.min),
    maximums: joinMaximums(a.maximums, b.maximums),
  };
};

export const sameRegister = (a: Register | undefined, b: Register | undefined): boolean =>
  a !== undefined && b !== undefined && compareRegisters(a, b) === 0;
