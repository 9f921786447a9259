import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson, compareRegisters, emptyState, joinMaximums, joinStates, laterRegister, laterTime, timedRegister,
  type EntityState, type Register,
} from '../../../../lib/mapping/shared/registers.js';
import { withoutStoredDefaults } from '../../../../lib/mapping/shared/storedValues.js';

// The implementations before canonicalJson was written as one loop (and before compareRegisters skipped it for one
// and the same value): the new ones must give the same answer for every input. Values compare as Atlas stores
// them (withoutStoredDefaults, tested in storedValues.test.ts).
const referenceCanonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(referenceCanonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceCanonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

const referenceCompareRegisters = (a: Register, b: Register): number => {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.at !== b.at) return a.at - b.at;
  if (a.order !== b.order) return a.order - b.order;
  if (a.opaque === true || b.opaque === true) return 0;
  const x = referenceCanonicalJson(withoutStoredDefaults(a.value));
  const y = referenceCanonicalJson(withoutStoredDefaults(b.value));
  return x < y ? -1 : x > y ? 1 : 0;
};

/** What a call gives: its result, or the kind of error it throws (a BigInt, which JSON cannot write). */
const outcome = (f: (value: unknown) => string, value: unknown): { result: string } | { threw: string } => {
  try {
    return { result: f(value) };
  } catch (error) {
    return { threw: error instanceof Error ? error.constructor.name : String(error) };
  }
};

// Keys and strings JSON.stringify writes as they are and ones it escapes: quotes, backslashes, control
// characters, lone and paired surrogates, U+2028, keys that differ only in case or that look like indexes.
const textArb = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('', 'a', 'B', 'b', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udc00x', '😀', 'é', '10', '2', '__proto__', 'constructor'),
);

const scalarArb = fc.oneof(
  fc.constantFrom(null, undefined, true, false, 0, -0, NaN, Infinity, -Infinity, 1e21, 5e-7),
  fc.integer(),
  fc.double(),
  textArb,
);

// JSON-like values as the bridge holds them, plus null and undefined everywhere: as properties (dropped) and as
// array elements (written as null), in objects nested in arrays nested in objects.
const { value: jsonLikeArb } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArb,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(textArb, tie('value'), { maxKeys: 6 }),
    fc.record({ id: tie('value'), name: tie('value'), absent: fc.constant(undefined), none: fc.constant(null) }, { requiredKeys: [] }),
  ),
}));

describe('Function: canonicalJson', () => {
  it.each<[string, unknown, string]>([
    ['sorts keys by code unit and drops null and undefined properties', { b: 1, a: null, c: undefined, A: 2, é: 3, z: [] }, '{"A":2,"b":1,"z":[],"é":3}'],
    ['keeps null, undefined and unwritable array elements as null', [null, undefined, () => 1, NaN, Symbol('s'), { x: null }], '[null,null,null,null,null,{}]'],
    ['leaves the holes of a sparse array empty', [, 1, , 2], '[,1,,2]'], // eslint-disable-line no-sparse-arrays
    ['writes a function property as null', { f: () => 1 }, '{"f":null}'],
    ['escapes keys and strings as JSON.stringify does', { 'q"\\\n': 'line\u2028\ud800\u0001' }, '{"q\\"\\\\\\n":"line\u2028\\ud800\\u0001"}'],
    ['writes objects it cannot see into as JSON does not (a Date is an object without own keys)', { d: new Date(0), m: new Map([[1, 2]]) }, '{"d":{},"m":{}}'],
    ['writes a top-level undefined as null', undefined, 'null'],
  ])('%s', (_label, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
    expect(referenceCanonicalJson(value)).toBe(expected);
  });

  it('Property: writes what the reference implementation writes, for any JSON-like value', () => {
    fc.assert(
      fc.property(jsonLikeArb, (value) => {
        expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('Property: the same for anything (boxed values, null prototypes, sparse arrays, typed arrays, maps, dates, BigInts)', () => {
    fc.assert(
      fc.property(
        fc.anything({
          maxDepth: 4,
          withBigInt: true,
          withBoxedValues: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withNullPrototype: true,
          withObjectString: true,
          withSparseArray: true,
          withTypedArray: true,
          withUnicodeString: true,
        }),
        (value) => {
          expect(outcome(canonicalJson, value)).toEqual(outcome(referenceCanonicalJson, value));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('Function: compareRegisters', () => {
  const registerArb = (value: fc.Arbitrary<unknown>): fc.Arbitrary<Register> =>
    fc.record(
      {
        at: fc.integer({ min: 0, max: 2 }),
        rank: fc.integer({ min: 0, max: 1 }),
        order: fc.integer({ min: 0, max: 1 }),
        value: value as fc.Arbitrary<Register['value']>,
        opaque: fc.boolean(),
      },
      { requiredKeys: ['at', 'rank', 'order', 'value'] },
    );
  const attributesArb = fc.dictionary(fc.constantFrom('status', 'result', 'lineage'), jsonLikeArb, { maxKeys: 3 });

  it('Property: orders any two registers as the reference does, whether they share their value or not', () => {
    fc.assert(
      fc.property(
        registerArb(attributesArb),
        registerArb(attributesArb),
        fc.constantFrom('other', 'same register', 'same value', 'equal copy'),
        (a, other, relation) => {
          const b =
            relation === 'same register' ? a
            : relation === 'same value' ? { ...other, value: a.value }
            : relation === 'equal copy' ? { ...a, value: structuredClone(a.value) }
            : other;
          expect(compareRegisters(a, b)).toBe(referenceCompareRegisters(a, b));
          expect(compareRegisters(b, a)).toBe(referenceCompareRegisters(b, a));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

// The join every domain uses: a job's and a run's registers and bounds, a catalog definition (timedRegister) and
// the catalog's seen/dropped times and drop-time maps.
describe('the join of registers and bounds', () => {
  const smallAttributesArb = fc.dictionary(fc.constantFrom('status', 'comment'), fc.constantFrom('A', 'B', 0, false, null), { maxKeys: 2 });
  const registerArb: fc.Arbitrary<Register> = fc.record({
    at: fc.integer({ min: 0, max: 2 }),
    rank: fc.integer({ min: 0, max: 1 }),
    order: fc.integer({ min: 0, max: 1 }),
    value: smallAttributesArb as fc.Arbitrary<Register['value']>,
  });
  const boundsArb = fc.dictionary(fc.constantFrom('startTime', 'endTime', 'orders'), fc.integer({ min: 1, max: 5 }), { maxKeys: 3 });
  const stateArb: fc.Arbitrary<EntityState> = fc.record({
    registers: fc.dictionary(fc.constantFrom('status', 'result'), registerArb, { maxKeys: 2 }),
    minimums: boundsArb,
    maximums: boundsArb,
  });
  // Registers that compare equal are the same as Atlas stores them: compare states by their keys and stored values.
  const asStored = (state: EntityState): unknown => ({
    registers: Object.fromEntries(Object.entries(state.registers).map(([k, r]) => [k, [r.at, r.rank, r.order, canonicalJson(withoutStoredDefaults(r.value))]])),
    minimums: state.minimums,
    maximums: state.maximums,
  });

  it('Property: joinStates is commutative, associative and idempotent', () => {
    fc.assert(
      fc.property(stateArb, stateArb, stateArb, (a, b, c) => {
        expect(asStored(joinStates(a, b))).toEqual(asStored(joinStates(b, a)));
        expect(asStored(joinStates(joinStates(a, b), c))).toEqual(asStored(joinStates(a, joinStates(b, c))));
        expect(asStored(joinStates(a, a))).toEqual(asStored(a));
        expect(asStored(joinStates(a, emptyState()))).toEqual(asStored(a));
      }),
      { numRuns: 1_000 },
    );
  });

  it('laterRegister keeps the later event, then the greater value: a catalog definition joins as a job register does', () => {
    const older = timedRegister(1000, { attributes: { comment: 'old' }, columns: [] });
    const newer = timedRegister(2000, { attributes: { comment: 'new' }, columns: [] });
    expect(laterRegister(older, newer)).toBe(newer);
    expect(laterRegister(newer, older)).toBe(newer);
    expect(laterRegister(undefined, older)).toBe(older);
    expect(laterRegister(older, undefined)).toBe(older);
    const a = timedRegister(1000, { comment: 'a' });
    const b = timedRegister(1000, { comment: 'b' });
    expect(laterRegister(a, b)).toBe(b);
    expect(laterRegister(b, a)).toBe(b);
    expect(timedRegister(5, { x: 1 })).toEqual({ at: 5, rank: 0, order: 0, value: { x: 1 } });
  });

  it('laterTime and joinMaximums keep the later time, key by key', () => {
    expect(laterTime(undefined, undefined)).toBeUndefined();
    expect(laterTime(3, undefined)).toBe(3);
    expect(laterTime(undefined, 3)).toBe(3);
    expect(laterTime(2, 7)).toBe(7);
    expect(joinMaximums({ orders: 5, items: 1 }, { orders: 3, users: 4 })).toEqual({ orders: 5, items: 1, users: 4 });
    expect(joinStates({ ...emptyState(), minimums: { startTime: 5 } }, { ...emptyState(), minimums: { startTime: 3 } }).minimums).toEqual({ startTime: 3 });
  });
});
