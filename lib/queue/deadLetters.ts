// Operator tools over the dead-letter queue: list what is there and why, and redrive after a fix.
import type { Message } from '@aws-sdk/client-sqs';
import { retryMessageBodySchema, type OutgoingMessage } from './messages.js';
import { attributeOf, type RetryQueue } from './retryQueue.js';

export interface DeadLetterRow {
  messageId: string;
  eventIds: string[];
  jobName: string;
  jobId?: string;
  status?: string;
  errorCode?: string;
  errorMessage?: string;
  firstFailureAt?: string;
  receiveCount: number;
}

/** `key=value` filters on the row: jobName, jobId, errorCode, eventId. */
export type DeadLetterFilter = Partial<Record<'jobName' | 'jobId' | 'errorCode' | 'eventId', string>>;

export const toRow = (message: Message): DeadLetterRow => {
  const receiveCount = Number(attributeOf(message, 'receiveCount') ?? message.Attributes?.ApproximateReceiveCount ?? 0);
  const optional = (name: string) => {
    const value = attributeOf(message, name);
    return value === undefined ? {} : { [name]: value };
  };
  return {
    messageId: message.MessageId ?? '',
    eventIds: (attributeOf(message, 'eventIds') ?? '').split(',').filter((id) => id !== ''),
    jobName: attributeOf(message, 'jobName') ?? '',
    ...optional('jobId'),
    ...optional('status'),
    ...optional('errorCode'),
    ...optional('errorMessage'),
    ...optional('firstFailureAt'),
    receiveCount,
  };
};

export const matches = (row: DeadLetterRow, filter: DeadLetterFilter): boolean =>
  (filter.jobName === undefined || row.jobName === filter.jobName) &&
  (filter.jobId === undefined || row.jobId === filter.jobId) &&
  (filter.errorCode === undefined || row.errorCode === filter.errorCode) &&
  (filter.eventId === undefined || row.eventIds.includes(filter.eventId));

export const parseFilter = (pairs: readonly string[]): DeadLetterFilter => {
  const filter: DeadLetterFilter = {};
  for (const pair of pairs) {
    const [key, ...rest] = pair.split('=');
    const value = rest.join('=');
    if (key !== 'jobName' && key !== 'jobId' && key !== 'errorCode' && key !== 'eventId') {
      throw new Error(`unknown filter "${key}": use jobName=, jobId=, errorCode= or eventId=`);
    }
    filter[key] = value;
  }
  return filter;
};

// Messages stay hidden this long while we look at them; long enough for one pass over a large DLQ.
const PEEK_SECONDS = 60;

/** Receives up to `max` messages, hiding them while we look; the caller decides what becomes of each. */
const drain = async (queue: RetryQueue, max: number): Promise<Message[]> => {
  const seen = new Map<string, Message>();
  while (seen.size < max) {
    const batch = await queue.receive('deadLetter', { max: Math.min(10, max - seen.size), visibilityTimeout: PEEK_SECONDS });
    if (batch.length === 0) break;
    for (const message of batch) if (message.MessageId !== undefined) seen.set(message.MessageId, message);
  }
  return [...seen.values()];
};

const release = async (queue: RetryQueue, messages: readonly Message[]): Promise<void> => {
  for (const message of messages) {
    if (message.ReceiptHandle !== undefined) await queue.changeVisibility(message.ReceiptHandle, 0, 'deadLetter');
  }
};

/** The dead letters themselves, bodies included, made visible again right after: for `flink-atlas dlq show`. */
export const peekDeadLetters = async (queue: RetryQueue, max = 1000): Promise<Message[]> => {
  const messages = await drain(queue, max);
  await release(queue, messages);
  return messages;
};

export const listDeadLetters = async (queue: RetryQueue, max = 1000): Promise<DeadLetterRow[]> =>
  (await peekDeadLetters(queue, max)).map(toRow);

export interface RedriveOptions {
  dryRun?: boolean;
  max?: number;
  filter?: DeadLetterFilter;
  onProgress?: (done: number, total: number) => void;
}

export interface RedriveReport {
  moved: DeadLetterRow[];
  /** Messages whose body is not a retry message (malformed): they stay in the DLQ for a human. */
  kept: DeadLetterRow[];
  dryRun: boolean;
}

/** Moves matching dead letters back to the retry queue (send first, then delete: never lost, at worst twice). */
export const redriveDeadLetters = async (queue: RetryQueue, options: RedriveOptions = {}): Promise<RedriveReport> => {
  const max = options.max ?? 1000;
  const messages = await drain(queue, 10_000);
  const report: RedriveReport = { moved: [], kept: [], dryRun: options.dryRun ?? false };
  const untouched: Message[] = [];
  const selected = messages.filter((m) => {
    const keep = matches(toRow(m), options.filter ?? {});
    if (!keep) untouched.push(m);
    return keep;
  });
  const toMove = selected.slice(0, max);
  untouched.push(...selected.slice(max));
  let done = 0;
  for (const message of toMove) {
    const row = toRow(message);
    const parsed = retryMessageBodySchema().safeParse((() => {
      try {
        return JSON.parse(message.Body ?? '') as unknown;
      } catch {
        return undefined;
      }
    })());
    if (!parsed.success) {
      report.kept.push(row);
      untouched.push(message);
    } else if (report.dryRun) {
      report.moved.push(row);
      untouched.push(message);
    } else {
      const outgoing: OutgoingMessage = { body: { ...parsed.data, stage: 'retry' } };
      await queue.send([outgoing], 'retry');
      await queue.delete('deadLetter', [message.ReceiptHandle ?? '']);
      report.moved.push(row);
    }
    done += 1;
    options.onProgress?.(done, toMove.length);
  }
  await release(queue, untouched);
  return report;
};
