// The retry worker's logic: one SQS batch in, as few Atlas calls as possible (the batch's events are
// coalesced into one read and one bulk write), and a per-message verdict: done, retry later with backoff,
// or dead-lettered with its reason. Partial batch failures: only the messages that must come back do.
import type { SQSRecord } from 'aws-lambda';
import {
  backoffSeconds, retryMessageBodySchema, toBodies,
  type BackoffPolicy, type OutgoingMessage, type RetryMessageBody, type RetryQueue,
} from '../queue/index.js';
import { count, logger } from '../telemetry/index.js';
import type { IngestDeps } from './deliverEvents.js';
import { writeFleetBatch } from './fleetWrite.js';
import { settle, type Dispatch } from './settle.js';
import type { IndexedEvent, WriteFailure, WriteOutcome } from './writeEvents.js';

export interface RetryRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** SQS ApproximateReceiveCount: 1 on first delivery. */
  receiveCount: number;
}

/** An SQS record as the worker reads it. */
export const retryRecordOf = (record: SQSRecord): RetryRecord => ({
  messageId: record.messageId,
  receiptHandle: record.receiptHandle,
  body: record.body,
  receiveCount: Number(record.attributes.ApproximateReceiveCount ?? '1'),
});

export interface WorkerDeps extends IngestDeps {
  queue: RetryQueue;
  /** On this delivery a still-failing message is dead-lettered by the worker, with its last error. */
  maxReceiveCount: number;
  backoff?: BackoffPolicy;
  random?: () => number;
}

export interface BatchResult {
  batchItemFailures: { itemIdentifier: string }[];
}

interface DecodedRecord {
  record: RetryRecord;
  body: RetryMessageBody;
  /** Index of each of its events in the coalesced write. */
  indexes: number[];
}

const decode = (record: RetryRecord): RetryMessageBody | string => {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch {
    return 'the message body is not JSON';
  }
  const parsed = retryMessageBodySchema().safeParse(json);
  return parsed.success ? parsed.data : `the message body is not a retry message: ${parsed.error.issues[0]?.message ?? ''}`;
};

const malformed = (reason: string): WriteFailure => ({ kind: 'permanent', atlasCode: 'MALFORMED_MESSAGE', message: reason });

/** The worker's line per message: the correlation id its sender's request had, its events, what became of it. */
const logMessages = (records: readonly RetryRecord[], decoded: readonly DecodedRecord[], retry: ReadonlySet<string>, latencyMs: number): void => {
  const bodies = new Map(decoded.map(({ record, body }) => [record.messageId, body]));
  for (const record of records) {
    const body = bodies.get(record.messageId);
    logger.info('retry message', {
      messageId: record.messageId,
      ...(body?.correlationId === undefined ? {} : { correlationId: body.correlationId }),
      ...(body === undefined ? {} : { stage: body.stage, eventIds: body.events.slice(0, 50).map((e) => e.eventId) }),
      receiveCount: record.receiveCount,
      // done: written, confirmed or dead-lettered (a dead-lettered message is also logged at error level).
      outcome: retry.has(record.messageId) ? 'retry-later' : 'done',
      latencyMs,
    });
  }
  count('RetryMessagesDone', records.length - retry.size);
  count('RetryMessagesRetried', retry.size);
};

export const processRetryBatch = async (records: readonly RetryRecord[], deps: WorkerDeps): Promise<BatchResult> => {
  const started = performance.now();
  const deadLetters: { record: RetryRecord; message: OutgoingMessage }[] = [];
  const decoded: DecodedRecord[] = [];
  const events: IndexedEvent[] = [];

  for (const record of records) {
    const body = decode(record);
    if (typeof body === 'string') {
      // Keep the raw body: an operator can read it from the DLQ.
      const empty: RetryMessageBody = { v: 1, stage: 'retry', events: [] };
      deadLetters.push({ record, message: { body: empty, raw: record.body, lastError: malformed(body), receiveCount: record.receiveCount } });
      continue;
    }
    // A redelivered message's last attempt failed, possibly after Atlas applied its write: like a flagged one,
    // it checks its lineage links (a read per job whose stored lineage is the message's; none on first delivery).
    const verifyLineage = body.verifyLineage === true || record.receiveCount > 1;
    const indexes = body.events.map((event) => {
      events.push({ index: events.length, event, ...(verifyLineage ? { verifyLineage } : {}) });
      return events.length - 1;
    });
    decoded.push({ record, body, indexes });
  }

  const confirmDelaySeconds = deps.confirmDelaySeconds ?? 0;
  const backoffs: { record: RetryRecord; error: WriteFailure }[] = [];

  const { fleet } = deps;
  const write = fleet === undefined ? {} : { write: (batch: readonly IndexedEvent[], atlas: typeof deps.atlas, naming: typeof deps.naming) => writeFleetBatch(batch, atlas, naming, fleet) };
  const { unsent } = await settle(events, { ...deps, ...write }, (outcomes) => {
    const confirmations: Dispatch<string>[] = [];
    for (const { record, body, indexes } of decoded) {
      const mine = indexes.map((i) => outcomes.get(i)).filter((o): o is WriteOutcome => o !== undefined);
      const failure = mine.find((o) => o.outcome === 'failed');
      if (failure?.outcome === 'failed') {
        if (failure.error.kind === 'permanent' || record.receiveCount >= deps.maxReceiveCount) {
          deadLetters.push({ record, message: { body: { ...body, stage: 'retry' }, lastError: failure.error, receiveCount: record.receiveCount } });
        } else {
          backoffs.push({ record, error: failure.error });
        }
        continue;
      }
      const changed = mine.some((o) => o.outcome === 'written' && o.changedAtlas);
      // A retried event is confirmed even when Atlas already holds it: its earlier attempt may have been applied
      // with the answer lost, and a concurrent writer's stale write can still land after this read. A confirmation
      // that finds its events in place, with nothing written, is the one that ends the message.
      if ((changed || body.stage === 'retry') && confirmDelaySeconds > 0) {
        for (const confirmBody of toBodies(body.events, 'confirm', body.correlationId === undefined ? {} : { correlationId: body.correlationId })) {
          confirmations.push({ keys: [record.messageId], to: 'confirm', message: { body: confirmBody, delaySeconds: confirmDelaySeconds } });
        }
      }
    }
    return [...confirmations, ...deadLetters.map(({ record, message }) => ({ keys: [record.messageId], to: 'deadLetter' as const, message }))];
  });

  const retry = new Set<string>();
  for (const { record, error } of backoffs) {
    const delay = backoffSeconds(record.receiveCount, error.retryAfterMs, deps.backoff, deps.random);
    retry.add(record.messageId);
    logger.warn('retry later', { messageId: record.messageId, receiveCount: record.receiveCount, delaySeconds: delay, error: error.message });
    try {
      await deps.queue.changeVisibility(record.receiptHandle, delay);
    } catch (visibilityError) {
      logger.warn('could not set backoff; SQS redelivers after the queue visibility timeout', { error: (visibilityError as Error).message });
    }
  }
  // Without its confirmation the message is not finished: let it come back.
  const confirmFailures = unsent.get('confirm');
  if (confirmFailures !== undefined) {
    logger.warn('could not queue confirmations; messages will be redelivered', { error: confirmFailures.values().next().value?.message });
    for (const id of confirmFailures.keys()) retry.add(id);
  }
  const deadLetterFailures = unsent.get('deadLetter');
  if (deadLetterFailures !== undefined) {
    logger.error('could not dead-letter messages; they will be redelivered', { error: deadLetterFailures.values().next().value?.message });
    for (const id of deadLetterFailures.keys()) retry.add(id);
  } else {
    for (const { record, message } of deadLetters) {
      logger.error('message dead-lettered', { messageId: record.messageId, receiveCount: record.receiveCount, reason: message.lastError });
    }
  }
  logMessages(records, decoded, retry, Math.round(performance.now() - started));
  return { batchItemFailures: records.filter((r) => retry.has(r.messageId)).map((r) => ({ itemIdentifier: r.messageId })) };
};
