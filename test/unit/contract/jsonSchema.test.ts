import { readFileSync, readdirSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { NativeEventSchema } from '../../../lib/contract/index.js';
import { flinkEventJsonSchema } from '../../../lib/contract/jsonSchema.js';

const examplesDir = new URL('../../../schema/examples/', import.meta.url);
const examples = readdirSync(examplesDir).map((file) => ({
  file,
  body: JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8')) as Record<string, unknown>,
}));

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validateWithPublishedSchema = ajv.compile(flinkEventJsonSchema());

describe('Published contract: schema/flink-event.schema.json', () => {
  it('has one example per event type', () => {
    expect(examples.map((e) => e.body.type).sort()).toEqual([
      'catalog.database', 'catalog.table', 'dataset.metadata', 'job.deployment', 'job.lineage', 'job.result', 'job.status',
    ]);
  });

  it.each(examples)('accepts $file with both zod and the published JSON Schema', ({ body }) => {
    expect(NativeEventSchema.safeParse(body).success).toBe(true);
    expect(validateWithPublishedSchema(body), JSON.stringify(validateWithPublishedSchema.errors)).toBe(true);
  });

  it('accepts an array of events and rejects an empty array', () => {
    expect(validateWithPublishedSchema(examples.map((e) => e.body))).toBe(true);
    expect(validateWithPublishedSchema([])).toBe(false);
  });

  it.each([
    ['an upper-case JobID', (e: Record<string, any>) => { e.job.id = e.job.id.toUpperCase(); }],
    ['an unknown status', (e: Record<string, any>) => { e.job.status = 'DONE'; }],
    ['CANCELLED spelled with two Ls', (e: Record<string, any>) => { e.job.status = 'CANCELLED'; }],
    ['a cluster holding a slash', (e: Record<string, any>) => { e.cluster = 'a/b'; }],
    ['an eventTime without offset', (e: Record<string, any>) => { e.eventTime = '2026-11-25T09:15:02'; }],
  ])('rejects a job.status event with %s in both zod and JSON Schema', (_label, breakIt) => {
    const event = structuredClone(examples.find((e) => e.body.type === 'job.status')!.body);
    breakIt(event);
    expect(NativeEventSchema.safeParse(event).success).toBe(false);
    expect(validateWithPublishedSchema(event)).toBe(false);
  });

  it.each([
    ['a CREATE without its table', (e: Record<string, any>) => { delete e.table; }],
    ['an unknown action', (e: Record<string, any>) => { e.action = 'RENAME'; }],
    ['an unknown column kind', (e: Record<string, any>) => { e.table.schema.columns[0].kind = 'VIRTUAL'; }],
    ['an identifier without its database', (e: Record<string, any>) => { delete e.identifier.databaseName; }],
  ])('rejects a catalog.table event with %s', (_label, breakIt) => {
    const event = structuredClone(examples.find((e) => e.body.type === 'catalog.table')!.body);
    breakIt(event);
    expect(NativeEventSchema.safeParse(event).success).toBe(false);
  });

  it('redacts secret connector options as it reads a catalog.table event', () => {
    const event = examples.find((e) => e.body.type === 'catalog.table')!.body;
    const parsed = NativeEventSchema.parse(event);
    if (parsed.type !== 'catalog.table') throw new Error('expected a catalog.table event');
    expect(parsed.table?.options).toMatchObject({ 'properties.sasl.jaas.config': '******', topic: 'orders' });
  });

  it('is committed as generated (npm run schema)', () => {
    const committed = readFileSync(new URL('../../../schema/flink-event.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(`${JSON.stringify(flinkEventJsonSchema(), null, 2)}\n`);
  });
});
