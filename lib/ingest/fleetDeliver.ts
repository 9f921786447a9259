// Fleet mode's HTTP side: validated events go to the retry queue as `ingest` messages, one run's events together,
// and the webhook answers 202 once SQS holds them. The worker writes them (fleetWrite.ts); Atlas is not called here.
import type { NativeEvent } from '../contract/index.js';
import { QueueError, toBodies, type RetryQueue } from '../queue/index.js';
import { logger } from '../telemetry/index.js';
import type { DeliveryOutcome } from './settle.js';
import { laneKey } from './fleetWrite.js';
import type { IndexedEvent, WriteFailure } from './writeEvents.js';

/** The run an event belongs to (its job's, for a deployment without a JobID): its events share a message. */
const runKey = (event: NativeEvent): string =>
  event.type === 'job.status' || event.type === 'job.result' || event.type === 'job.deployment'
    ? `${laneKey(event)}/${event.job.id ?? ''}`
    : laneKey(event);

/** Why a queued event is not in Atlas yet: carried as the queued outcome's reason (and the messages' attributes). */
export const QUEUED_FOR_WORKER: WriteFailure = { kind: 'retryable', message: 'fleet mode: queued for the retry worker, which writes it to Atlas' };

export const queueForWorker = async (events: readonly IndexedEvent[], queue: RetryQueue, correlationId?: string): Promise<DeliveryOutcome[]> => {
  const byRun = new Map<string, NativeEvent[]>();
  for (const { event } of events) byRun.set(runKey(event), [...(byRun.get(runKey(event)) ?? []), event]);
  const extra = correlationId === undefined ? {} : { correlationId };
  const messages = [...byRun.values()].flatMap((group) => toBodies(group, 'ingest', extra).map((body) => ({ body })));
  try {
    await queue.send(messages);
  } catch (error) {
    const failure: WriteFailure = {
      kind: 'retryable',
      message: error instanceof QueueError ? error.message : `queueing failed: ${(error as Error).message}`,
    };
    logger.error('could not queue events for the worker: answering 503 so the sender keeps them', { error: failure.message });
    return events.map(({ index, event }) => ({ index, eventId: event.eventId, outcome: 'failed' as const, error: failure }));
  }
  logger.info('events queued for the worker (fleet mode)', { eventIds: events.map((e) => e.event.eventId) });
  return events.map(({ index, event }) => ({ index, eventId: event.eventId, outcome: 'queued' as const, error: QUEUED_FOR_WORKER }));
};
