import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtlasError } from '../../../lib/atlas/index.js';
import { deliverEvents } from '../../../lib/ingest/index.js';
import { naming, statusEvent, T0 } from '../../helpers/events.js';
import { failingWith, MemoryAtlas } from '../../helpers/memoryAtlas.js';
import { entriesSentTo, mockedQueue, QUEUE_URLS } from '../../helpers/sqs.js';

const sqs = mockClient(SQSClient);
const unavailable = () => new AtlasError('Atlas bulk write failed with HTTP 503', 'retryable', { status: 503, retryAfterMs: 30_000 });
const rejected = () =>
  new AtlasError('Atlas bulk write failed with HTTP 404: ATLAS-404-00-007', 'permanent', { status: 404, atlasCode: 'ATLAS-404-00-007' });

const sentTo = (url: string) => entriesSentTo(sqs, url);

describe('Function: deliverEvents', () => {
  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });
  afterEach(() => sqs.reset());

  it('queues the events of a run for retry, with the Atlas error as attributes, when Atlas is unavailable', async () => {
    const events = [statusEvent('RUNNING', T0), statusEvent('FINISHED', T0 + 1)];
    const outcomes = await deliverEvents(events.map((event, index) => ({ index, event })), {
      atlas: failingWith(new MemoryAtlas(), unavailable), naming, queue: mockedQueue(),
    });
    expect(outcomes.map((o) => o.outcome)).toEqual(['queued', 'queued']);
    const [message] = sentTo(QUEUE_URLS.retry);
    expect(JSON.parse(message!.MessageBody!)).toMatchObject({ v: 1, stage: 'retry', events: [{ job: { status: 'RUNNING' } }, { job: { status: 'FINISHED' } }] });
    expect(message!.MessageAttributes).toMatchObject({
      errorKind: { StringValue: 'retryable' }, errorCode: { StringValue: 'HTTP 503' }, jobName: { StringValue: 'orders-enrichment' },
    });
  });

  it('queues interleaved runs one message each, in body order, with each its first failure and its indexes', async () => {
    const run = (n: number, status: 'RUNNING' | 'FINISHED', at: number) =>
      statusEvent(status, at, { job: { id: `${n}`.padStart(32, '0'), name: `job-${n}` } });
    const events = [run(1, 'RUNNING', T0), run(2, 'RUNNING', T0), run(3, 'RUNNING', T0), run(1, 'FINISHED', T0 + 1), run(2, 'FINISHED', T0 + 1)];
    const outcomes = await deliverEvents(events.map((event, index) => ({ index, event })), {
      atlas: failingWith(new MemoryAtlas(), unavailable), naming, queue: mockedQueue(),
    });
    expect(outcomes.map((o) => [o.index, o.outcome])).toEqual(events.map((_, i) => [i, 'queued']));
    const bodies = sentTo(QUEUE_URLS.retry).map((m) => JSON.parse(m.MessageBody!) as { events: { eventId: string }[] });
    const ids = (...indexes: number[]) => indexes.map((i) => events[i]!.eventId);
    expect(bodies.map((b) => b.events.map((e) => e.eventId))).toEqual([ids(0, 3), ids(1, 4), ids(2)]);
    expect(sentTo(QUEUE_URLS.retry).map((m) => m.MessageAttributes?.errorCode?.StringValue)).toEqual(['HTTP 503', 'HTTP 503', 'HTTP 503']);
  });

  it('answers failed, not queued, when SQS refuses the message too', async () => {
    sqs.on(SendMessageBatchCommand).rejects(new Error('ServiceUnavailable'));
    const outcomes = await deliverEvents([{ index: 0, event: statusEvent('RUNNING', T0) }], {
      atlas: failingWith(new MemoryAtlas(), unavailable), naming, queue: mockedQueue(),
    });
    expect(outcomes).toMatchObject([{ outcome: 'failed', error: { kind: 'retryable' } }]);
  });

  it('dead-letters an event Atlas rejects, once, and never queues it for retry', async () => {
    const outcomes = await deliverEvents([{ index: 0, event: statusEvent('RUNNING', T0) }], {
      atlas: failingWith(new MemoryAtlas(), rejected), naming, queue: mockedQueue(),
    });
    expect(outcomes).toMatchObject([{ outcome: 'dead-lettered', error: { atlasCode: 'ATLAS-404-00-007' } }]);
    expect(sentTo(QUEUE_URLS.retry)).toHaveLength(0);
    expect(sentTo(QUEUE_URLS.deadLetter)).toHaveLength(1);
    expect(sentTo(QUEUE_URLS.deadLetter)[0]?.MessageAttributes?.errorCode).toEqual({ DataType: 'String', StringValue: 'ATLAS-404-00-007' });
  });

  it('queues a delayed confirmation for events that changed Atlas, and none for a duplicate', async () => {
    const atlas = new MemoryAtlas();
    const event = statusEvent('RUNNING', T0);
    const deps = { atlas, naming, queue: mockedQueue(), confirmDelaySeconds: 60 };
    await deliverEvents([{ index: 0, event }], deps);
    await deliverEvents([{ index: 0, event }], deps);
    const confirmations = sentTo(QUEUE_URLS.retry);
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]).toMatchObject({ DelaySeconds: 60 });
    expect(JSON.parse(confirmations[0]!.MessageBody!)).toMatchObject({ stage: 'confirm' });
  });

  it('still reports written when the confirmation cannot be queued: the event is safe in Atlas', async () => {
    sqs.on(SendMessageBatchCommand).rejects(new Error('throttled'));
    const outcomes = await deliverEvents([{ index: 0, event: statusEvent('RUNNING', T0) }], {
      atlas: new MemoryAtlas(), naming, queue: mockedQueue(), confirmDelaySeconds: 60,
    });
    expect(outcomes[0]?.outcome).toBe('written');
  });
});
