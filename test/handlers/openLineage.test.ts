import { gzipSync } from 'node:zlib';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/openLineage.js';
import { httpEvent, lambdaContext, parseResponse } from '../helpers/apiGateway.js';
import { FIXTURES, fillFixture, FLINK_JOB_ID, runEvent } from '../helpers/openLineage.js';
import { QUEUE_URLS } from '../helpers/sqs.js';
import { useBridgeEnv, useTestAtlas } from '../helpers/stack.js';

const PATH = '/api/v1/lineage';
const MAX_BODY_BYTES = 256 * 1024;

/** The headers the OpenLineage Java HttpTransport sends with `compression: gzip` and `auth.type: api_key`. */
const JAVA_CLIENT_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json',
  'content-encoding': 'gzip',
  authorization: 'Bearer x',
  'user-agent': 'Apache-HttpClient/5.4.1 (Java/17.0.12)',
};

/** A DatasetEvent as the integration's producer would send it: a Hive table and its schema. */
const DATASET_EVENT = {
  eventTime: '2026-11-25T09:00:00.000Z',
  producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/flink',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent',
  dataset: {
    namespace: 'hive://metastore:9083',
    name: 'sales.orders',
    facets: { schema: { _producer: 'p', _schemaURL: 's', fields: [{ name: 'id', type: 'BIGINT' }, { name: 'amount', type: 'DECIMAL(18, 2)' }] } },
  },
};

const sqs = mockClient(SQSClient);
const atlas = useTestAtlas({ env: { MAX_BODY_BYTES: String(MAX_BODY_BYTES) } });

const post = async (body: unknown, headers: Record<string, string> = {}) =>
  parseResponse(await handler(httpEvent(Buffer.isBuffer(body) ? body : JSON.stringify(body), { path: PATH, headers }), lambdaContext));

const stored = () => atlas.emulator.entities().filter((e) => e.status !== 'DELETED');
const qualifiedNamesOf = (typeName: string) =>
  stored().filter((e) => e.typeName === typeName).map((e) => e.attributes.qualifiedName).sort();


describe('Handler: POST /api/v1/lineage', () => {
  it.each(FIXTURES)('writes %s to Atlas and answers 200', async (name) => {
    const { status, body } = await post(fillFixture(name));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.results[0]).toMatchObject({ outcome: 'written' });
    expect(qualifiedNamesOf('flink_job_run')).toHaveLength(1);
  });

  it('lands the datasets of the fixtures under the expected Atlas types and qualifiedNames', async () => {
    for (const name of ['expected_kafka', 'expected_jdbc', 'expected_iceberg'] as const) {
      expect((await post(fillFixture(name))).status).toBe(200);
    }
    expect(qualifiedNamesOf('kafka_topic')).toEqual([
      'io.openlineage.flink.kafka.input1@primary', 'io.openlineage.flink.kafka.input2@primary', 'io.openlineage.flink.kafka.output@primary',
    ]);
    expect(qualifiedNamesOf('flink_dataset')).toEqual([
      'postgres://postgres:5432/postgres.sink_event@primary', 'postgres://postgres:5432/postgres.source_event@primary',
    ]);
    expect(qualifiedNamesOf('fs_path')).toEqual(['file:///tmp/warehouse/db/sink@primary', 'file:///tmp/warehouse/db/source@primary']);
    expect(qualifiedNamesOf('flink_job')).toEqual([
      'flink_job_namespace/flink_examples_iceberg@primary', 'flink_job_namespace/flink_examples_jdbc@primary', 'flink_job_namespace/flink_examples_stateful@primary',
    ]);
  });

  it('keeps the latest checkpoint counts on the run when an older checkpoint event arrives last', async () => {
    const newer = fillFixture('expected_kafka_topic_pattern_checkpoint', { eventTime: '2026-11-25T09:10:00Z', checkpoints: { completed: 9, failed: 0, 'in-progress': 0, restored: 0, total: 9 } });
    const older = fillFixture('expected_kafka_topic_pattern_checkpoint', { eventTime: '2026-11-25T09:05:00Z', checkpoints: { completed: 4, failed: 0, 'in-progress': 1, restored: 0, total: 5 } });
    expect((await post(newer)).status).toBe(200);
    expect((await post(older)).status).toBe(200);
    const run = stored().find((e) => e.typeName === 'flink_job_run');
    expect(run?.attributes).toMatchObject({ checkpointsCompleted: 9, checkpointsInProgress: 0, checkpointsTotal: 9 });
  });

  it('accepts a gzip body with a Bearer key the way the Java client sends it, and answers 200', async () => {
    const gzipped = gzipSync(JSON.stringify(fillFixture('expected_kafka')));
    const { status, body } = await post(gzipped, JAVA_CLIENT_HEADERS);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(qualifiedNamesOf('flink_job_run')).toEqual([`flink_job_namespace/flink_examples_stateful/${FLINK_JOB_ID}@primary`]);
  });

  it('answers 413 for a gzip bomb and writes nothing', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * MAX_BODY_BYTES, 0x20));
    const { status, body } = await post(bomb, JAVA_CLIENT_HEADERS);
    expect(status).toBe(413);
    expect(body.error).toBe('BODY_TOO_LARGE');
    expect(atlas.emulator.stats.requests).toBe(0);
  });

  it('answers 400 for a broken gzip stream', async () => {
    const broken = gzipSync(JSON.stringify(fillFixture('expected_kafka'))).subarray(0, 40);
    expect((await post(broken, JAVA_CLIENT_HEADERS)).status).toBe(400);
  });

  it('writes a Flink DatasetEvent: the dataset under its Atlas type, its schema as the columns of a Hive table the bridge owns', async () => {
    const { status, body } = await post(DATASET_EVENT);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.results[0]).toMatchObject({ outcome: 'written', entities: [{ typeName: 'hive_table', qualifiedName: 'sales.orders@primary' }] });
    expect(qualifiedNamesOf('hive_column')).toEqual(['sales.orders.amount@primary', 'sales.orders.id@primary']);
    expect(qualifiedNamesOf('flink_job')).toEqual([]);
  });

  it('answers 200 skipped for another producer\'s event and never calls Atlas', async () => {
    const spark = {
      eventType: 'START',
      eventTime: '2026-11-25T09:00:00.000Z',
      producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/spark',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: '01936f0e-6a4b-7c21-9d3e-5f8a2b4c6d99', facets: { processing_engine: { name: 'spark', version: '3.5.1' } } },
      job: { namespace: 'spark-etl', name: 'daily_orders' },
      inputs: [{ namespace: 's3://lake', name: 'raw/orders' }],
    };
    const { status, body } = await post(spark);
    expect(status).toBe(200);
    expect(body).toEqual({ skipped: true, reason: expect.stringContaining('integration/spark') });
    expect(atlas.emulator.stats.requests).toBe(0);
  });

  it.each([
    ['an object with none of run, job and dataset', { eventTime: '', producer: '', schemaURL: '' }],
    ['a string', 'START'],
    ['null', null],
  ])('answers 400 for %s instead of skipping it as another producer\'s event', async (_what, notAnEvent) => {
    const { status, body } = await post(notAnEvent);
    expect(status, JSON.stringify(body)).toBe(400);
    expect(body).toMatchObject({ error: 'INVALID_EVENT', problems: [{ pointer: '', message: expect.stringContaining('not an OpenLineage event') }] });
    expect(atlas.emulator.stats.requests).toBe(0);
  });

  it('answers 400 naming the problem for a Flink event it cannot read, and writes nothing', async () => {
    const { status, body } = await post(runEvent({ eventType: 'START', eventTime: 'yesterday' }));
    expect(status).toBe(400);
    expect(body.results[0].problems).toEqual([expect.objectContaining({ pointer: '/eventTime' })]);
    expect(stored()).toEqual([]);
  });

  describe('with the retry queue', () => {
    const sqsMock = sqs;
    let restoreQueueEnv: () => void;
    beforeEach(() => {
      sqsMock.reset();
      sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
      restoreQueueEnv = useBridgeEnv(atlas.emulator.url, {
        MAX_BODY_BYTES: String(MAX_BODY_BYTES), RETRY_QUEUE_URL: QUEUE_URLS.retry, DEAD_LETTER_QUEUE_URL: QUEUE_URLS.deadLetter, CONFIRM_DELAY_SECONDS: '0',
      });
    });
    afterEach(() => restoreQueueEnv());

    it('answers 2xx when Atlas is down, because the event is safe in the queue (the Flink emitter never retries)', async () => {
      atlas.emulator.setFault(() => ({ kind: 'status', status: 503 }));
      const { status, body } = await post(fillFixture('expected_failed'));
      expect(status).toBe(202);
      expect(body.queuedEventIds).toHaveLength(1);
      expect(sqsMock.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.QueueUrl).toBe(QUEUE_URLS.retry);
    });

    it('queues a DatasetEvent as the native dataset.metadata event when Atlas is down', async () => {
      atlas.emulator.setFault(() => ({ kind: 'status', status: 503 }));
      const { status } = await post(DATASET_EVENT);
      expect(status).toBe(202);
      const entry = sqsMock.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0];
      expect(JSON.parse(entry?.MessageBody ?? '{}')).toMatchObject({
        events: [{ type: 'dataset.metadata', dataset: { namespace: 'hive://metastore:9083', name: 'sales.orders' } }],
      });
    });
  });
});
