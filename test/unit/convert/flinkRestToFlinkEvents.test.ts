import { describe, expect, it } from 'vitest';
import { parseFlinkRestBody, type FlinkEvent } from '../../../lib/contract/index.js';
import { InputRejection } from '../../../lib/errors.js';
import { flinkRestToFlinkEvents } from '../../../lib/convert/index.js';
import { ingestFlinkRest } from '../../../lib/ingest/index.js';
import { naming } from '../../helpers/events.js';
import { executionResult, REST_JOB_ID, restJob, START } from '../../helpers/flinkRest.js';
import { MemoryAtlas } from '../../helpers/memoryAtlas.js';

const convert = (body: unknown, cluster = 'flink-prod'): FlinkEvent[] => {
  const parsed = parseFlinkRestBody(body);
  if (!parsed.ok) throw new Error(`invalid: ${JSON.stringify(parsed.problems)}`);
  return flinkRestToFlinkEvents(parsed.value, { cluster });
};

describe('Function: flinkRestToFlinkEvents', () => {
  it('maps a running job to one job.status event at the JSON\'s now, with end-time -1 left unset', () => {
    const events = convert(restJob('RUNNING'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'job.status',
      eventTime: new Date(START + 3_600_500).toISOString(),
      cluster: 'flink-prod',
      job: { id: REST_JOB_ID, name: 'orders-enrichment', status: 'RUNNING', executionMode: 'STREAMING', startTime: START },
    });
    expect(events[0]?.job).not.toHaveProperty('endTime');
  });

  it('adds a job.result once the job is globally terminal, with records in from the sources and out to the sinks', () => {
    const [status, result] = convert(restJob('FINISHED'));
    expect(status).toMatchObject({ job: { status: 'FINISHED', endTime: START + 3_600_000 } });
    expect(result).toMatchObject({
      type: 'job.result',
      eventTime: new Date(START + 3_600_000).toISOString(),
      job: { id: REST_JOB_ID, name: 'orders-enrichment' },
      result: { netRuntimeMs: 3_600_000, accumulators: {}, recordsIn: 1200, recordsOut: 1100 },
    });
  });

  it('sends no job.result for a job that is only locally terminal (SUSPENDED)', () => {
    expect(convert(restJob('SUSPENDED')).map((e) => e.type)).toEqual(['job.status']);
  });

  it('leaves records unset when a vertex is both source and sink (a fully chained job)', () => {
    const job = restJob('FINISHED');
    job.vertices = [job.vertices[0]];
    job.plan.nodes = [{ id: job.vertices[0].id, parallelism: 2 }];
    const result = convert(job)[1];
    expect(result?.type === 'job.result' && result.result).toEqual({ netRuntimeMs: 3_600_000, accumulators: {} });
  });

  it('leaves records unset when the JSON has no plan to tell sources from sinks', () => {
    const { plan: _plan, ...job } = restJob('FINISHED');
    const result = convert(job)[1];
    expect(result?.type === 'job.result' && result.result).toEqual({ netRuntimeMs: 3_600_000, accumulators: {} });
  });

  it('takes the net runtime and the failure of the execution-result from the envelope', () => {
    const stackTrace = 'org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy\n\tat org.apache.flink...';
    const [status, result] = convert({
      job: restJob('FAILED'),
      executionResult: executionResult({ 'application-status': 'FAILED', 'net-runtime': 42_000, 'failure-cause': { class: 'org.apache.flink.runtime.JobException', 'stack-trace': stackTrace, 'serialized-throwable': 'rO0AB' } }),
    });
    expect(status).toMatchObject({ error: { message: 'org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy', stackTrace } });
    expect(result).toMatchObject({ result: { netRuntimeMs: 42_000 } });
  });

  it('derives the same event ids from the same JSON, so a retried POST is idempotent', () => {
    expect(convert(restJob('FINISHED')).map((e) => e.eventId)).toEqual(convert(restJob('FINISHED')).map((e) => e.eventId));
    expect(convert(restJob('RUNNING'))[0]?.eventId).not.toBe(convert(restJob('RUNNING', { now: START + 7_200_000 }))[0]?.eventId);
  });

  it('lower-cases the jid into the JobID', () => {
    expect(convert(restJob('RUNNING', { jid: REST_JOB_ID.toUpperCase() }))[0]?.job.id).toBe(REST_JOB_ID);
  });
});

describe('Function: parseFlinkRestBody', () => {
  it('names the missing field of a body that is not GET /jobs/:jobid JSON', () => {
    const { jid: _jid, ...withoutJid } = restJob();
    expect(parseFlinkRestBody(withoutJid)).toMatchObject({ ok: false, problems: [{ pointer: '/jid' }] });
  });

  it('points into the envelope', () => {
    expect(parseFlinkRestBody({ job: restJob('DONE') })).toMatchObject({ ok: false, problems: [{ pointer: '/job/state' }] });
  });

  it('refuses an execution-result of another job', () => {
    const other = executionResult({ id: '0123456789abcdef0123456789abcdef' });
    expect(parseFlinkRestBody({ job: restJob('FINISHED'), executionResult: other })).toMatchObject({
      ok: false,
      problems: [{ pointer: '/executionResult/job-execution-result/id' }],
    });
  });
});

describe('Function: ingestFlinkRest', () => {
  const deps = () => ({ atlas: new MemoryAtlas(), naming });

  it('writes the run with its status and result', async () => {
    const { atlas, ...rest } = deps();
    const report = await ingestFlinkRest(restJob('FINISHED'), { cluster: 'flink-prod' }, { atlas, ...rest });
    expect(report.results.map((r) => r.outcome)).toEqual(['written', 'written']);
    expect(atlas.entities.get(`flink_job_run|flink-prod/orders-enrichment/${REST_JOB_ID}@primary`)?.attributes).toMatchObject({
      status: 'FINISHED', startTime: START, endTime: START + 3_600_000, netRuntimeMs: 3_600_000, recordsIn: 1200, recordsOut: 1100,
    });
  });

  it('answers 400 naming the cluster parameter when it is missing', async () => {
    const error = await ingestFlinkRest(restJob(), {}, deps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputRejection);
    expect(error).toMatchObject({ status: 400, code: 'INVALID_PARAMETER', message: expect.stringContaining('cluster') });
  });

  it('answers 400 for a cluster that breaks the cluster rule', async () => {
    await expect(ingestFlinkRest(restJob(), { cluster: 'a/b' }, deps())).rejects.toMatchObject({ status: 400, code: 'INVALID_PARAMETER' });
  });

  it('reports a bad body as rejected without touching Atlas', async () => {
    const { atlas, ...rest } = deps();
    const report = await ingestFlinkRest({ jobs: [] }, { cluster: 'flink-prod' }, { atlas, ...rest });
    expect(report.results).toMatchObject([{ outcome: 'rejected', index: 0 }]);
    expect(atlas.reads + atlas.writes).toBe(0);
  });
});
