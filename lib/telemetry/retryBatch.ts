// The worker's lines: one per SQS message, with the correlation id its sender's request had (carried in the
// message body), the events it holds and what became of it, plus the counts of the batch.
import { count, logger } from './index.js';

export interface RetryRecordLike {
  messageId: string;
  body: string;
  receiveCount: number;
}

const describeBody = (body: string): { correlationId?: string; stage?: string; eventIds?: string[] } => {
  try {
    const parsed = JSON.parse(body) as { correlationId?: unknown; stage?: unknown; events?: unknown };
    const eventIds = Array.isArray(parsed.events)
      ? parsed.events.flatMap((e) => (typeof (e as { eventId?: unknown })?.eventId === 'string' ? [(e as { eventId: string }).eventId] : []))
      : undefined;
    return {
      ...(typeof parsed.correlationId === 'string' ? { correlationId: parsed.correlationId } : {}),
      ...(typeof parsed.stage === 'string' ? { stage: parsed.stage } : {}),
      ...(eventIds === undefined ? {} : { eventIds: eventIds.slice(0, 50) }),
    };
  } catch {
    return {};
  }
};

export const logRetryBatch = (
  records: readonly RetryRecordLike[],
  result: { batchItemFailures: readonly { itemIdentifier: string }[] },
  latencyMs: number,
): void => {
  const retried = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
  for (const record of records) {
    logger.info('retry message', {
      messageId: record.messageId,
      ...describeBody(record.body),
      receiveCount: record.receiveCount,
      // done: written, confirmed or dead-lettered (a dead-lettered message is also logged at error level).
      outcome: retried.has(record.messageId) ? 'retry-later' : 'done',
      latencyMs,
    });
  }
  count('RetryMessagesDone', records.length - retried.size);
  count('RetryMessagesRetried', retried.size);
};
