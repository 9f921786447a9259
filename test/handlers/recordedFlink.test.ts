// Replays what real Flink listeners sent in flink-it (test/fixtures/recorded-flink/<Flink version>/<listener>.json,
// recorded by the Java tests through a proxy in front of the local stack) through the handlers, and checks that the
// emulator ends up as it did behind the real stack: the Kafka topics, the job's Process linking them, the run's status.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { handler as flinkEventsHandler } from '../../functions/flinkEvents.js';
import { handler as openLineageHandler } from '../../functions/openLineage.js';
import { httpEvent, lambdaContext, parseResponse } from '../helpers/apiGateway.js';
import { useTestAtlas } from '../helpers/stack.js';

const ROOT = fileURLToPath(new URL('../fixtures/recorded-flink/', import.meta.url));

interface RecordedRequest {
  method: string;
  path: string;
  contentEncoding?: string;
  userAgent?: string;
  answeredStatus: number;
  /** An OpenLineage RunEvent (/api/v1/lineage), or an array of native events (/flink/events). */
  body: any;
}
interface Recording {
  listener: string;
  flinkVersion: string;
  requests: RecordedRequest[];
}

const read = (path: string): Recording => JSON.parse(readFileSync(`${ROOT}${path}`, 'utf8')) as Recording;
const versions = readdirSync(ROOT);
/** openlineage-flink alone on a job. */
const recordings: Array<[string, Recording]> = versions.flatMap((version) =>
  readdirSync(`${ROOT}${version}`)
    .filter((file) => file.startsWith('openlineage-flink') && !file.includes('beside'))
    .map((file): [string, Recording] => [`${version}/${file}`, read(`${version}/${file}`)]),
);
/** The bridge's own listener and openlineage-flink on one job. */
const besideRecordings = versions
  .filter((version) => readdirSync(`${ROOT}${version}`).includes('bridge-listener.json'))
  .map((version): [string, Recording, Recording] => [version, read(`${version}/bridge-listener.json`), read(`${version}/openlineage-flink-beside-bridge-listener.json`)]);

const atlas = useTestAtlas();
const stored = () => atlas.emulator.entities().filter((e) => e.status !== 'DELETED');
const entity = (typeName: string, qualifiedName: string) =>
  stored().find((e) => e.typeName === typeName && e.attributes.qualifiedName === qualifiedName);
const guidsOf = (refs: unknown) => ((refs ?? []) as Array<{ guid: string }>).map((r) => r.guid).sort();

/** Posts one recorded request the way the listener sent it (gzip as it was); credentials are not this test's subject. */
const replay = async (request: RecordedRequest) => {
  const json = JSON.stringify(request.body);
  const gzip = request.contentEncoding?.includes('gzip') ?? false;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: 'Bearer replay',
    ...(request.userAgent ? { 'user-agent': request.userAgent } : {}),
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  };
  const handler = request.path === '/flink/events' ? flinkEventsHandler : openLineageHandler;
  return parseResponse(await handler(httpEvent(gzip ? gzipSync(json) : json, { path: request.path, headers }), lambdaContext));
};

/** The Atlas state the Java test checked behind the real stack. */
const expectAtlasState = (recording: Recording) => {
  const { namespace, name } = recording.requests[0]!.body.job as { namespace: string; name: string };
  const jobId = recording.requests[0]!.body.run.facets.flink_job.jobId as string;
  // The topics are the ones the listener reported (openlineage-flink on Flink 1.20 reports no KafkaSink output).
  const start = recording.requests.find((r) => r.body.eventType === 'START')!.body;
  const topics = (datasets: Array<{ name: string }> = []) => datasets.map((d) => entity('kafka_topic', `${d.name}@primary`));
  const inputs = topics(start.inputs);
  const outputs = topics(start.outputs);
  expect(inputs).toHaveLength(1);
  for (const topic of [...inputs, ...outputs]) expect(topic?.attributes).toMatchObject({ name: topic?.attributes.topic });
  const job = entity('flink_job', `${namespace}/${name}@primary`);
  expect(guidsOf(job?.attributes.inputs)).toEqual(inputs.map((t) => t!.guid).sort());
  expect(guidsOf(job?.attributes.outputs)).toEqual(outputs.map((t) => t!.guid).sort());
  const completed = recording.requests.some((r) => r.body.eventType === 'COMPLETE');
  const run = entity('flink_job_run', `${namespace}/${name}/${jobId}@primary`);
  const running = recording.requests.some((r) => r.body.eventType === 'RUNNING');
  expect(run?.attributes.status).toBe(completed ? 'FINISHED' : running ? 'RUNNING' : 'INITIALIZING');
  return stored().map((e) => [e.typeName, e.attributes.qualifiedName, e.attributes.status ?? null]).sort();
};

describe('Handler: payloads real Flink listeners sent (test/fixtures/recorded-flink)', () => {
  it('has recordings of openlineage-flink on Flink 2 with and without detached tracking', () => {
    const names = recordings.map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/^2\.\d+\.\d+\/openlineage-flink\.json$/), expect.stringMatching(/^2\.\d+\.\d+\/openlineage-flink-not-detached\.json$/)]));
  });

  it.each(recordings)('%s: every request answered as the real stack answered it, Atlas holding the topics, the job and the run', async (_name, recording) => {
    for (const request of recording.requests) {
      const { status, body } = await replay(request);
      expect(status, JSON.stringify(body)).toBe(request.answeredStatus);
    }
    expectAtlasState(recording);
  });

  it.each(recordings)('%s: replayed in reverse order gives the same Atlas state', async (_name, recording) => {
    for (const request of recording.requests) expect((await replay(request)).status).toBe(200);
    const inOrder = expectAtlasState(recording);
    atlas.emulator.resetEntities();
    for (const request of [...recording.requests].reverse()) expect((await replay(request)).status).toBe(200);
    expect(expectAtlasState(recording)).toEqual(inOrder);
  });

  it.each(besideRecordings)('%s: the bridge\'s listener and openlineage-flink on one job land on the same entities, the run FINISHED with its result', async (_version, bridge, openLineage) => {
    const requests = [...bridge.requests, ...openLineage.requests];
    for (const request of requests) {
      const { status, body } = await replay(request);
      expect(status, JSON.stringify(body)).toBe(request.answeredStatus);
    }
    const { namespace, name } = openLineage.requests[0]!.body.job as { namespace: string; name: string };
    const jobId = openLineage.requests[0]!.body.run.facets.flink_job.jobId as string;
    const run = entity('flink_job_run', `${namespace}/${name}/${jobId}@primary`);
    expect(run?.attributes.status).toBe('FINISHED');
    expect(run?.attributes.netRuntimeMs).toBeGreaterThan(0);
    expect(stored().filter((e) => e.typeName === 'flink_job')).toHaveLength(1);
    expect(stored().filter((e) => e.typeName === 'flink_job_run')).toHaveLength(1);
    const start = openLineage.requests.find((r) => r.body.eventType === 'START')!.body;
    const job = entity('flink_job', `${namespace}/${name}@primary`);
    const topicGuids = (datasets: Array<{ name: string }>) => datasets.map((d) => entity('kafka_topic', `${d.name}@primary`)!.guid).sort();
    expect(guidsOf(job?.attributes.inputs)).toEqual(topicGuids(start.inputs));
    expect(guidsOf(job?.attributes.outputs)).toEqual(topicGuids(start.outputs));
    expect(stored().filter((e) => e.typeName === 'kafka_topic')).toHaveLength(start.inputs.length + start.outputs.length);
  });
});
