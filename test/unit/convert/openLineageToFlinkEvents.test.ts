import { describe, expect, it } from 'vitest';
import { parseOpenLineageEvent, type FlinkEvent, type JobStatusEvent } from '../../../lib/contract/index.js';
import { notFromFlinkReason, openLineageToFlinkEvents } from '../../../lib/convert/index.js';
import { eventToChanges } from '../../../lib/mapping/index.js';
import { naming } from '../../helpers/events.js';
import {
  CHECKPOINTS, FIXTURES, FLINK_JOB_ID, fillFixture, runEvent, RUN_ID, type FixtureName,
} from '../../helpers/openLineage.js';

const convert = (body: unknown) => {
  const parsed = parseOpenLineageEvent(body);
  if (!parsed.ok) throw new Error(`invalid: ${JSON.stringify(parsed.problems)}`);
  return openLineageToFlinkEvents(parsed.value);
};

const convertOne = (body: unknown): FlinkEvent => {
  const conversion = convert(body);
  if (conversion.kind !== 'events' || conversion.events.length !== 1) throw new Error(`expected one event, got ${JSON.stringify(conversion)}`);
  const event = conversion.events[0]!;
  if (!('job' in event)) throw new Error(`expected a job event, got ${event.type}`);
  return event;
};

const statusOf = (body: unknown): JobStatusEvent => {
  const event = convertOne(body);
  if (event.type !== 'job.status') throw new Error(`expected job.status, got ${event.type}`);
  return event;
};

/** "typeName qualifiedName" of each input, then each output, as the naming table maps them. */
const atlasDatasets = (event: FlinkEvent) => {
  const lineage = eventToChanges(event, naming).job.state.registers.lineage?.value as
    | { inputs: { typeName: string; qualifiedName: string }[]; outputs: { typeName: string; qualifiedName: string }[] }
    | undefined;
  return {
    inputs: (lineage?.inputs ?? []).map((r) => `${r.typeName} ${r.qualifiedName}`),
    outputs: (lineage?.outputs ?? []).map((r) => `${r.typeName} ${r.qualifiedName}`),
  };
};

const EVENT_TIME = '2026-11-25T09:00:00.123Z';
const kafkaFields = [{ name: 'id', type: 'string' }, { name: 'version', type: 'long' }];
const kafkaLineage = {
  sources: [
    { namespace: 'kafka://kafka-cluster-prod:9092', name: 'io.openlineage.flink.kafka.input1', schema: { fields: kafkaFields } },
    { namespace: 'kafka://kafka-cluster-prod:9092', name: 'io.openlineage.flink.kafka.input2', schema: { fields: kafkaFields } },
  ],
  sinks: [
    { namespace: 'kafka://kafka-cluster-prod:9092', name: 'io.openlineage.flink.kafka.output', schema: { fields: [...kafkaFields, { name: 'counter', type: 'long' }] } },
  ],
};
const checkpoints = { completed: 5, failed: 1, inProgress: 1, restored: 0, total: 7 };

interface FixtureExpectation {
  native: Omit<JobStatusEvent, 'eventId'>;
  inputs: string[];
  outputs: string[];
}

const EXPECTED: Record<FixtureName, FixtureExpectation> = {
  expected_failed: {
    native: {
      type: 'job.status', eventTime: EVENT_TIME, cluster: 'flink_job_namespace',
      job: { id: FLINK_JOB_ID, name: 'flink_failed_job', status: 'FAILED' },
      error: { message: 'Application Status: FAILED' },
    },
    inputs: [],
    outputs: [],
  },
  expected_iceberg: {
    native: {
      type: 'job.status', eventTime: EVENT_TIME, cluster: 'flink_job_namespace',
      job: { id: FLINK_JOB_ID, name: 'flink_examples_iceberg', status: 'INITIALIZING' },
      lineage: {
        sources: [{ namespace: 'file', name: '/tmp/warehouse/db/source', schema: { fields: [{ name: 'x', type: 'INTEGER' }, { name: 'y', type: 'INTEGER' }] } }],
        sinks: [{ namespace: 'file', name: '/tmp/warehouse/db/sink', schema: { fields: [{ name: 'x', type: 'INTEGER' }, { name: 'y', type: 'INTEGER' }] } }],
      },
    },
    inputs: ['fs_path file:///tmp/warehouse/db/source@primary'],
    outputs: ['fs_path file:///tmp/warehouse/db/sink@primary'],
  },
  expected_jdbc: {
    native: {
      type: 'job.status', eventTime: EVENT_TIME, cluster: 'flink_job_namespace',
      job: { id: FLINK_JOB_ID, name: 'flink_examples_jdbc', status: 'INITIALIZING' },
      lineage: {
        sources: [{ namespace: 'postgres://postgres:5432', name: 'postgres.source_event' }],
        sinks: [{ namespace: 'postgres://postgres:5432', name: 'postgres.sink_event' }],
      },
    },
    inputs: ['flink_dataset postgres://postgres:5432/postgres.source_event@primary'],
    outputs: ['flink_dataset postgres://postgres:5432/postgres.sink_event@primary'],
  },
  expected_kafka: {
    native: {
      type: 'job.status', eventTime: EVENT_TIME, cluster: 'flink_job_namespace',
      job: { id: FLINK_JOB_ID, name: 'flink_examples_stateful', status: 'INITIALIZING', executionMode: 'STREAMING' },
      lineage: kafkaLineage,
    },
    inputs: ['kafka_topic io.openlineage.flink.kafka.input1@primary', 'kafka_topic io.openlineage.flink.kafka.input2@primary'],
    outputs: ['kafka_topic io.openlineage.flink.kafka.output@primary'],
  },
  expected_kafka_checkpoints: {
    native: {
      type: 'job.status', eventTime: EVENT_TIME, cluster: 'flink_job_namespace',
      job: { id: FLINK_JOB_ID, name: 'flink_examples_stateful', status: 'RUNNING' },
      lineage: kafkaLineage,
      checkpoints,
    },
    inputs: ['kafka_topic io.openlineage.flink.kafka.input1@primary', 'kafka_topic io.openlineage.flink.kafka.input2@primary'],
    outputs: ['kafka_topic io.openlineage.flink.kafka.output@primary'],
  },
  expected_kafka_topic_pattern_checkpoint: {
    native: {
      type: 'job.status', eventTime: EVENT_TIME, cluster: 'flink-jobs',
      job: { id: FLINK_JOB_ID, name: 'flink_topic_pattern', status: 'RUNNING' },
      checkpoints,
    },
    inputs: [],
    outputs: [],
  },
  expected_sql_kafka: {
    native: {
      type: 'job.status', eventTime: EVENT_TIME, cluster: 'flink-jobs',
      job: { id: FLINK_JOB_ID, name: 'insert-into_default_catalog.default_database.kafka_output', status: 'INITIALIZING', executionMode: 'STREAMING' },
      lineage: {
        sources: [{
          namespace: 'kafka://kafka-cluster-prod:9092',
          name: 'io.openlineage.flink.kafka.input1',
          schema: {
            fields: [
              { name: 'price', type: 'DECIMAL(38, 18)', description: '' },
              { name: 'currency', type: 'STRING', description: '' },
              { name: 'log_date', type: 'DATE', description: '' },
              { name: 'log_time', type: 'TIME(0)', description: '' },
              { name: 'log_ts', type: 'TIMESTAMP(3)', description: '' },
            ],
          },
          symlinks: [{ namespace: 'kafka://kafka-cluster-prod:9092', name: 'default_catalog.default_database.kafka_input', type: 'TABLE' }],
        }],
        sinks: [{
          namespace: 'kafka://kafka-cluster-prod:9092',
          name: 'io.openlineage.flink.kafka.output',
          schema: {
            fields: [
              { name: 'ts_interval', type: 'STRING', description: '' },
              { name: 'max_log_date', type: 'STRING', description: '' },
              { name: 'max_log_time', type: 'STRING', description: '' },
              { name: 'max_ts', type: 'STRING', description: '' },
              { name: 'counter', type: 'BIGINT', description: '' },
              { name: 'max_price', type: 'DECIMAL(38, 18)', description: '' },
            ],
          },
          symlinks: [{ namespace: 'kafka://kafka-cluster-prod:9092', name: 'default_catalog.default_database.kafka_output', type: 'TABLE' }],
        }],
      },
    },
    // The TABLE symlinks link the job to the Flink SQL tables as well as to the topics.
    inputs: ['flink_table default_catalog.default_database.kafka_input@primary', 'kafka_topic io.openlineage.flink.kafka.input1@primary'],
    outputs: ['flink_table default_catalog.default_database.kafka_output@primary', 'kafka_topic io.openlineage.flink.kafka.output@primary'],
  },
};

describe('Function: openLineageToFlinkEvents (the integration\'s fixtures)', () => {
  it.each(FIXTURES)('converts %s to the expected native event', (name) => {
    const { eventId, ...native } = statusOf(fillFixture(name));
    expect(native).toEqual(EXPECTED[name].native);
    expect(eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.each(FIXTURES)('maps the datasets of %s to the expected Atlas types and qualifiedNames', (name) => {
    expect(atlasDatasets(convertOne(fillFixture(name)))).toEqual({ inputs: EXPECTED[name].inputs, outputs: EXPECTED[name].outputs });
  });

  it('gives the same event the same eventId, and a different event another', () => {
    const a = convertOne(fillFixture('expected_kafka_checkpoints'));
    const again = convertOne(fillFixture('expected_kafka_checkpoints'));
    const later = convertOne(fillFixture('expected_kafka_checkpoints', { checkpoints: { ...CHECKPOINTS, completed: 6, total: 8 } }));
    expect(again.eventId).toBe(a.eventId);
    expect(later.eventId).not.toBe(a.eventId);
  });
});

describe('Function: openLineageToFlinkEvents (lifecycle)', () => {
  const at = '2026-11-25T09:00:00.000Z';

  it.each([
    ['START', 'INITIALIZING'],
    ['RUNNING', 'RUNNING'],
    ['COMPLETE', 'FINISHED'],
    ['FAIL', 'FAILED'],
    ['ABORT', 'CANCELED'],
  ])('maps eventType %s to the Flink status %s', (eventType, status) => {
    expect(statusOf(runEvent({ eventType, eventTime: at })).job.status).toBe(status);
  });

  it('keeps OTHER as RUNNING when it names datasets', () => {
    const event = statusOf(runEvent({ eventType: 'OTHER', eventTime: at, inputs: [{ namespace: 'kafka://k:9092', name: 'orders' }] }));
    expect(event.job.status).toBe('RUNNING');
    expect(event.lineage?.sources).toEqual([{ namespace: 'kafka://k:9092', name: 'orders' }]);
  });

  it('skips OTHER, and an event without eventType, when they name no datasets', () => {
    expect(convert(runEvent({ eventType: 'OTHER', eventTime: at }))).toMatchObject({ kind: 'skipped', reason: expect.stringContaining('OTHER') });
    expect(convert(runEvent({ eventTime: at }))).toMatchObject({ kind: 'skipped', reason: expect.stringContaining('(none)') });
  });

  it('sets no lineage from a terminal event whose inputs and outputs are empty, so the job keeps its datasets', () => {
    const event = statusOf(runEvent({ eventType: 'COMPLETE', eventTime: at, inputs: [], outputs: [] }));
    expect(event.lineage).toBeUndefined();
    expect(eventToChanges(event, naming).job.state.registers.lineage).toBeUndefined();
  });

  it('carries the errorMessage facet of a FAIL onto the run error, stack trace included', () => {
    const event = statusOf(runEvent({
      eventType: 'FAIL',
      eventTime: at,
      runFacets: { errorMessage: { message: 'Job failed: NullPointerException', programmingLanguage: 'JAVA', stackTrace: 'java.lang.NullPointerException\n\tat Foo.bar(Foo.java:12)' } },
    }));
    expect(event.error).toEqual({ message: 'Job failed: NullPointerException', stackTrace: 'java.lang.NullPointerException\n\tat Foo.bar(Foo.java:12)' });
  });

  it('takes the JobID from the flink_job facet, lower-cased', () => {
    expect(statusOf(runEvent({ eventType: 'START', eventTime: at, jobId: FLINK_JOB_ID.toUpperCase() })).job.id).toBe(FLINK_JOB_ID);
  });

  it('derives the JobID from runId when the flink_job facet is missing or null', () => {
    const derived = RUN_ID.replaceAll('-', '');
    expect(statusOf(runEvent({ eventType: 'COMPLETE', eventTime: at, jobId: null })).job.id).toBe(derived);
    expect(statusOf(runEvent({ eventType: 'COMPLETE', eventTime: at, runFacets: { flink_job: { jobId: null } } })).job.id).toBe(derived);
  });

  it('turns job.namespace into a valid cluster name by replacing / @ and blanks', () => {
    expect(statusOf(runEvent({ eventType: 'START', eventTime: at, namespace: 'team a/flink@eu' })).cluster).toBe('team_a_flink_eu');
  });

  it.each([
    ['STREAMING', 'STREAMING'],
    ['BATCH', 'BATCH'],
    ['SERVICE', 'STREAMING'],
    ['QUERY', undefined],
  ])('maps jobType.processingType %s to executionMode %s', (processingType, mode) => {
    const event = statusOf(runEvent({ eventType: 'START', eventTime: at, jobFacets: { jobType: { processingType, integration: 'FLINK', jobType: 'JOB' } } }));
    expect(event.job.executionMode).toBe(mode);
  });

  it.each([
    ['2026-11-25T10:00:00.123456789+01:00', '2026-11-25T09:00:00.123Z'],
    ['2026-11-25T09:00:00Z', '2026-11-25T09:00:00.000Z'],
    ['2026-11-25T04:00:00.5-0500', '2026-11-25T09:00:00.500Z'],
    ['2026-11-25T09:00:00.123+00:00[UTC]', '2026-11-25T09:00:00.123Z'],
  ])('reads eventTime %s as %s', (eventTime, expected) => {
    expect(statusOf(runEvent({ eventType: 'START', eventTime })).eventTime).toBe(expected);
  });

  it('refuses an eventTime without offset, naming where', () => {
    expect(parseOpenLineageEvent(runEvent({ eventType: 'START', eventTime: '2026-11-25T09:00:00' }))).toMatchObject({
      ok: false,
      problems: [{ pointer: '/eventTime' }],
    });
  });

  it('refuses a runId that is not a UUID, naming where', () => {
    expect(parseOpenLineageEvent(runEvent({ eventType: 'START', eventTime: at, runId: 'run-1' }))).toMatchObject({
      ok: false,
      problems: [{ pointer: '/run/runId' }],
    });
  });

  it('accepts facets it does not know, and facets without _producer', () => {
    const body = runEvent({ eventType: 'START', eventTime: at, runFacets: { nominalTime: { nominalStartTime: at } } });
    body.run.facets.flink_job = { jobId: FLINK_JOB_ID };
    expect(statusOf(body).job.id).toBe(FLINK_JOB_ID);
  });
});

describe('Function: openLineageToFlinkEvents (datasets)', () => {
  const at = '2026-11-25T09:00:00.000Z';

  it('keeps a topic pattern source (dataset.kafka.resolveTopicPattern: false) as one entity for the pattern', () => {
    const event = convertOne(runEvent({
      eventType: 'START',
      eventTime: at,
      inputs: [{ namespace: 'kafka://kafka-cluster-prod:9092', name: 'io.openlineage.flink.kafka.input.*' }],
      outputs: [{ namespace: 'kafka://kafka-cluster-prod:9092', name: 'io.openlineage.flink.kafka.output_topic' }],
    }));
    expect(atlasDatasets(event)).toEqual({
      inputs: ['kafka_topic io.openlineage.flink.kafka.input.*@primary'],
      outputs: ['kafka_topic io.openlineage.flink.kafka.output_topic@primary'],
    });
  });

  it('names an Iceberg table on S3 by its location, as the 1.x Iceberg visitor does', () => {
    const event = convertOne(runEvent({
      eventType: 'START',
      eventTime: at,
      outputs: [{ namespace: 's3://lake', name: 'warehouse/db/orders' }],
    }));
    expect(atlasDatasets(event).outputs).toEqual(['aws_s3_v2_directory s3://lake/warehouse/db/orders/@primary']);
  });
});

describe('Function: openLineageToFlinkEvents (static lineage)', () => {
  const jobEvent = (extra: Record<string, unknown> = {}) => ({
    eventTime: '2026-11-25T09:00:00.000Z',
    producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/flink',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent',
    job: { namespace: 'flink-prod', name: 'orders-enrichment', facets: { jobType: { processingType: 'STREAMING', integration: 'FLINK', jobType: 'JOB' } } },
    ...extra,
  });

  it('maps a JobEvent with inputs and outputs to a job.lineage event: lineage on the job, no run', () => {
    const event = convertOne(jobEvent({ inputs: [{ namespace: 'kafka://k:9092', name: 'orders' }], outputs: [{ namespace: 'hive://hms:9083', name: 'sales.orders' }] }));
    expect(event).toMatchObject({
      type: 'job.lineage',
      cluster: 'flink-prod',
      job: { name: 'orders-enrichment', executionMode: 'STREAMING' },
      lineage: { sources: [{ namespace: 'kafka://k:9092', name: 'orders' }], sinks: [{ namespace: 'hive://hms:9083', name: 'sales.orders' }] },
    });
    expect(eventToChanges(event, naming).run).toBeUndefined();
  });

  it('skips a JobEvent without datasets', () => {
    expect(convert(jobEvent())).toMatchObject({ kind: 'skipped' });
  });

  it('turns a DatasetEvent into a dataset.metadata event carrying the dataset, its schema and its symlinks', () => {
    const body = {
      eventTime: '2026-11-25T09:00:00+01:00',
      producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/flink',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent',
      dataset: {
        namespace: 'hive://hms:9083',
        name: 'sales.orders',
        facets: {
          schema: { _producer: 'p', _schemaURL: 's', fields: [{ name: 'id', type: 'BIGINT', description: null }, { name: 'amount' }] },
          symlinks: { _producer: 'p', _schemaURL: 's', identifiers: [{ namespace: 'flink', name: 'hive.sales.orders', type: 'TABLE' }] },
        },
      },
    };
    const conversion = convert(body);
    expect(conversion).toEqual({
      kind: 'events',
      events: [{
        type: 'dataset.metadata',
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        eventTime: '2026-11-25T08:00:00.000Z',
        dataset: {
          namespace: 'hive://hms:9083',
          name: 'sales.orders',
          schema: { fields: [{ name: 'id', type: 'BIGINT' }, { name: 'amount' }] },
          symlinks: [{ namespace: 'flink', name: 'hive.sales.orders', type: 'TABLE' }],
        },
      }],
    });
    // The same DatasetEvent posted twice is the same native event.
    expect(convert(body)).toEqual(conversion);
  });
});

describe('Function: notFromFlinkReason', () => {
  const spark = {
    eventType: 'START',
    eventTime: '2026-11-25T09:00:00Z',
    producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/spark',
    run: { runId: 'not even a uuid', facets: { processing_engine: { name: 'spark', version: '3.5.1' } } },
    job: { namespace: 'spark', name: 'etl' },
  };

  it('names the producer of an event that is not from Flink', () => {
    expect(notFromFlinkReason(spark)).toContain('integration/spark');
  });

  it.each([
    ['the integration\'s producer URL', { ...spark, producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/flink' }],
    ['a flink_job facet', { ...spark, run: { runId: RUN_ID, facets: { flink_job: { jobId: FLINK_JOB_ID } } } }],
    ['a processing_engine facet naming flink', { ...spark, run: { runId: RUN_ID, facets: { processing_engine: { name: 'Flink' } } } }],
    ['a jobType facet with integration FLINK', { ...spark, job: { namespace: 'x', name: 'y', facets: { jobType: { processingType: 'BATCH', integration: 'FLINK' } } } }],
  ])('recognises a Flink event by %s', (_label, body) => {
    expect(notFromFlinkReason(body)).toBeUndefined();
  });
});
