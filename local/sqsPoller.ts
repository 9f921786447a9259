// Locally, nothing triggers a Lambda from SQS: this poller plays the event source mapping. It receives up to
// 10 messages, calls the worker's handler with an SQSEvent, and deletes what the handler did not report
// in batchItemFailures: the same contract as ReportBatchItemFailures in AWS.
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface SqsPoller {
  stop(): Promise<void>;
  /** Resolves once a receive comes back empty (the queue has nothing visible). */
  idle(): Promise<void>;
}

export const startSqsPoller = (sqs: SQSClient, queueUrl: string, handler: SqsHandler, options: { waitSeconds?: number; onError?: (e: unknown) => void } = {}): SqsPoller => {
  let running = true;
  let idleWaiters: (() => void)[] = [];
  const loop = (async () => {
    while (running) {
      try {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: options.waitSeconds ?? 1,
            MessageSystemAttributeNames: ['All'],
            AttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        if (Messages.length === 0) {
          idleWaiters.forEach((resolve) => resolve());
          idleWaiters = [];
          continue;
        }
        const event: SQSEvent = {
          Records: Messages.map((m) => ({
            messageId: m.MessageId ?? '',
            receiptHandle: m.ReceiptHandle ?? '',
            body: m.Body ?? '',
            attributes: {
              ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
              SentTimestamp: m.Attributes?.SentTimestamp ?? '0',
              SenderId: 'local',
              ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? '0',
            },
            messageAttributes: {},
            md5OfBody: m.MD5OfBody ?? '',
            eventSource: 'aws:sqs',
            eventSourceARN: queueUrl,
            awsRegion: 'local',
          })),
        };
        const failed = new Set(((await handler(event)) ?? { batchItemFailures: [] }).batchItemFailures.map((f) => f.itemIdentifier));
        const done = Messages.filter((m) => !failed.has(m.MessageId ?? ''));
        if (done.length > 0) {
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
            }),
          );
        }
      } catch (error) {
        // A failed invocation leaves the whole batch to reappear after its visibility timeout, as in AWS.
        options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
    idle: () => new Promise<void>((resolve) => idleWaiters.push(resolve)),
  };
};
