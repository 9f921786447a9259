// Real-server scenarios (npm run test:atlas, via atlas-server/run.sh): each scenario sends the same events
// through the real functions to a fresh emulator and to a real Atlas at REAL_ATLAS_URL, then compares what
// each stored for the entities the scenario touches, after dropping what a server assigns by itself.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlinkEvent, LineageDataset } from '../../lib/contract/index.js';
import { handler as flinkEvents } from '../../functions/flinkEvents.js';
import { handler as flinkJobs } from '../../functions/flinkJobs.js';
import { AtlasClient, registerTypes } from '../../lib/atlas/index.js';
import { writeFleetBatch } from '../../lib/ingest/fleetWrite.js';
import type { AtlasEntity } from '../../lib/atlas/model.js';
import { httpEvent, lambdaContext, parseResponse } from '../helpers/apiGateway.js';
import { id, kafkaTable, tableEvent } from '../helpers/catalogEvents.js';
import { deploymentEvent, naming, resultEvent, statusEvent, T0 } from '../helpers/events.js';
import { REST_JOB_ID, restJob } from '../helpers/flinkRest.js';
import { startTestAtlas, useBridgeEnv, type TestAtlas } from '../helpers/stack.js';
import { generateWorkload } from '../faults/workload.js';

const REAL_URL = process.env.REAL_ATLAS_URL;
if (REAL_URL === undefined) throw new Error('REAL_ATLAS_URL is not set: run these through npm run test:atlas');
const realAtlas = new AtlasClient({ baseUrl: REAL_URL, user: 'admin', password: 'admin', timeoutMs: 60_000 });

/**
 * What both servers must agree on. Dropped: what each server assigns by itself (guids, times, versions, users),
 * and, in related object ids, the guid and the name fields: Atlas 2.1 sends neither `qualifiedName` (2.3+) nor
 * `uniqueAttributes` there, so related entities are compared by type, display text and statuses.
 */
const SERVER_ASSIGNED = new Set([
  'guid', 'createTime', 'updateTime', 'version', 'createdBy', 'updatedBy', 'homeId', 'proxy', 'relationshipGuid',
  'provenanceType', 'uniqueAttributes',
]);
const isRelatedObjectId = (value: Record<string, unknown>): boolean => 'relationshipType' in value;
const normalise = (value: unknown): unknown => {
  if (Array.isArray(value)) {
    const items = value.map(normalise);
    // Atlas lists related entities in edge order, the emulator in write order: compare as sets.
    return items.every((i) => typeof i === 'object') ? items.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) : items;
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const related = isRelatedObjectId(record);
  return Object.fromEntries(
    Object.entries(record)
      .filter(([k]) => !SERVER_ASSIGNED.has(k) && !(related && k === 'qualifiedName'))
      // An empty relationship-attributes struct: the emulator sends `attributes: {}`, Atlas 2.1 leaves it out.
      // null and absent both mean unset; Atlas 2.1 leaves out some unset attributes the emulator sends as null
      // (hive_table.sd, flink_table.viewQuery, hive_db.managedLocation from a 2.4 patch).
      .filter(([, v]) => v !== null)
      .filter(([k, v]) => !(related && k === 'relationshipAttributes' && typeof v === 'object' && v !== null && Object.keys((v as { attributes?: object }).attributes ?? {}).length === 0))
      .map(([k, v]) => [k, normalise(v)]),
  );
};

let emulator: TestAtlas;
beforeAll(async () => {
  emulator = await startTestAtlas();
  await registerTypes(realAtlas);
}, 600_000);
afterAll(async () => emulator.emulator.close());

type Handler = typeof flinkEvents;
const post = async (atlasUrl: string, fn: Handler, path: string, body: unknown, query: Record<string, string> = {}) => {
  const restore = useBridgeEnv(atlasUrl, { ATLAS_TIMEOUT_MS: '60000' });
  try {
    const event = httpEvent(JSON.stringify(body), { path });
    const withQuery = { ...event, rawQueryString: new URLSearchParams(query).toString(), queryStringParameters: query };
    return parseResponse(await fn(withQuery, lambdaContext));
  } finally {
    restore();
  }
};
const postEvents = (atlasUrl: string, events: readonly FlinkEvent[] | readonly unknown[]) => post(atlasUrl, flinkEvents, '/flink/events', events);

/** Both servers' stored entity of each (type, qualifiedName), normalised; undefined where one has none. */
const stored = async (refs: ReadonlyArray<readonly [string, string]>) => {
  const read = async (client: AtlasClient) =>
    Promise.all(refs.map(async ([type, qn]) => normalise((await client.getEntityByQualifiedName(type, qn))?.entity)));
  return { real: await read(realAtlas), emulated: await read(emulator.client) };
};

/** Sends the same event batches to both servers (fresh emulator) and expects the same answers. */
const sendToBoth = async (batches: ReadonlyArray<readonly unknown[]>) => {
  emulator.emulator.resetEntities();
  for (const batch of batches) {
    const onEmulator = await postEvents(emulator.emulator.url, batch);
    const onReal = await postEvents(REAL_URL, batch);
    expect(onReal.status, JSON.stringify(onReal.body)).toBe(onEmulator.status);
    expect([200, 207]).toContain(onReal.status);
  }
};

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const withJob = (event: FlinkEvent, name: string, jobId: string): FlinkEvent => ({ ...event, job: { ...event.job, name, id: jobId } } as FlinkEvent);
const runName = (job: string, jobId: string) => `flink-prod/${job}/${jobId}@primary`;
const jobName = (job: string) => `flink-prod/${job}@primary`;
const hexId = () => randomUUID().replaceAll('-', '');

describe('real Atlas beside the emulator', () => {
  it('stores a running job from the Flink REST API the same way, and a duplicate post is a no-op on both', async () => {
    emulator.emulator.resetEntities();
    for (const url of [emulator.emulator.url, REAL_URL]) {
      for (let i = 0; i < 2; i++) expect((await post(url, flinkJobs, '/flink/jobs', restJob('RUNNING'), { cluster: 'flink-prod' })).status).toBe(200);
    }
    const { real, emulated } = await stored([['flink_job_run', runName('orders-enrichment', REST_JOB_ID)]]);
    expect(real).toEqual(emulated);
  });

  it('a deployment, then INITIALIZING with the start time: the run keeps the start time', async () => {
    const job = unique('deploy-first');
    const jobId = hexId();
    await sendToBoth([
      [withJob(deploymentEvent(T0, '1.0.0', jobId), job, jobId)],
      [withJob(statusEvent('INITIALIZING', T0 + 1000, { job: { startTime: T0 + 1000, executionMode: 'STREAMING' } }), job, jobId)],
      [withJob(resultEvent(T0 + 5000), job, jobId)],
    ]);
    const { real, emulated } = await stored([['flink_job_run', runName(job, jobId)], ['flink_job', jobName(job)]]);
    expect((real[0] as AtlasEntity).attributes.startTime).toBe(T0 + 1000);
    expect(real).toEqual(emulated);
  });

  it("a Hive table's schema growing: the columns follow on both", async () => {
    const job = unique('hive-schema');
    const jobId = hexId();
    const table: LineageDataset = { namespace: 'hive://metastore:9083', name: `sales.${job.replaceAll('-', '_')}` };
    const fields = (n: number) => ({ fields: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, type: 'STRING' })) });
    await sendToBoth([
      [withJob(statusEvent('RUNNING', T0, { lineage: { sources: [], sinks: [{ ...table, schema: fields(2) }] } }), job, jobId)],
      [withJob(statusEvent('RUNNING', T0 + 60_000, { lineage: { sources: [], sinks: [{ ...table, schema: fields(4) }] } }), job, jobId)],
    ]);
    const qn = `${table.name}@primary`;
    const { real, emulated } = await stored([['hive_table', qn], ['hive_column', `${table.name}.c3@primary`]]);
    expect(real[1]).toBeDefined();
    expect(real).toEqual(emulated);
  });

  it('inputs [A,B] -> [A] -> [A,B]: the process lists both again', async () => {
    const job = unique('inputs');
    const jobId = hexId();
    const a = { namespace: 'kafka://kafka-1:9092', name: `${job}-a` };
    const b = { namespace: 'kafka://kafka-1:9092', name: `${job}-b` };
    const sink = { namespace: 'kafka://kafka-1:9092', name: `${job}-out` };
    const lineage = (sources: LineageDataset[], at: number) => withJob(statusEvent('RUNNING', at, { lineage: { sources, sinks: [sink] } }), job, jobId);
    await sendToBoth([[lineage([a, b], T0)], [lineage([a], T0 + 60_000)], [lineage([a, b], T0 + 120_000)]]);
    const { real, emulated } = await stored([['flink_job', jobName(job)], ['kafka_topic', `${b.name}@primary`]]);
    const inputs = (real[0] as AtlasEntity).relationshipAttributes?.inputs as Array<{ displayText?: string; relationshipStatus?: string }>;
    expect(inputs.filter((i) => i.relationshipStatus === 'ACTIVE').map((i) => i.displayText).sort()).toEqual([a.name, b.name]);
    expect(real).toEqual(emulated);
  });

  it('fleet mode, heartbeats of one run with inputs [A,B] -> [A] -> [A,B]: linked again on both', async () => {
    // Atlas's inputs attribute still lists B after [A]: the coalescer must not take the third heartbeat as unchanged.
    const job = unique('fleet');
    const jobId = hexId();
    const topic = (suffix: string) => ({ namespace: 'kafka://kafka-1:9092', name: `${job}-${suffix}` });
    const [a, b] = [topic('a'), topic('b')];
    const beat = (sources: LineageDataset[], minute: number): FlinkEvent => ({
      ...withJob(statusEvent('RUNNING', T0 + minute * 60_000, { job: { executionMode: 'STREAMING' }, lineage: { sources, sinks: [topic('out')] } }), job, jobId),
      checkpoints: { completed: minute, failed: 0, inProgress: 1, restored: 0, total: minute + 1 },
    } as FlinkEvent);
    emulator.emulator.resetEntities();
    for (const [sources, minute] of [[[a, b], 0], [[a], 1], [[a, b], 2]] as const) {
      for (const client of [emulator.client, realAtlas]) {
        const [outcome] = await writeFleetBatch([{ index: 0, event: beat([...sources], minute) }], client, naming, { checkpointIntervalMs: 300_000, maxConcurrency: 2 });
        expect(outcome?.outcome).toBe('written');
      }
    }
    const { real, emulated } = await stored([['flink_job', jobName(job)], ['kafka_topic', `${b.name}@primary`]]);
    const inputs = (real[0] as AtlasEntity).relationshipAttributes?.inputs as Array<{ displayText?: string; relationshipStatus?: string }>;
    expect(inputs.filter((i) => i.relationshipStatus === 'ACTIVE').map((i) => i.displayText).sort()).toEqual([a.name, b.name]);
    expect(real).toEqual(emulated);
  });

  it('a catalog table dropped and seen again: ACTIVE again on both', async () => {
    const name = unique('orders_tbl').replaceAll('-', '_');
    const ident = id(name);
    await sendToBoth([
      [tableEvent('CREATE', ident, T0, kafkaTable(`${name}-topic`))],
      [tableEvent('DROP', ident, T0 + 1000)],
      [tableEvent('CREATE', ident, T0 + 2000, kafkaTable(`${name}-topic`))],
    ]);
    const { real, emulated } = await stored([['flink_table', `default_catalog.default_database.${name}@primary`]]);
    expect(real).toEqual(emulated);
  });

  it('a topic deleted in Atlas, then named again by the job and by a new job: both servers re-create it alike', async () => {
    const job = unique('recreate');
    const other = unique('recreate-new');
    const jobId = hexId();
    const otherId = hexId();
    const topic = { namespace: 'kafka://kafka-1:9092', name: `${job}-in` };
    const sink = { namespace: 'kafka://kafka-1:9092', name: `${job}-out` };
    const running = (name: string, id: string, at: number) =>
      withJob(statusEvent('RUNNING', at, { lineage: { sources: [topic], sinks: [sink] } }), name, id);
    await sendToBoth([[running(job, jobId, T0)]]);
    // An operator (or the Kafka hook, after the topic was deleted) removes the topic from Atlas.
    const topicName = `${topic.name}@primary`;
    for (const client of [realAtlas, emulator.client]) await client.deleteByQualifiedName('kafka_topic', topicName);
    const deleted = await stored([['kafka_topic', topicName]]);
    expect(deleted.real).toEqual(deleted.emulated);
    for (const batch of [[running(job, jobId, T0 + 60_000)], [running(other, otherId, T0 + 120_000)]]) {
      const onEmulator = await postEvents(emulator.emulator.url, batch);
      const onReal = await postEvents(REAL_URL, batch);
      expect(onReal.status, JSON.stringify(onReal.body)).toBe(onEmulator.status);
    }
    const { real, emulated } = await stored([['kafka_topic', topicName], ['flink_job', jobName(job)], ['flink_job', jobName(other)]]);
    expect((real[0] as AtlasEntity).status).toBe('ACTIVE');
    const inputsOf = (entity: unknown) =>
      ((entity as AtlasEntity).relationshipAttributes?.inputs as Array<{ displayText?: string; relationshipStatus?: string }>)
        .filter((i) => i.relationshipStatus === 'ACTIVE').map((i) => i.displayText);
    expect(inputsOf(real[1])).toEqual([topic.name]);
    expect(inputsOf(real[2])).toEqual([topic.name]);
    expect(real).toEqual(emulated);
  });

  it("hive 'default' database beside hbase 'default' namespace", async () => {
    const job = unique('defaults');
    const jobId = hexId();
    await sendToBoth([
      [withJob(statusEvent('RUNNING', T0, {
        lineage: {
          sources: [{ namespace: 'hbase://zk:2181', name: `${job}_users` }],
          sinks: [{ namespace: 'hive://metastore:9083', name: `default.${job.replaceAll('-', '_')}` }],
        },
      }), job, jobId)],
    ]);
    const { real, emulated } = await stored([['hive_db', 'default@primary'], ['hbase_namespace', 'default@primary'], ['flink_job', jobName(job)]]);
    expect(real[0]).toBeDefined();
    expect(real[1]).toBeDefined();
    expect(real).toEqual(emulated);
  });

  it('duplicates are no-ops: the same batch twice leaves the same entities', async () => {
    const job = unique('dupes');
    const jobId = hexId();
    const batch = [
      withJob(statusEvent('RUNNING', T0, { job: { startTime: T0 }, lineage: { sources: [{ namespace: 'kafka://kafka-1:9092', name: `${job}-in` }], sinks: [] } }), job, jobId),
      withJob(statusEvent('FINISHED', T0 + 1000, { job: { endTime: T0 + 1000 } }), job, jobId),
    ];
    await sendToBoth([batch]);
    const before = await realAtlas.getEntityByQualifiedName('flink_job_run', runName(job, jobId));
    await sendToBoth([batch, batch]);
    const after = await realAtlas.getEntityByQualifiedName('flink_job_run', runName(job, jobId));
    expect(after?.entity.version).toBe(before?.entity.version);
    expect(after?.entity.updateTime).toBe(before?.entity.updateTime);
    const { real, emulated } = await stored([['flink_job_run', runName(job, jobId)]]);
    expect(real).toEqual(emulated);
  });

  it('a short fault run (duplicated, out of order): the same final state on both', async () => {
    const { events } = generateWorkload(60, 7);
    const shuffled = [...events].reverse();
    await sendToBoth([shuffled.slice(0, 30), shuffled.slice(30), events.slice(0, 10)]);
    const runs = [...new Set(events.flatMap((e) => ('id' in e.job && e.job.id ? [runName(e.job.name, e.job.id).replace('flink-prod', e.cluster)] : [])))];
    const { real, emulated } = await stored(runs.map((qn) => ['flink_job_run', qn] as const));
    expect(real.filter((r) => r !== undefined).length).toBe(runs.length);
    expect(real).toEqual(emulated);
  });
});
