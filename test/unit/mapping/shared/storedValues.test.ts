// What Atlas reads back for an attribute nobody set (EntityGraphMapper.mapAttribute →
// AtlasBuiltInTypes.createOptionalDefaultValue; EntityGraphRetriever for arrays) reads as unset in the bridge.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareRegisters, type Register } from '../../../../lib/mapping/shared/registers.js';
import { storedTime, withoutStoredDefaults } from '../../../../lib/mapping/shared/storedValues.js';

const register = (value: Register['value']): Register => ({ at: 1, rank: 0, order: 0, value });

describe('Function: storedTime', () => {
  it.each<[unknown, number | undefined]>([[0, undefined], [null, undefined], [undefined, undefined], ['1', undefined], [NaN, undefined], [1_795_597_500_000, 1_795_597_500_000], [-1, -1]])(
    '%s reads as %s',
    (value, expected) => {
      expect(storedTime(value)).toBe(expected);
    },
  );
});

describe('Function: withoutStoredDefaults', () => {
  it('leaves out 0, false, null, [] and {}, inside structs too, and keeps the elements of arrays', () => {
    expect(
      withoutStoredDefaults({
        recordsIn: 0, temporary: false, comment: null, accumulators: {}, datasetFields: [], status: 'RUNNING', netRuntimeMs: 5,
        operators: [{ typeName: 'flink_operator', attributes: { id: 'a', parallelism: 0 } }], primaryKey: ['id'], sizes: [0, 1],
      }),
    ).toEqual({ status: 'RUNNING', netRuntimeMs: 5, operators: [{ typeName: 'flink_operator', attributes: { id: 'a' } }], primaryKey: ['id'], sizes: [0, 1] });
  });

  it('Property: a register equals itself with its defaults spelled out or left out, whichever side holds them', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('status', 'netRuntimeMs', 'recordsIn'), fc.oneof(fc.constantFrom('RUNNING', 'FAILED'), fc.integer({ min: 1, max: 9 })), { maxKeys: 3 }),
        fc.dictionary(fc.constantFrom('recordsOut', 'checkpointsFailed', 'temporary', 'accumulators', 'datasetFields'), fc.constantFrom(0, false, null, {}, []), { maxKeys: 5 }),
        (set, defaults) => {
          const sent = register(set);
          const stored = register({ ...defaults, ...set });
          expect(compareRegisters(sent, stored)).toBe(0);
          expect(compareRegisters(stored, sent)).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
