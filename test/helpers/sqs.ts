import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { expect } from 'vitest';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { RetryQueue } from '../../lib/queue/index.js';

export const QUEUE_URLS = {
  retry: 'https://sqs.eu-west-1.amazonaws.com/123456789012/flink-atlas-bridge-retry',
  deadLetter: 'https://sqs.eu-west-1.amazonaws.com/123456789012/flink-atlas-bridge-dlq',
};

/** A RetryQueue on a real SQSClient: tests intercept it with aws-sdk-client-mock's mockClient(SQSClient). */
export const mockedQueue = (): RetryQueue =>
  new RetryQueue(new SQSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }), QUEUE_URLS);

/** The entries a mocked SQSClient was asked to send to `url`, in order. */
export const entriesSentTo = (sqs: AwsClientStub<SQSClient>, url: string) =>
  sqs.commandCalls(SendMessageBatchCommand).filter((c) => c.args[0].input.QueueUrl === url).flatMap((c) => c.args[0].input.Entries ?? []);

/** Asserts a queue of the local stack holds nothing visible or in flight. */
export const expectQueueEmpty = async (queueUrl: string): Promise<void> => {
  const sqs = new SQSClient({ region: 'eu-west-1', endpoint: new URL(queueUrl).origin, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  } finally {
    sqs.destroy();
  }
};
