// A small catalog where everything can collide, for the catalog convergence properties (over MemoryAtlas in
// test/unit/ingest/catalogConvergence.test.ts, over the Atlas emulator in test/contract/asStored.test.ts).
import fc from 'fast-check';
import type { NativeEvent } from '../../lib/contract/index.js';
import { CT0, databaseEvent, id, kafkaTable, tableEvent, viewOf } from './catalogEvents.js';
import { statusEvent } from './events.js';

// Two databases, three tables, a view over them, and jobs whose lineage names a table (an OpenLineage TABLE
// symlink). Every event has its own time: the registers order by it.
export type Step =
  | { kind: 'table'; name: 't1' | 't2' | 't3'; action: 'CREATE' | 'ALTER' | 'DROP'; variant: 0 | 1 }
  | { kind: 'view'; action: 'CREATE' | 'ALTER' | 'DROP'; reads: 't1' | 't2' }
  | { kind: 'database'; name: 'd1' | 'd2'; action: 'CREATE' | 'DROP' }
  | { kind: 'job'; reads: 't1' | 't3' };

const databaseOf = { t1: 'd1', t2: 'd1', t3: 'd2' } as const;

export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('table' as const),
    name: fc.constantFrom('t1' as const, 't2' as const, 't3' as const),
    action: fc.constantFrom('CREATE' as const, 'ALTER' as const, 'DROP' as const),
    variant: fc.constantFrom(0 as const, 1 as const),
  }),
  fc.record({
    kind: fc.constant('view' as const),
    action: fc.constantFrom('CREATE' as const, 'ALTER' as const, 'DROP' as const),
    reads: fc.constantFrom('t1' as const, 't2' as const),
  }),
  fc.record({ kind: fc.constant('database' as const), name: fc.constantFrom('d1' as const, 'd2' as const), action: fc.constantFrom('CREATE' as const, 'DROP' as const) }),
  fc.record({ kind: fc.constant('job' as const), reads: fc.constantFrom('t1' as const, 't3' as const) }),
);

export const toEvent = (step: Step, index: number): NativeEvent => {
  const at = CT0 + index * 1000;
  switch (step.kind) {
    case 'table': {
      const table = id(step.name, databaseOf[step.name]);
      const definition = step.variant === 0
        ? kafkaTable(`${step.name}-a`)
        : kafkaTable(`${step.name}-b`, { comment: 'second version', partitionKeys: ['order_id'] });
      return tableEvent(step.action, table, at, step.action === 'DROP' ? undefined : definition);
    }
    case 'view':
      return tableEvent(step.action, id('v1', 'd1'), at,
        step.action === 'DROP' ? undefined : viewOf(`SELECT \`order_id\` FROM \`default_catalog\`.\`d1\`.\`${step.reads}\``));
    case 'database':
      return databaseEvent(step.action, step.name, at);
    case 'job':
      return statusEvent('INITIALIZING', at, {
        job: { id: index.toString(16).padStart(32, '0') },
        lineage: {
          sources: [{
            namespace: 'kafka://kafka-1:9092',
            name: `${step.reads}-a`,
            symlinks: [{ namespace: 'kafka://kafka-1:9092', name: `default_catalog.${databaseOf[step.reads]}.${step.reads}`, type: 'TABLE' }],
          }],
          sinks: [],
        },
      });
  }
};

/** A run of steps as events, and a delivery of them: shuffled, each once or twice, in batches of 1 to 4. */
export const catalogDeliveryArb = (maxSteps: number) =>
  fc.array(stepArb, { minLength: 1, maxLength: maxSteps }).chain((steps) => {
    const events = steps.map(toEvent);
    return fc.record({
      events: fc.constant(events),
      delivered: fc.shuffledSubarray([...events, ...events], { minLength: events.length * 2, maxLength: events.length * 2 })
        .chain((all) => fc.subarray(all, { minLength: all.length - events.length, maxLength: all.length }))
        // Every event is delivered at least once: the subarray drops at most one copy of each.
        .map((delivered) => [...delivered, ...events.filter((e) => !delivered.includes(e))]),
      batches: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 }),
    });
  });

/** Splits events into batches of the given sizes, cycling through them. */
export const inBatches = <T>(events: readonly T[], batches: readonly number[]): T[][] => {
  const out: T[][] = [];
  let at = 0;
  let b = 0;
  while (at < events.length) {
    const size = Math.max(1, batches[b++ % Math.max(1, batches.length)] ?? 1);
    out.push(events.slice(at, at + size));
    at += size;
  }
  return out;
};
