// Fleet mode through the bundled functions (serverless offline, local SQS, the retry worker polled as the event
// source mapping would, the Atlas emulator): the webhook answers 202 without touching Atlas, the worker writes;
// a checkpoint-only update within the interval is held, a status change lands.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStatus } from '../../lib/contract/index.js';
import { expectQueueEmpty } from '../helpers/sqs.js';
import { STACK_READY_TIMEOUT_MS, startTestStack, type RunningTestStack } from '../helpers/testStack.js';
import { atlasState, type AtlasState } from './atlasState.js';
import { eventually } from './cells.js';
import { send } from './transports.js';

const DRAIN_TIMEOUT_MS = 60_000;
const T0 = Date.parse('2026-12-01T08:00:00.000Z');
const MINUTE = 60_000;
const CLUSTER = 'fleet-e2e';
const jobId = (n: number): string => n.toString(16).padStart(32, '0');
const runName = (n: number): string => `${CLUSTER}/job-${n}/${jobId(n)}@primary`;

let stack: RunningTestStack;
let atlas: AtlasState;

const statusEvent = (n: number, status: JobStatus, at: number, completed?: number) => ({
  type: 'job.status',
  eventId: randomUUID(),
  eventTime: new Date(at).toISOString(),
  cluster: CLUSTER,
  job: { id: jobId(n), name: `job-${n}`, status, executionMode: 'STREAMING' },
  lineage: { sources: [{ namespace: 'kafka://kafka-1:9092', name: `in-${n}` }], sinks: [{ namespace: 'kafka://kafka-1:9092', name: `out-${n}` }] },
  ...(completed === undefined ? {} : { checkpoints: { completed, failed: 0, inProgress: 0, restored: 0, total: completed } }),
});

/** The retry queue holds nothing visible or in flight: the worker has drained what the webhook queued. */
const drainedQueue = (): Promise<void> => expectQueueEmpty(stack.info.retryQueueUrl);

const run = async (n: number) => (await atlas.entity('flink_job_run', runName(n)))?.attributes;

beforeAll(async () => {
  stack = await startTestStack({ DELIVERY_MODE: 'fleet', CHECKPOINT_WRITE_INTERVAL_SECONDS: '300', ATLAS_MAX_CONCURRENCY: '2' });
  atlas = atlasState(stack.info);
}, STACK_READY_TIMEOUT_MS + 60_000);

afterAll(() => stack?.kill());

describe('E2E: fleet mode (DELIVERY_MODE=fleet) through the bundled functions', () => {
  const jobs = [1, 2, 3];

  it('answers 202 with every event queued, then the worker writes them', async () => {
    const answer = await send(stack.info, { route: 'events', body: jobs.map((n) => statusEvent(n, 'RUNNING', T0, 1)) });
    expect(answer.status).toBe(202);
    expect(answer.data.queuedEventIds).toHaveLength(3);
    await eventually(async () => {
      for (const n of jobs) expect(await run(n)).toMatchObject({ status: 'RUNNING', checkpointsCompleted: 1 });
    }, DRAIN_TIMEOUT_MS);
  }, DRAIN_TIMEOUT_MS + 10_000);

  it('holds checkpoint counters a minute newer, and writes a status change sent after them', async () => {
    const heartbeats = await send(stack.info, { route: 'events', body: jobs.map((n) => statusEvent(n, 'RUNNING', T0 + MINUTE, 2)) });
    expect(heartbeats.status).toBe(202);
    await eventually(drainedQueue, DRAIN_TIMEOUT_MS);
    const cancel = await send(stack.info, { route: 'events', body: [statusEvent(1, 'CANCELED', T0 + MINUTE + 1_000)] });
    expect(cancel.status).toBe(202);
    await eventually(async () => expect(await run(1)).toMatchObject({ status: 'CANCELED' }), DRAIN_TIMEOUT_MS);
    // The heartbeats were drained and held (within 300 s of the stored counters); the status change was written.
    expect((await run(2))?.checkpointsCompleted).toBe(1);
    expect((await run(3))?.checkpointsCompleted).toBe(1);
  }, DRAIN_TIMEOUT_MS + 10_000);

  it('writes the counters once the interval has passed', async () => {
    const later = await send(stack.info, { route: 'events', body: [statusEvent(2, 'RUNNING', T0 + 6 * MINUTE, 7)] });
    expect(later.status).toBe(202);
    await eventually(async () => expect((await run(2))?.checkpointsCompleted).toBe(7), DRAIN_TIMEOUT_MS);
  }, DRAIN_TIMEOUT_MS + 10_000);
});
