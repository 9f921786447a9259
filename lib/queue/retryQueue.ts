// The one queue module: the retry queue, its dead-letter queue, and the few SQS calls the bridge makes.
import type { Message, MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import { summarize, type OutgoingMessage } from './messages.js';

/**
 * The SDK's SQS module, loaded on the first queue call and not when the function loads: the SDK takes longer to
 * load than the whole bundle (bench: ~55 ms of a cold start), and a request that queues nothing never needs it.
 */
const sqsSdk = (): Promise<typeof import('@aws-sdk/client-sqs')> => import('@aws-sdk/client-sqs');

/** An SQS client, or how to build one when the queue is first used (lib/runtime builds it lazily). */
export type SqsClientSource = SQSClient | (() => Promise<SQSClient>);

export interface QueueUrls {
  retry: string;
  deadLetter: string;
}

export type QueueName = keyof QueueUrls;

/** SQS refused or could not be reached: the events are NOT durably queued. */
export class QueueError extends Error {
  override readonly name = 'QueueError';
}

// SQS accepts only these characters in attribute values (and bodies); job names may hold anything.
const sqsSafe = (text: string, max = 1000): string =>
  text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu, '?').slice(0, max);

const stringAttribute = (value: string | number | undefined): MessageAttributeValue | undefined =>
  value === undefined || value === '' ? undefined : { DataType: 'String', StringValue: sqsSafe(String(value)) };

/** At most 10 attributes per SQS message: these are the ones `dlq list` and filters read. */
export const messageAttributes = (message: OutgoingMessage): Record<string, MessageAttributeValue> => {
  const summary = summarize(message.body.events);
  const error = message.lastError;
  const candidates: Record<string, MessageAttributeValue | undefined> = {
    eventIds: stringAttribute(summary.eventIds.join(',')),
    jobName: stringAttribute(summary.jobName),
    jobId: stringAttribute(summary.jobId),
    status: stringAttribute(summary.status),
    firstFailureAt: stringAttribute(message.body.firstFailureAt),
    errorKind: stringAttribute(error?.kind),
    errorCode: stringAttribute(error?.atlasCode ?? (error?.status === undefined ? undefined : `HTTP ${error.status}`)),
    errorMessage: stringAttribute(error?.message),
    receiveCount: stringAttribute(message.receiveCount),
  };
  return Object.fromEntries(Object.entries(candidates).filter((e): e is [string, MessageAttributeValue] => e[1] !== undefined));
};

export const attributeOf = (message: Message, name: string): string | undefined => message.MessageAttributes?.[name]?.StringValue;

export class RetryQueue {
  readonly #source: SqsClientSource;
  #client: Promise<SQSClient> | undefined;

  constructor(
    sqs: SqsClientSource,
    readonly urls: QueueUrls,
  ) {
    this.#source = sqs;
  }

  /**
   * Starts loading the SDK and building the client without waiting for them, so that the load overlaps the
   * request's Atlas calls instead of following them. Failures surface on the first real call.
   */
  warm(): void {
    this.#sdk().catch(() => undefined);
  }

  /** The client and the SDK's command classes, loaded once (a failed load is tried again on the next call). */
  async #sdk(): Promise<{ sqs: SQSClient; commands: typeof import('@aws-sdk/client-sqs') }> {
    const source = this.#source;
    if (typeof source !== 'function') return { sqs: source, commands: await sqsSdk() };
    this.#client ??= source().catch((error: unknown) => {
      this.#client = undefined;
      throw error;
    });
    const [sqs, commands] = await Promise.all([this.#client, sqsSdk()]);
    return { sqs, commands };
  }

  /** Sends in batches of 10; throws QueueError unless every message was accepted. */
  async send(messages: readonly OutgoingMessage[], queue: QueueName = 'retry'): Promise<void> {
    for (let start = 0; start < messages.length; start += 10) {
      const batch = messages.slice(start, start + 10);
      let failed: string[];
      try {
        const { sqs, commands: { SendMessageBatchCommand } } = await this.#sdk();
        const response = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: this.urls[queue],
            Entries: batch.map((message, i) => ({
              Id: String(i),
              MessageBody: message.raw ?? JSON.stringify(message.body),
              MessageAttributes: messageAttributes(message),
              ...(message.delaySeconds === undefined ? {} : { DelaySeconds: Math.min(900, Math.max(0, Math.round(message.delaySeconds))) }),
            })),
          }),
        );
        failed = (response.Failed ?? []).map((f) => `${f.Code ?? 'error'}: ${f.Message ?? ''}`);
      } catch (error) {
        throw new QueueError(`SQS SendMessageBatch to the ${queue} queue failed: ${(error as Error).message}`, { cause: error });
      }
      if (failed.length > 0) throw new QueueError(`SQS refused ${failed.length} message(s) for the ${queue} queue: ${failed.join('; ')}`);
    }
  }

  async changeVisibility(receiptHandle: string, seconds: number, queue: QueueName = 'retry'): Promise<void> {
    const { sqs, commands: { ChangeMessageVisibilityCommand } } = await this.#sdk();
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: this.urls[queue], ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }),
    );
  }

  async receive(queue: QueueName, options: { max: number; visibilityTimeout: number; waitSeconds?: number }): Promise<Message[]> {
    const { sqs, commands: { ReceiveMessageCommand } } = await this.#sdk();
    const response = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.urls[queue],
        MaxNumberOfMessages: Math.min(10, options.max),
        VisibilityTimeout: options.visibilityTimeout,
        WaitTimeSeconds: options.waitSeconds ?? 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        // The older name of the same parameter, for SQS emulators that only know it (local-aws-sqs).
        AttributeNames: ['All'],
      }),
    );
    return response.Messages ?? [];
  }

  /** Approximate visible + in-flight + delayed messages, for logs and `dlq list`. */
  async depth(queue: QueueName): Promise<{ visible: number; inFlight: number; delayed: number }> {
    const { sqs, commands: { GetQueueAttributesCommand } } = await this.#sdk();
    const response = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.urls[queue],
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    const count = (name: string) => Number(response.Attributes?.[name as keyof typeof response.Attributes] ?? 0);
    return {
      visible: count('ApproximateNumberOfMessages'),
      inFlight: count('ApproximateNumberOfMessagesNotVisible'),
      delayed: count('ApproximateNumberOfMessagesDelayed'),
    };
  }

  async delete(queue: QueueName, receiptHandles: readonly string[]): Promise<void> {
    const { sqs, commands: { DeleteMessageBatchCommand } } = await this.#sdk();
    for (let start = 0; start < receiptHandles.length; start += 10) {
      const batch = receiptHandles.slice(start, start + 10);
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.urls[queue],
          Entries: batch.map((handle, i) => ({ Id: String(i), ReceiptHandle: handle })),
        }),
      );
    }
  }
}
