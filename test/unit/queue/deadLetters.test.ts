import {
  ChangeMessageVisibilityCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  listDeadLetters, matches, parseFilter, peekDeadLetters, redriveDeadLetters, toRow,
} from '../../../lib/queue/deadLetters.js';
import { messageAttributes } from '../../../lib/queue/retryQueue.js';
import { statusEvent, T0 } from '../../helpers/events.js';
import { entriesSentTo, mockedQueue, QUEUE_URLS } from '../../helpers/sqs.js';

const jobIdOf = (n: number) => n.toString(16).padStart(32, '0');

const deadLetter = (n: number, jobName = 'orders-enrichment', body?: string): Message => {
  const events = [statusEvent('FAILED', T0 + n, { job: { name: jobName, id: jobIdOf(n) } })];
  const parsed = { v: 1 as const, stage: 'retry' as const, events };
  return {
    MessageId: `m${n}`,
    ReceiptHandle: `r${n}`,
    Body: body ?? JSON.stringify({ ...parsed, stage: 'confirm' }),
    MessageAttributes: messageAttributes({ body: parsed, lastError: { kind: 'permanent', message: 'bad', atlasCode: 'ATLAS-400-00-01A' }, receiveCount: 5 }),
  };
};

describe('toRow', () => {
  it('reads what dlq list shows from the attributes alone', () => {
    const message = deadLetter(1);
    expect(toRow(message)).toEqual({
      messageId: 'm1',
      eventIds: [expect.any(String)],
      jobName: 'orders-enrichment',
      jobId: jobIdOf(1),
      status: 'FAILED',
      errorCode: 'ATLAS-400-00-01A',
      errorMessage: 'bad',
      receiveCount: 5,
    });
  });

  it('falls back to the SQS receive count and empty names for a message without attributes', () => {
    expect(toRow({ Attributes: { ApproximateReceiveCount: '3' } })).toEqual({ messageId: '', eventIds: [], jobName: '', receiveCount: 3 });
  });
});

describe('parseFilter and matches', () => {
  it('parses key=value pairs, keeping = inside values', () => {
    expect(parseFilter(['jobName=a=b', 'errorCode=HTTP 503'])).toEqual({ jobName: 'a=b', errorCode: 'HTTP 503' });
  });

  it('refuses an unknown key, naming it and the allowed ones', () => {
    expect(() => parseFilter(['cluster=prod'])).toThrow('unknown filter "cluster": use jobName=, jobId=, errorCode= or eventId=');
  });

  it('matches only rows that satisfy every given key', () => {
    const row = toRow(deadLetter(2));
    expect(matches(row, {})).toBe(true);
    expect(matches(row, { jobName: 'orders-enrichment', jobId: jobIdOf(2) })).toBe(true);
    expect(matches(row, { jobName: 'orders-enrichment', jobId: jobIdOf(3) })).toBe(false);
    expect(matches(row, { errorCode: 'HTTP 500' })).toBe(false);
    expect(matches(row, { eventId: row.eventIds[0] ?? '' })).toBe(true);
    expect(matches(row, { eventId: 'other' })).toBe(false);
  });
});

describe('dead-letter operations', () => {
  const sqs = mockClient(SQSClient);
  beforeEach(() => {
    sqs.reset();
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    sqs.on(SendMessageBatchCommand).resolves({});
    sqs.on(DeleteMessageBatchCommand).resolves({});
  });
  afterEach(() => sqs.reset());

  /** Answers receives as SQS would: up to MaxNumberOfMessages at a time, then nothing. */
  const dlqHolds = (messages: Message[]) => {
    const waiting = [...messages];
    sqs.on(ReceiveMessageCommand).callsFake((input: { MaxNumberOfMessages?: number }) => ({
      Messages: waiting.splice(0, input.MaxNumberOfMessages ?? 1),
    }));
  };
  const released = () => sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input.ReceiptHandle);
  const deleted = () => sqs.commandCalls(DeleteMessageBatchCommand).flatMap((c) => c.args[0].input.Entries?.map((e) => e.ReceiptHandle));

  it('lists every dead letter once and makes each visible again', async () => {
    const messages = Array.from({ length: 12 }, (_, i) => deadLetter(i));
    dlqHolds([...messages, messages[0] as Message]);
    const rows = await listDeadLetters(mockedQueue());
    expect(rows.map((r) => r.messageId)).toEqual(messages.map((m) => m.MessageId));
    expect(released().sort()).toEqual(messages.map((m) => m.ReceiptHandle).sort());
  });

  it('peeks at most max messages', async () => {
    dlqHolds(Array.from({ length: 12 }, (_, i) => deadLetter(i)));
    expect((await peekDeadLetters(mockedQueue(), 3)).length).toBe(3);
  });

  it('redrives matching letters to the retry queue as retry-stage bodies, deleting them only after the send', async () => {
    dlqHolds([deadLetter(1, 'a'), deadLetter(2, 'b'), deadLetter(3, 'a')]);
    const progress: string[] = [];
    const report = await redriveDeadLetters(mockedQueue(), { filter: { jobName: 'a' }, onProgress: (d, t) => progress.push(`${d}/${t}`) });
    expect(report.moved.map((r) => r.messageId)).toEqual(['m1', 'm3']);
    expect(report.kept).toEqual([]);
    const sent = entriesSentTo(sqs, QUEUE_URLS.retry).map((e) => JSON.parse(e.MessageBody ?? '') as { stage: string });
    expect(sent.map((b) => b.stage)).toEqual(['retry', 'retry']);
    expect(deleted()).toEqual(['r1', 'r3']);
    expect(released()).toEqual(['r2']);
    expect(progress).toEqual(['1/2', '2/2']);
  });

  it('keeps a malformed body in the dead-letter queue for a human', async () => {
    dlqHolds([deadLetter(1, 'a', 'not json'), deadLetter(2, 'a', '{"v":1}')]);
    const report = await redriveDeadLetters(mockedQueue());
    expect(report.kept.map((r) => r.messageId)).toEqual(['m1', 'm2']);
    expect(report.moved).toEqual([]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(deleted()).toEqual([]);
    expect(released().sort()).toEqual(['r1', 'r2']);
  });

  it('moves nothing on a dry run but reports what it would move', async () => {
    dlqHolds([deadLetter(1), deadLetter(2)]);
    const report = await redriveDeadLetters(mockedQueue(), { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, kept: [] });
    expect(report.moved.map((r) => r.messageId)).toEqual(['m1', 'm2']);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(deleted()).toEqual([]);
  });

  it('redrives at most max letters and releases the rest', async () => {
    dlqHolds([deadLetter(1), deadLetter(2), deadLetter(3)]);
    const report = await redriveDeadLetters(mockedQueue(), { max: 1 });
    expect(report.moved.map((r) => r.messageId)).toEqual(['m1']);
    expect(released().sort()).toEqual(['r2', 'r3']);
  });
});
