import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { handler } from '../../functions/flinkJobs.js';
import { httpEvent, lambdaContext, parseResponse } from '../helpers/apiGateway.js';
import { executionResult, REST_JOB_ID, restJob, START } from '../helpers/flinkRest.js';
import { useTestAtlas } from '../helpers/stack.js';

const PATH = '/flink/jobs';
const RUN_QN = `flink-prod/orders-enrichment/${REST_JOB_ID}@primary`;

const atlas = useTestAtlas();

const post = async (body: unknown, query: Record<string, string> = { cluster: 'flink-prod' }, headers: Record<string, string> = {}) => {
  const event = httpEvent(Buffer.isBuffer(body) ? body : JSON.stringify(body), { path: PATH, headers });
  return parseResponse(await handler({ ...event, rawQueryString: new URLSearchParams(query).toString(), queryStringParameters: query }, lambdaContext));
};

const run = () => atlas.emulator.entities().find((e) => e.typeName === 'flink_job_run' && e.attributes.qualifiedName === RUN_QN);


describe('Handler: POST /flink/jobs', () => {
  it('writes a running job\'s run from GET /jobs/:jobid JSON as it is, and answers 200', async () => {
    const { status, body } = await post(restJob('RUNNING'));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.results).toHaveLength(1);
    expect(run()?.attributes).toMatchObject({ status: 'RUNNING', startTime: START, executionMode: 'STREAMING', jobId: REST_JOB_ID });
  });

  it('writes status and result of a finished job sent in the envelope with its execution-result', async () => {
    const { status, body } = await post({ job: restJob('FINISHED'), executionResult: executionResult() });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.summary).toMatchObject({ written: 2 });
    expect(run()?.attributes).toMatchObject({ status: 'FINISHED', endTime: START + 3_600_000, netRuntimeMs: 3_599_000, recordsIn: 1200, recordsOut: 1100 });
  });

  it('accepts the JSON gzipped', async () => {
    const { status } = await post(gzipSync(JSON.stringify(restJob('RUNNING'))), { cluster: 'flink-prod' }, { 'content-encoding': 'gzip' });
    expect(status).toBe(200);
  });

  it('answers 400 naming the missing cluster parameter, and calls no Atlas', async () => {
    const { status, body } = await post(restJob('RUNNING'), {});
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'INVALID_PARAMETER', message: expect.stringContaining('cluster') });
    expect(atlas.emulator.stats.requests).toBe(0);
  });

  it('takes `now` up to the last ISO-8601 instant and refuses a later one pointing at /now, not at the converted event', async () => {
    const last = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    const atLast = await post({ ...restJob('RUNNING'), now: last });
    expect(atLast.status, JSON.stringify(atLast.body)).toBe(200);
    const after = await post({ ...restJob('RUNNING'), now: last + 1 });
    expect(after.status).toBe(400);
    expect(JSON.stringify(after.body)).toContain('"pointer":"/now"');
  });

  it('refuses a vertex parallelism over the contract\'s 1,000,000 pointing at the vertex, and leaves out -1 (unset)', async () => {
    const job = restJob('RUNNING');
    const vertices = job.vertices as Array<Record<string, unknown>>;
    const huge = await post({ ...job, vertices: [{ ...vertices[0], parallelism: 1_000_001 }, ...vertices.slice(1)] });
    expect(huge.status).toBe(400);
    expect(JSON.stringify(huge.body)).toContain('"pointer":"/vertices/0/parallelism"');
    const unset = await post({ ...job, vertices: [{ ...vertices[0], parallelism: -1 }, ...vertices.slice(1)] });
    expect(unset.status, JSON.stringify(unset.body)).toBe(200);
  });

  it('answers 400 pointing at what is wrong in the JSON', async () => {
    const { status, body } = await post(restJob('DONE'));
    expect(status).toBe(400);
    expect(body.results[0].problems).toEqual([expect.objectContaining({ pointer: '/state' })]);
  });
});
