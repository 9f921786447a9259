// The whole retry loop over a real local SQS (local-aws-sqs): enqueue, fail, retry, dead-letter, redrive, drain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as flinkEvents } from '../../functions/flinkEvents.js';
import { handler as retryWorker } from '../../functions/retryWorker.js';
import { listDeadLetters, redriveDeadLetters, RetryQueue } from '../../lib/queue/index.js';
import { startSqsPoller, type SqsPoller } from '../../local/sqsPoller.js';
import { httpEvent, lambdaContext, parseResponse } from '../helpers/apiGateway.js';
import { JOB_ID, statusEvent, T0 } from '../helpers/events.js';
import { queueEnv, startLocalSqs, type LocalSqs } from '../../local/localSqs.js';
import { startTestAtlas, useBridgeEnv, type TestAtlas } from '../helpers/stack.js';
import { waitFor } from '../helpers/waitFor.js';

let atlas: TestAtlas;
let sqs: LocalSqs;
let queue: RetryQueue;
let poller: SqsPoller;
let restoreEnv: () => void;

beforeAll(async () => {
  atlas = await startTestAtlas();
  sqs = await startLocalSqs();
  queue = new RetryQueue(sqs.sqs, sqs.urls);
  restoreEnv = useBridgeEnv(atlas.emulator.url, {
    ...queueEnv(sqs),
    CONFIRM_DELAY_SECONDS: '1',
    BACKOFF_BASE_SECONDS: '1',
    BACKOFF_MAX_SECONDS: '1',
    // local-aws-sqs counts a visibility change as a receive, so each failed try counts twice here.
    MAX_RECEIVE_COUNT: '6',
  });
  poller = startSqsPoller(sqs.sqs, sqs.urls.retry, (event) => retryWorker(event, lambdaContext), { waitSeconds: 0 });
});

afterAll(async () => {
  await poller.stop();
  restoreEnv();
  sqs.sqs.destroy();
  await sqs.close();
  await atlas.emulator.close();
});

const queueEmpty = async () => {
  const depth = await queue.depth('retry');
  return depth.visible + depth.inFlight + depth.delayed === 0;
};

describe('Local SQS loop', () => {
  it('retries, dead-letters with the reason, redrives after the fix, and drains into Atlas', async () => {
    // Atlas refuses every write: the webhook is answered 202, the event is queued.
    atlas.emulator.setFault((req) => (req.isWrite ? { kind: 'status', status: 503 } : undefined));
    const event = statusEvent('RUNNING', T0);
    const posted = parseResponse(await flinkEvents(httpEvent(JSON.stringify(event)), lambdaContext));
    expect(posted.status).toBe(202);

    // The worker retries with backoff, then dead-letters it with its last error.
    await waitFor('the event to reach the dead-letter queue', async () => (await queue.depth('deadLetter')).visible === 1, 30_000);
    const [row] = await listDeadLetters(queue);
    expect(row).toMatchObject({ eventIds: [event.eventId], jobName: 'orders-enrichment', jobId: JOB_ID, status: 'RUNNING', errorCode: 'HTTP 503' });
    expect(atlas.emulator.entities()).toEqual([]);

    // The cause is fixed; a dry run moves nothing, the redrive moves it back and the worker drains it.
    atlas.emulator.setFault(undefined);
    expect((await redriveDeadLetters(queue, { dryRun: true })).moved).toHaveLength(1);
    expect((await redriveDeadLetters(queue, { filter: { jobName: 'orders-enrichment' } })).moved).toHaveLength(1);
    await waitFor('Atlas to hold the run', () => atlas.emulator.entities().some((e) => e.typeName === 'flink_job_run' && e.attributes.status === 'RUNNING'), 20_000);
    await waitFor('the queues to drain (including the confirmation)', queueEmpty, 20_000);
    expect((await queue.depth('deadLetter')).visible).toBe(0);
  });
});
