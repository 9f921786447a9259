import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AtlasError } from '../../../lib/atlas/index.js';
import type { FlinkEvent } from '../../../lib/contract/index.js';
import { processRetryBatch, retryRecordOf, type RetryRecord } from '../../../lib/ingest/index.js';
import { logger, metrics } from '../../../lib/telemetry/index.js';
import { cancelledRun, naming, statusEvent, T0 } from '../../helpers/events.js';
import { failingWith, MemoryAtlas } from '../../helpers/memoryAtlas.js';
import { entriesSentTo, mockedQueue, QUEUE_URLS } from '../../helpers/sqs.js';

const sqs = mockClient(SQSClient);

const record = (id: string, events: FlinkEvent[], receiveCount = 1, stage: 'retry' | 'confirm' = 'retry'): RetryRecord => ({
  messageId: id,
  receiptHandle: `handle-${id}`,
  body: JSON.stringify({ v: 1, stage, events }),
  receiveCount,
});

const deps = (atlas: MemoryAtlas) => ({ atlas, naming, queue: mockedQueue(), maxReceiveCount: 5, random: () => 0.5 });
const sentTo = (url: string) => entriesSentTo(sqs, url);

describe('Function: processRetryBatch', () => {
  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
  });
  afterEach(() => sqs.reset());

  it('logs one line per message: its correlation id, stage, events (at most 50) and outcome; and counts the batch', async () => {
    const lines: Array<[string, Record<string, unknown>]> = [];
    vi.spyOn(logger, 'info').mockImplementation((...args: unknown[]) => {
      lines.push([String(args[0]), args[1] as Record<string, unknown>]);
    });
    const counted: Array<[string, number]> = [];
    vi.spyOn(metrics, 'addMetric').mockImplementation((name, _unit, value) => {
      counted.push([name, value]);
      return metrics;
    });
    const run = cancelledRun();
    const many = Array.from({ length: 60 }, (_, i) => statusEvent('RUNNING', T0 + i));
    const records = [
      { ...record('m1', [run[0]!], 2), body: JSON.stringify({ v: 1, stage: 'retry', events: [run[0]], correlationId: 'msg_1' }) },
      record('m2', many),
      { ...record('m3', []), body: 'not json' },
    ];
    const atlas = failingWith(new MemoryAtlas(), () => new AtlasError('down', 'retryable', { status: 503 }));
    await processRetryBatch(records, deps(atlas));
    vi.restoreAllMocks();
    const messageLines = lines.filter(([message]) => message === 'retry message').map(([, line]) => ({ ...line, latencyMs: 0 }));
    expect(messageLines).toEqual([
      { messageId: 'm1', correlationId: 'msg_1', stage: 'retry', eventIds: [run[0]!.eventId], receiveCount: 2, outcome: 'retry-later', latencyMs: 0 },
      { messageId: 'm2', stage: 'retry', eventIds: many.slice(0, 50).map((e) => e.eventId), receiveCount: 1, outcome: 'retry-later', latencyMs: 0 },
      // Not a retry message: dead-lettered with its raw body, so done here.
      { messageId: 'm3', receiveCount: 1, outcome: 'done', latencyMs: 0 },
    ]);
    expect(counted).toEqual(expect.arrayContaining([['RetryMessagesDone', 1], ['RetryMessagesRetried', 2]]));
  });

  it('reads an SQS record with its receive count', () => {
    const sqsRecord = { messageId: 'm', receiptHandle: 'h', body: '{}', attributes: { ApproximateReceiveCount: '3' } };
    expect(retryRecordOf(sqsRecord as unknown as Parameters<typeof retryRecordOf>[0])).toEqual({ messageId: 'm', receiptHandle: 'h', body: '{}', receiveCount: 3 });
  });

  it('coalesces a batch of 10 messages into one Atlas read and one bulk write', async () => {
    const atlas = new MemoryAtlas();
    const events = cancelledRun();
    const records = Array.from({ length: 10 }, (_, i) => record(`m${i}`, [events[i % events.length]!]));
    const result = await processRetryBatch(records, deps(atlas));
    expect(result.batchItemFailures).toEqual([]);
    expect({ reads: atlas.reads, writes: atlas.writes }).toEqual({ reads: 1, writes: 1 });
  });

  it('reports exactly the messages Atlas failed on, and backs them off by Retry-After', async () => {
    const atlas = new MemoryAtlas();
    const bulkWrite = atlas.bulkWrite.bind(atlas);
    atlas.bulkWrite = async (request) => {
      if (request.entities.some((e) => String(e.attributes.qualifiedName).includes('/slow-job'))) {
        throw new AtlasError('HTTP 429', 'retryable', { status: 429, retryAfterMs: 120_000 });
      }
      return bulkWrite(request);
    };
    const slow = statusEvent('RUNNING', T0, { job: { name: 'slow-job' } });
    // Split by run only on permanent errors: a retryable failure fails its whole chunk, so use two batches.
    const ok = await processRetryBatch([record('ok', [statusEvent('RUNNING', T0)])], deps(atlas));
    const failed = await processRetryBatch([record('slow', [slow], 2)], deps(atlas));
    expect(ok.batchItemFailures).toEqual([]);
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: 'slow' }]);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)[0]?.args[0].input).toMatchObject({ ReceiptHandle: 'handle-slow', VisibilityTimeout: 120 });
  });

  it('dead-letters a message Atlas rejects once, with its reason, and does not report it as a failure', async () => {
    const atlas = failingWith(new MemoryAtlas(), () => new AtlasError('rejected', 'permanent', { status: 400, atlasCode: 'ATLAS-400-00-014' }));
    const result = await processRetryBatch([record('bad', [statusEvent('RUNNING', T0)])], deps(atlas));
    expect(result.batchItemFailures).toEqual([]);
    const [dead] = sentTo(QUEUE_URLS.deadLetter);
    expect(dead?.MessageAttributes).toMatchObject({ errorCode: { StringValue: 'ATLAS-400-00-014' }, receiveCount: { StringValue: '1' } });
    expect(sentTo(QUEUE_URLS.retry)).toHaveLength(0);
  });

  it('dead-letters a message still failing at maxReceiveCount, with its last error', async () => {
    const atlas = failingWith(new MemoryAtlas(), () => new AtlasError('no answer', 'retryable', { networkCode: 'ECONNRESET' }));
    const result = await processRetryBatch([record('m', [statusEvent('RUNNING', T0)], 5)], deps(atlas));
    expect(result.batchItemFailures).toEqual([]);
    expect(sentTo(QUEUE_URLS.deadLetter)[0]?.MessageAttributes?.errorMessage?.StringValue).toBe('no answer');
  });

  it('keeps a message when it cannot be dead-lettered', async () => {
    sqs.on(SendMessageBatchCommand).rejects(new Error('SQS down'));
    const atlas = failingWith(new MemoryAtlas(), () => new AtlasError('rejected', 'permanent', { status: 400 }));
    const result = await processRetryBatch([record('m', [statusEvent('RUNNING', T0)])], deps(atlas));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm' }]);
  });

  it('dead-letters an undecodable message as it came, without touching Atlas', async () => {
    const atlas = new MemoryAtlas();
    const result = await processRetryBatch([{ messageId: 'junk', receiptHandle: 'h', body: '{"v":1,"stage":"retry","events":[{"type":"nope"}]}', receiveCount: 1 }], deps(atlas));
    expect(result.batchItemFailures).toEqual([]);
    expect(atlas.writes).toBe(0);
    expect(sentTo(QUEUE_URLS.deadLetter)[0]).toMatchObject({
      MessageBody: '{"v":1,"stage":"retry","events":[{"type":"nope"}]}',
      MessageAttributes: { errorCode: { StringValue: 'MALFORMED_MESSAGE' } },
    });
  });

  it('finishes a confirmation without writing when Atlas already holds its events', async () => {
    const atlas = new MemoryAtlas();
    const event = statusEvent('RUNNING', T0);
    await processRetryBatch([record('first', [event])], { ...deps(atlas), confirmDelaySeconds: 30 });
    const writes = atlas.writes;
    const result = await processRetryBatch([record('confirm', [event], 1, 'confirm')], { ...deps(atlas), confirmDelaySeconds: 30 });
    expect(result.batchItemFailures).toEqual([]);
    expect(atlas.writes).toBe(writes);
    expect(sentTo(QUEUE_URLS.retry).filter((e) => JSON.parse(e.MessageBody!).stage === 'confirm')).toHaveLength(1);
  });

  it('confirms a retried event even when Atlas already holds it (its earlier write may have landed unanswered)', async () => {
    const atlas = new MemoryAtlas();
    const event = statusEvent('RUNNING', T0);
    await processRetryBatch([record('applied', [event])], deps(atlas));
    sqs.resetHistory();
    const result = await processRetryBatch([record('retried', [event], 2)], { ...deps(atlas), confirmDelaySeconds: 30 });
    expect(result.batchItemFailures).toEqual([]);
    expect(sentTo(QUEUE_URLS.retry).map((e) => JSON.parse(e.MessageBody!).stage)).toEqual(['confirm']);
  });

  it('rewrites a confirmed event that a concurrent writer overwrote', async () => {
    const atlas = new MemoryAtlas();
    const canceled = statusEvent('CANCELED', T0 + 10);
    await processRetryBatch([record('m', [canceled])], deps(atlas));
    // A concurrent writer with a stale read put RUNNING back.
    const run = [...atlas.entities.values()].find((e) => e.typeName === 'flink_job_run')!;
    Object.assign(run.attributes, { status: 'RUNNING', lastEventTime: T0 + 5, endTime: undefined });
    await processRetryBatch([record('c', [canceled], 1, 'confirm')], deps(atlas));
    expect(run.attributes.status).toBe('CANCELED');
  });
});
