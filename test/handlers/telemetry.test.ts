// What the functions leave behind: one log line per event, correlation ids from the sender through the queue
// to the worker, and the EMF metrics.
import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as flinkEvents } from '../../functions/flinkEvents.js';
import { handler as retryWorker } from '../../functions/retryWorker.js';
import { httpEvent, lambdaContext, parseResponse } from '../helpers/apiGateway.js';
import { captureOutput, jsonLines } from '../helpers/captureLogs.js';
import { statusEvent, T0 } from '../helpers/events.js';
import { signatureHeaders, TEST_WEBHOOK_SECRET } from '../helpers/signing.js';
import { QUEUE_URLS } from '../helpers/sqs.js';
import { useTestAtlas } from '../helpers/stack.js';

const sqs = mockClient(SQSClient);
const atlas = useTestAtlas({
  env: {
    RETRY_QUEUE_URL: QUEUE_URLS.retry, DEAD_LETTER_QUEUE_URL: QUEUE_URLS.deadLetter, CONFIRM_DELAY_SECONDS: '0',
    AUTH_FLINK_EVENTS: 'signature', WEBHOOK_SECRETS: TEST_WEBHOOK_SECRET,
  },
});
beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  sqs.on(GetQueueAttributesCommand).resolves({ Attributes: {} });
});
afterEach(() => vi.unstubAllEnvs());

const postSigned = async (handler: typeof flinkEvents, body: unknown, id?: string) => {
  const text = JSON.stringify(body);
  return parseResponse(await handler(httpEvent(text, { headers: signatureHeaders(text, id === undefined ? {} : { id }) }), lambdaContext));
};

describe('Logs', () => {
  it('writes one line per event: event id, job, run, status, outcome, latency and the webhook-id as correlation id', async () => {
    const good = statusEvent('RUNNING', T0);
    const { output } = await captureOutput(() => postSigned(flinkEvents, [good, { type: 'job.status', eventId: 'not-a-uuid' }], 'msg_batch_1'));
    const lines = jsonLines(output).filter((l) => l.message === 'event');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      route: 'flinkEvents', correlationId: 'msg_batch_1', eventId: good.eventId, job: 'orders-enrichment', run: good.job.id,
      status: 'RUNNING', outcome: 'written', httpStatus: 207, latencyMs: expect.any(Number),
    });
    expect(lines[1]).toMatchObject({ correlationId: 'msg_batch_1', eventId: 'not-a-uuid', outcome: 'rejected', problems: expect.arrayContaining(['/1/eventId']) });
  });

  it('takes the eventId as correlation id when there is no webhook-id (auth none or API key)', async () => {
    atlas.replaceEnv({ AUTH_FLINK_EVENTS: 'none' });
    const event = statusEvent('RUNNING', T0);
    const { output } = await captureOutput(async () => flinkEvents(httpEvent(JSON.stringify(event)), lambdaContext));
    expect(jsonLines(output).find((l) => l.message === 'event')).toMatchObject({ correlationId: event.eventId, outcome: 'written' });
  });

  it('logs a refusal once, with the reason, and not the body', async () => {
    const { output } = await captureOutput(async () => flinkEvents(httpEvent('{"job":{"name":"secret-looking job"}}'), lambdaContext));
    const refused = jsonLines(output).filter((l) => l.message === 'request refused');
    expect(refused).toEqual([expect.objectContaining({ httpStatus: 401, reason: 'MISSING_SIGNATURE_HEADERS' })]);
    expect(output).not.toContain('secret-looking job');
  });

  it('carries the correlation id into the queued message, and the worker logs it per message', async () => {
    atlas.emulator.setFault(() => ({ kind: 'status', status: 503 }));
    const event = statusEvent('RUNNING', T0);
    expect((await postSigned(flinkEvents, event, 'msg_through_the_queue')).status).toBe(202);
    const body = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0]?.MessageBody ?? '';
    atlas.emulator.setFault(undefined);
    const sqsEvent = {
      Records: [{ messageId: 'm-1', receiptHandle: 'r-1', body, attributes: { ApproximateReceiveCount: '2' } }],
    } as unknown as SQSEvent;
    const { output, result } = await captureOutput(async () => retryWorker(sqsEvent, lambdaContext));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(jsonLines(output).find((l) => l.message === 'retry message')).toMatchObject({
      messageId: 'm-1', correlationId: 'msg_through_the_queue', eventIds: [event.eventId], outcome: 'done', receiveCount: 2,
    });
  });
});

describe('Metrics (EMF)', () => {
  it('counts accepted, rejected by reason, written and queued events, and times Atlas calls', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.resetModules();
    const { handler } = await import('../../functions/flinkEvents.js');
    const { output } = await captureOutput(async () => {
      await postSigned(handler, [statusEvent('RUNNING', T0), { type: 'job.status' }]);
      await handler(httpEvent('{}'), lambdaContext);
      atlas.emulator.setFault(() => ({ kind: 'status', status: 503 }));
      await postSigned(handler, statusEvent('FINISHED', T0 + 1));
    });
    const docs = jsonLines(output).filter((l) => l._aws !== undefined);
    const total = (name: string, reason?: string) =>
      docs.filter((d) => reason === undefined || d.reason === reason).reduce((sum, d) => {
        const value = d[name];
        return sum + (Array.isArray(value) ? value.reduce((a: number, b: number) => a + b, 0) : typeof value === 'number' ? value : 0);
      }, 0);
    expect(total('EventsAccepted')).toBe(2);
    expect(total('EventsWritten')).toBe(1);
    expect(total('EventsQueued')).toBe(1);
    expect(total('Rejected', 'INVALID_EVENT')).toBe(1);
    expect(total('Rejected', 'MISSING_SIGNATURE_HEADERS')).toBe(1);
    expect(docs.some((d) => 'AtlasReadLatency' in d)).toBe(true);
    expect(docs.some((d) => 'AtlasWriteLatency' in d)).toBe(true);
    expect(docs.every((d) => (d._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics[0]?.Namespace === 'FlinkAtlasBridge')).toBe(true);
  });
});
