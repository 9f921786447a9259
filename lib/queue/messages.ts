// The retry-queue message: the events of one run, plus why they are there. Events travel as native
// FlinkEvents whatever door they came in by, so the worker has one write path.
import { NativeEventSchema, type NativeEvent } from '../contract/index.js';
import * as z from 'zod/mini';
import type { WriteFailure } from '../atlas/index.js';

/**
 * - `retry`: Atlas failed; write these events when it is back.
 * - `confirm`: these events were written; check later that no concurrent writer overwrote them (see
 *   docs/delivery.md, "Delivery guarantee"), and write them again if one did.
 * - `ingest`: fleet mode (docs/fleet.md): the webhook queued these events without writing them; the worker writes
 *   them, coalesced, and confirms those that changed Atlas.
 */
export type MessageStage = 'retry' | 'confirm' | 'ingest';

const buildRetryMessageBodySchema = () =>
  z.object({
    v: z.literal(1),
    stage: z.enum(['retry', 'confirm', 'ingest']),
    events: z.array(NativeEventSchema).check(z.minLength(1)),
    firstFailureAt: z.optional(z.iso.datetime({ offset: true })),
    correlationId: z.optional(z.string().check(z.maxLength(200))),
    /** A failed attempt may have been applied with re-added lineage links left DELETED: the retry checks them. */
    verifyLineage: z.optional(z.boolean()),
  });
export type RetryMessageBody = z.infer<ReturnType<typeof buildRetryMessageBodySchema>>;

let retryMessageBody: ReturnType<typeof buildRetryMessageBodySchema> | undefined;

/**
 * The schema of a message body, built on first use: the functions that only send messages (or, like
 * registerTypes, never touch the queue's bodies) then bundle and build no event schema for it at cold start.
 */
export const retryMessageBodySchema = (): ReturnType<typeof buildRetryMessageBodySchema> =>
  (retryMessageBody ??= buildRetryMessageBodySchema());

export interface OutgoingMessage {
  body: RetryMessageBody;
  /** Sent instead of `body` when a received message could not be decoded, so the DLQ keeps it as it came. */
  raw?: string;
  /** Why the events are queued: the last Atlas failure, carried as message attributes. */
  lastError?: WriteFailure;
  delaySeconds?: number;
  /** Receive count at the time it was dead-lettered (shown by `dlq list`). */
  receiveCount?: number;
}

/** Message attributes: what `dlq list` shows without parsing bodies, and what an operator filters on. */
export interface MessageSummary {
  eventIds: string[];
  jobName: string;
  jobId?: string;
  status?: string;
}

/** What a summary calls the job of a catalog or dataset event: the table, database or dataset it is about. */
const subjectOf = (event: NativeEvent): string => {
  if (event.type === 'catalog.table') {
    const { catalogName, databaseName, objectName } = event.identifier;
    return `${catalogName}.${databaseName}.${objectName}`;
  }
  if (event.type === 'catalog.database') return `${event.catalogName}.${event.databaseName}`;
  if (event.type === 'dataset.metadata') return `${event.dataset.namespace}/${event.dataset.name}`;
  return event.job.name;
};

export const summarize = (events: readonly NativeEvent[]): MessageSummary => {
  const first = events[0];
  const statuses = events.flatMap((e) =>
    e.type === 'job.status' ? [e.job.status] : e.type === 'catalog.table' || e.type === 'catalog.database' ? [e.action] : [],
  );
  const jobId = events.map((e) => ('job' in e ? e.job.id : undefined)).find((id) => id !== undefined);
  return {
    eventIds: events.map((e) => e.eventId),
    jobName: first === undefined ? '' : subjectOf(first),
    ...(jobId === undefined ? {} : { jobId }),
    ...(statuses.length > 0 ? { status: statuses.join('>') } : {}),
  };
};

/** SQS allows 256 KiB per message; leave room for attributes. */
export const MAX_BODY_BYTES = 240 * 1024;

/** Splits one run's events into bodies that each fit in an SQS message. */
export const toBodies = (
  events: readonly NativeEvent[],
  stage: MessageStage,
  extra: Pick<RetryMessageBody, 'firstFailureAt' | 'correlationId' | 'verifyLineage'> = {},
): RetryMessageBody[] => {
  const bodies: RetryMessageBody[] = [];
  let current: NativeEvent[] = [];
  const sizeOf = (list: NativeEvent[]) => Buffer.byteLength(JSON.stringify({ v: 1, stage, events: list, ...extra }));
  for (const event of events) {
    if (current.length > 0 && sizeOf([...current, event]) > MAX_BODY_BYTES) {
      bodies.push({ v: 1, stage, events: current, ...extra });
      current = [];
    }
    current.push(event);
  }
  if (current.length > 0) bodies.push({ v: 1, stage, events: current, ...extra });
  return bodies;
};
