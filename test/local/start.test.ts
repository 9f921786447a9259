// Runs the real `npm start` flow (tsx local/start.ts) as a child process on free ports: the Atlas emulator,
// serverless offline with the esbuild bundle, the sample events, and the lineage read back from Atlas.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtlasClient } from '../../lib/atlas/index.js';
import { freePort, READY_TIMEOUT_MS, startLocalStart, type LocalStart } from '../helpers/localStart.js';
import { runEvent } from '../helpers/openLineage.js';
import { openLineageJavaGzipHeaders, postBytes } from '../helpers/rawHttp.js';

const READY = /flink-atlas-bridge ready: POST (http:\/\/\S+\/flink\/events)\s+\(Atlas: (\S+), admin\/admin\)/;

describe('npm start', () => {
  let child: ChildProcess;
  let stack: LocalStart;
  const output = (): string => stack.output();
  let eventsUrl = '';
  let atlasUrl = '';

  beforeAll(async () => {
    const [port, atlasPort, lambdaPort, sqsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      ATLAS_PORT: String(atlasPort),
      LAMBDA_PORT: String(lambdaPort),
      SQS_PORT: String(sqsPort),
    };
    // The emulator is what this test exercises: never point it at an Atlas from the caller's shell.
    for (const name of ['ATLAS_URL', 'ATLAS_USER', 'ATLAS_PASSWORD', 'ATLAS_NAMESPACE', 'ATLAS_NAMESPACE_MAP', 'RETRY_QUEUE_URL', 'DEAD_LETTER_QUEUE_URL', 'AWS_ENDPOINT_URL_SQS']) delete env[name];
    stack = await startLocalStart(env, READY);
    child = stack.child;
    eventsUrl = stack.ready[1] ?? '';
    atlasUrl = stack.ready[2] ?? '';
  }, READY_TIMEOUT_MS + 10_000);

  afterAll(() => {
    stack?.kill();
  });

  it('prints the sample lineage, naming each dataset by its Atlas type and qualifiedName', () => {
    const lineage = output().slice(output().indexOf('Lineage in Atlas'), output().indexOf('flink-atlas-bridge ready'));
    expect(lineage).toContain(
      [
        '  hive_table sales.customers_dim@primary',
        '  kafka_topic customers@primary',
        '  kafka_topic orders@primary',
        '    → flink_job flink-prod/orders-enrichment@primary',
        '      → aws_s3_v2_directory s3://lake/enriched/orders/@primary',
        '      → flink_dataset postgres://pg:5432/shop.public.order_totals@primary',
        '    run 793cbf24aa9905fbc4fe05d4ce174ab3: RUNNING (STREAMING)',
      ].join('\n'),
    );
    expect(lineage).toContain(
      [
        '  flink_dataset postgres://pg:5432/shop.public.order_totals@primary',
        '    → flink_job flink-prod/daily-revenue@primary',
        '      → hive_table sales.daily_revenue@primary',
        '    run c57ac8689a2a357189de9a9ad7e93b7f: FINISHED (BATCH)',
      ].join('\n'),
    );
    // The Flink SQL job: linked to its catalog tables as well as to the topic and the JDBC table behind them.
    expect(lineage).toContain(
      [
        '  flink_table default_catalog.default_database.orders@primary',
        '  kafka_topic orders@primary',
        '    → flink_job flink-prod/insert-into_default_catalog.default_database.order_totals@primary',
        '      → flink_dataset postgres://pg:5432/shop.public.order_totals@primary',
        '      → flink_table default_catalog.default_database.order_totals@primary',
        '    run 5e0c1f2a3b4c5d6e7f8091a2b3c4d5e6: RUNNING (STREAMING)',
      ].join('\n'),
    );
  });

  it('reports every sample event answered 200', () => {
    const answers = [...output().matchAll(/^ {2}(\d{3}) (\d\d-\S+\.json)$/gm)].map((m) => m[1]);
    expect(answers).toHaveLength(13);
    expect(answers.every((status) => status === '200')).toBe(true);
  });

  it('accepts one more event posted to the printed URL and writes its job to Atlas', async () => {
    const event = {
      type: 'job.status',
      eventId: randomUUID(),
      eventTime: new Date().toISOString(),
      cluster: 'flink-test',
      job: { id: 'a1'.repeat(16), name: 'fraud-scoring', status: 'RUNNING', executionMode: 'STREAMING' },
      lineage: {
        sources: [{ namespace: 'kafka://kafka-1:9092', name: 'payments' }],
        sinks: [{ namespace: 'kafka://kafka-1:9092', name: 'fraud-alerts' }],
      },
    };
    const response = await axios.post(eventsUrl, event, { validateStatus: () => true, timeout: 30_000 });
    expect(response.status, JSON.stringify(response.data)).toBe(200);

    const atlas = new AtlasClient({ baseUrl: atlasUrl, user: 'admin', password: 'admin', timeoutMs: 10_000 });
    const job = await atlas.getEntityByQualifiedName('flink_job', 'flink-test/fraud-scoring@primary');
    expect(job?.entity.attributes.name).toBe('fraud-scoring');
  });

  it('accepts an OpenLineage RunEvent gzipped as openlineage-java sends it on POST /api/v1/lineage (docs/http-bodies.md)', async () => {
    const event = runEvent({ eventType: 'START', eventTime: new Date().toISOString(), runId: randomUUID(), namespace: 'flink-test', name: 'gzip-job' });
    const lineageRoute = eventsUrl.replace(/\/flink\/events$/, '/api/v1/lineage');
    const answer = await postBytes(lineageRoute, gzipSync(JSON.stringify(event)), openLineageJavaGzipHeaders());
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const atlas = new AtlasClient({ baseUrl: atlasUrl, user: 'admin', password: 'admin', timeoutMs: 10_000 });
    expect((await atlas.getEntityByQualifiedName('flink_job', 'flink-test/gzip-job@primary'))?.entity.attributes.name).toBe('gzip-job');
  });

  it('queues events while the local Atlas is down and drains them into it once it is back', async () => {
    const lineageUrl = /lineage page: (\S+)\/lineage/.exec(output())?.[1] ?? '';
    const atlas = new AtlasClient({ baseUrl: atlasUrl, user: 'admin', password: 'admin', timeoutMs: 10_000 });
    await axios.post(`${lineageUrl}/atlas/outage`);
    const event = {
      type: 'job.status', eventId: randomUUID(), eventTime: new Date().toISOString(), cluster: 'flink-test',
      job: { id: 'b2'.repeat(16), name: 'outage-job', status: 'RUNNING' },
    };
    const response = await axios.post(eventsUrl, event, { validateStatus: () => true, timeout: 30_000 });
    expect(response.status, JSON.stringify(response.data)).toBe(202);
    await axios.delete(`${lineageUrl}/atlas/outage`);
    // The worker (polling the local SQS, invoking the bundled function) retries with a backoff of a few seconds.
    const deadline = Date.now() + 60_000;
    while ((await atlas.getEntityByQualifiedName('flink_job', 'flink-test/outage-job@primary')) === undefined) {
      if (Date.now() > deadline) throw new Error(`the queued event did not reach Atlas:\n${output().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 90_000);

  it('stops serverless offline and exits when it gets SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    await expect(exited).resolves.toBe(0);
    // serverless offline went with it: nothing answers on its port any more.
    await expect(axios.post(eventsUrl, [], { timeout: 2_000 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  }, 30_000);
});
