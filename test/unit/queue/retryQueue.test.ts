import {
  ChangeMessageVisibilityCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand,
  SendMessageBatchCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attributeOf, messageAttributes, QueueError, RetryQueue } from '../../../lib/queue/retryQueue.js';
import type { NativeEvent } from '../../../lib/contract/index.js';
import type { OutgoingMessage } from '../../../lib/queue/messages.js';
import { cancelledRun, statusEvent, T0 } from '../../helpers/events.js';
import { entriesSentTo, mockedQueue, QUEUE_URLS } from '../../helpers/sqs.js';

const outgoing = (events: NativeEvent[] = [statusEvent('RUNNING', T0)], extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  body: { v: 1, stage: 'retry', events },
  ...extra,
});

describe('messageAttributes', () => {
  it('carries the summary and the last Atlas failure, leaving out what is absent', () => {
    const run = cancelledRun();
    const attributes = messageAttributes(outgoing(run, {
      lastError: { kind: 'retryable', message: 'Atlas is down', status: 503 },
      receiveCount: 4,
    }));
    expect(attributes.jobName?.StringValue).toBe('orders-enrichment');
    expect(attributes.eventIds?.StringValue).toBe(run.map((e) => e.eventId).join(','));
    expect(attributes.errorKind?.StringValue).toBe('retryable');
    expect(attributes.errorCode?.StringValue).toBe('HTTP 503');
    expect(attributes.errorMessage?.StringValue).toBe('Atlas is down');
    expect(attributes.receiveCount?.StringValue).toBe('4');
    expect(attributes.firstFailureAt).toBeUndefined();
    expect(Object.keys(attributes).length).toBeLessThanOrEqual(10);
  });

  it("prefers Atlas's own error code over the HTTP status", () => {
    const attributes = messageAttributes(outgoing(undefined, {
      lastError: { kind: 'permanent', message: 'no type', status: 404, atlasCode: 'ATLAS-404-00-007' },
    }));
    expect(attributes.errorCode?.StringValue).toBe('ATLAS-404-00-007');
  });

  it('replaces characters SQS refuses in attribute values and bounds their length', () => {
    const attributes = messageAttributes(outgoing([statusEvent('RUNNING', T0, { job: { name: `bad\u0000name${'y'.repeat(2000)}` } })]));
    const value = attributes.jobName?.StringValue ?? '';
    expect(value.startsWith('bad?name')).toBe(true);
    expect(value.length).toBe(1000);
  });
});

describe('attributeOf', () => {
  it('reads a string attribute and is undefined for a missing one', () => {
    const message = { MessageAttributes: { jobName: { DataType: 'String', StringValue: 'j' } } };
    expect(attributeOf(message, 'jobName')).toBe('j');
    expect(attributeOf(message, 'jobId')).toBeUndefined();
    expect(attributeOf({}, 'jobName')).toBeUndefined();
  });
});

describe('RetryQueue', () => {
  const sqs = mockClient(SQSClient);
  beforeEach(() => sqs.reset());
  afterEach(() => sqs.reset());

  it('sends in batches of ten to the named queue, with bounded delays', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const messages = Array.from({ length: 23 }, (_, i) => outgoing(undefined, { delaySeconds: i === 0 ? 5000 : -3 }));
    await mockedQueue().send(messages, 'deadLetter');
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls.every((c) => c.args[0].input.QueueUrl === QUEUE_URLS.deadLetter)).toBe(true);
    const entries = entriesSentTo(sqs, QUEUE_URLS.deadLetter);
    expect(entries[0]?.DelaySeconds).toBe(900);
    expect(entries[1]?.DelaySeconds).toBe(0);
    expect(JSON.parse(entries[0]?.MessageBody ?? '')).toEqual(messages[0]?.body);
  });

  it('sends a raw body as it came instead of the parsed one', async () => {
    sqs.on(SendMessageBatchCommand).resolves({});
    await mockedQueue().send([outgoing(undefined, { raw: 'not json{' })]);
    expect(entriesSentTo(sqs, QUEUE_URLS.retry)[0]?.MessageBody).toBe('not json{');
  });

  it('throws QueueError when SQS refuses any message of a batch', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', Code: 'InvalidParameterValue', Message: 'too big', SenderFault: true }] });
    await expect(mockedQueue().send([outgoing()])).rejects.toThrow(QueueError);
    await expect(mockedQueue().send([outgoing()])).rejects.toThrow(/refused 1 message\(s\) for the retry queue: InvalidParameterValue: too big/);
  });

  it('throws QueueError when SQS cannot be reached', async () => {
    sqs.on(SendMessageBatchCommand).rejects(new Error('connect ECONNREFUSED'));
    await expect(mockedQueue().send([outgoing()])).rejects.toThrow(/SendMessageBatch to the retry queue failed: connect ECONNREFUSED/);
  });

  it('builds a lazily supplied client once, and again after a failed build', async () => {
    sqs.on(SendMessageBatchCommand).resolves({});
    let builds = 0;
    const client = new SQSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const queue = new RetryQueue(async () => {
      builds += 1;
      if (builds === 1) throw new Error('no credentials yet');
      return client;
    }, QUEUE_URLS);
    await expect(queue.send([outgoing()])).rejects.toThrow(/no credentials yet/);
    await queue.send([outgoing()]);
    await queue.send([outgoing()]);
    expect(builds).toBe(2);
  });

  it('receives with all attributes and at most ten messages', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ MessageId: 'm1' }] });
    const messages = await mockedQueue().receive('deadLetter', { max: 50, visibilityTimeout: 30 });
    expect(messages).toEqual([{ MessageId: 'm1' }]);
    const input = sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ QueueUrl: QUEUE_URLS.deadLetter, MaxNumberOfMessages: 10, VisibilityTimeout: 30, WaitTimeSeconds: 0 });
    expect(input?.MessageAttributeNames).toEqual(['All']);
    sqs.on(ReceiveMessageCommand).resolves({});
    expect(await mockedQueue().receive('retry', { max: 1, visibilityTimeout: 1 })).toEqual([]);
  });

  it('deletes in batches of ten and changes visibility on the named queue', async () => {
    sqs.on(DeleteMessageBatchCommand).resolves({});
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const queue = mockedQueue();
    await queue.delete('retry', Array.from({ length: 12 }, (_, i) => `h${i}`));
    expect(sqs.commandCalls(DeleteMessageBatchCommand).map((c) => c.args[0].input.Entries?.map((e) => e.ReceiptHandle))).toEqual([
      ['h0', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8', 'h9'], ['h10', 'h11'],
    ]);
    await queue.changeVisibility('h3', 0, 'deadLetter');
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE_URLS.deadLetter, ReceiptHandle: 'h3', VisibilityTimeout: 0,
    });
  });

  it('reports depth as visible, in flight and delayed, zero when SQS omits one', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({
      Attributes: { ApproximateNumberOfMessages: '7', ApproximateNumberOfMessagesNotVisible: '2' },
    });
    expect(await mockedQueue().depth('deadLetter')).toEqual({ visible: 7, inFlight: 2, delayed: 0 });
  });
});
