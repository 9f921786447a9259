// OpenLineage test data. The fixtures in test/fixtures/openlineage are the openlineage-flink integration's own
// expected events: MockServer partial matchers with json-unit placeholders, some without producer, schemaURL or
// eventTime, facets without _producer/_schemaURL. fillFixture turns one into the event the integration sends.
import { readFileSync } from 'node:fs';

export const FIXTURES = [
  'expected_failed',
  'expected_iceberg',
  'expected_jdbc',
  'expected_kafka',
  'expected_kafka_checkpoints',
  'expected_kafka_topic_pattern_checkpoint',
  'expected_sql_kafka',
] as const;
export type FixtureName = (typeof FIXTURES)[number];

export const RUN_ID = '01936f0e-6a4b-7c21-9d3e-5f8a2b4c6d10';
export const FLINK_JOB_ID = '8c4f1a2b3d5e6f708192a3b4c5d6e7f8';
export const EVENT_TIME = '2026-11-25T09:00:00.123456Z';
export const CHECKPOINTS = { completed: 5, failed: 1, 'in-progress': 1, restored: 0, total: 7 };

export const OL_VERSION = '1.30.0';
export const FLINK_PRODUCER = `https://github.com/OpenLineage/OpenLineage/tree/${OL_VERSION}/integration/flink`;
export const RUN_EVENT_SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';

export interface FillValues {
  runId: string;
  jobId: string;
  eventTime: string;
  checkpoints: Record<string, number>;
}

const DEFAULTS: FillValues = { runId: RUN_ID, jobId: FLINK_JOB_ID, eventTime: EVENT_TIME, checkpoints: CHECKPOINTS };

/** Versions a `${json-unit.regex}` placeholder may stand for: a Flink 1.x and a Flink 2.x release. */
const VERSION_CANDIDATES = ['1.19.1', '2.0.0'];

const FACET_SCHEMA_URLS: Record<string, string> = {
  processing_engine: 'https://openlineage.io/spec/facets/1-1-1/ProcessingEngineRunFacet.json#/$defs/ProcessingEngineRunFacet',
  errorMessage: 'https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet',
  jobType: 'https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet',
  schema: 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet',
  symlinks: 'https://openlineage.io/spec/facets/1-0-1/SymlinksDatasetFacet.json#/$defs/SymlinksDatasetFacet',
};

export const readFixture = (name: FixtureName): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/openlineage/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

const fillValue = (key: string, value: unknown, values: FillValues): unknown => {
  if (typeof value !== 'string' || !value.startsWith('${json-unit.')) return fill(value, values);
  if (value === '${json-unit.any-string}') {
    const byKey: Record<string, string> = { runId: values.runId, jobId: values.jobId, eventTime: values.eventTime, openlineageAdapterVersion: OL_VERSION };
    const filled = byKey[key];
    if (filled === undefined) throw new Error(`no value for the any-string placeholder at ${key}`);
    return filled;
  }
  if (value === '${json-unit.any-number}') {
    const filled = values.checkpoints[key];
    if (filled === undefined) throw new Error(`no value for the any-number placeholder at ${key}`);
    return filled;
  }
  if (value.startsWith('${json-unit.regex}')) {
    const pattern = new RegExp(`^(?:${value.slice('${json-unit.regex}'.length)})$`);
    const filled = VERSION_CANDIDATES.find((candidate) => pattern.test(candidate));
    if (filled === undefined) throw new Error(`no candidate matches ${value} at ${key}`);
    return filled;
  }
  throw new Error(`unknown placeholder ${value} at ${key}`);
};

const fill = (value: unknown, values: FillValues): unknown => {
  if (Array.isArray(value)) return value.map((item) => fill(item, values));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, fillValue(key, v, values)]));
  }
  return value;
};

/** Every facet carries _producer and _schemaURL, as the Java client writes them. */
const stampFacets = (facets: unknown): void => {
  if (typeof facets !== 'object' || facets === null) return;
  for (const [name, facet] of Object.entries(facets as Record<string, Record<string, unknown>>)) {
    facet._producer ??= FLINK_PRODUCER;
    facet._schemaURL ??= FACET_SCHEMA_URLS[name] ?? `https://openlineage.io/spec/facets/1-0-0/${name}.json`;
  }
};

/** The fixture as the integration sends it: placeholders filled, producer/schemaURL/eventTime present, facets stamped. */
export const fillFixture = (name: FixtureName, values: Partial<FillValues> = {}): Record<string, any> => {
  const event = fill(readFixture(name), { ...DEFAULTS, ...values }) as Record<string, any>;
  event.eventTime ??= values.eventTime ?? DEFAULTS.eventTime;
  event.producer ??= FLINK_PRODUCER;
  event.schemaURL ??= RUN_EVENT_SCHEMA_URL;
  stampFacets(event.run?.facets);
  stampFacets(event.job?.facets);
  for (const dataset of [...(event.inputs ?? []), ...(event.outputs ?? [])]) stampFacets(dataset.facets);
  return event;
};

export interface RunEventOptions {
  eventType?: string;
  eventTime: string;
  runId?: string;
  /** null leaves the flink_job facet out. */
  jobId?: string | null;
  namespace?: string;
  name?: string;
  inputs?: unknown[];
  outputs?: unknown[];
  runFacets?: Record<string, unknown>;
  jobFacets?: Record<string, unknown>;
}

/** A RunEvent in the shape the 2.x integration sends; each test sets what it is about. */
export const runEvent = (options: RunEventOptions): Record<string, any> => {
  const { jobId = FLINK_JOB_ID } = options;
  const event: Record<string, any> = {
    eventTime: options.eventTime,
    producer: FLINK_PRODUCER,
    schemaURL: RUN_EVENT_SCHEMA_URL,
    ...(options.eventType === undefined ? {} : { eventType: options.eventType }),
    run: {
      runId: options.runId ?? RUN_ID,
      facets: {
        processing_engine: { name: 'flink', version: '2.0.0', openlineageAdapterVersion: OL_VERSION },
        ...(jobId === null ? {} : { flink_job: { jobId } }),
        ...options.runFacets,
      },
    },
    job: { namespace: options.namespace ?? 'flink-prod', name: options.name ?? 'orders-enrichment', ...(options.jobFacets ? { facets: options.jobFacets } : {}) },
    ...(options.inputs === undefined ? {} : { inputs: options.inputs }),
    ...(options.outputs === undefined ? {} : { outputs: options.outputs }),
  };
  stampFacets(event.run.facets);
  stampFacets(event.job.facets);
  return event;
};
