// Every validated event, whatever door it came in by (native, OpenLineage, Flink REST), goes through here:
// written to Atlas, or durably queued for retry, or dead-lettered with Atlas's reason. Never dropped.
import type { NativeEvent } from '../contract/index.js';
import type { NamingContext } from '../mapping/index.js';
import { QueueError, toBodies, type MessageStage, type OutgoingMessage, type RetryQueue } from '../queue/index.js';
import { logger } from '../telemetry/index.js';
import type { AtlasPort } from '../atlas/index.js';
import { queueForWorker } from './fleetDeliver.js';
import type { FleetOptions } from './fleetWrite.js';
import { writeEvents, type IndexedEvent, type WriteFailure, type WriteOutcome } from './writeEvents.js';

export interface IngestDeps {
  atlas: AtlasPort;
  naming: NamingContext;
  /** Without a queue (tests, a bare local run), Atlas failures are answered 503/502 and the sender must retry. */
  queue?: RetryQueue;
  /** Delay before a written event is checked again for a concurrent overwrite; 0 turns the check off. */
  confirmDelaySeconds?: number;
  correlationId?: string;
  now?: () => Date;
  /** Fleet mode (DELIVERY_MODE=fleet, docs/fleet.md): events are queued for the worker, which writes them coalesced. */
  fleet?: FleetOptions;
}

type Written = Extract<WriteOutcome, { outcome: 'written' }>;

export type DeliveryOutcome =
  | Omit<Written, 'group' | 'changedAtlas'>
  | { index: number; eventId: string; outcome: 'queued'; error: WriteFailure }
  | { index: number; eventId: string; outcome: 'dead-lettered'; error: WriteFailure }
  /** Neither written nor queued: the sender must keep the event and retry (503), or Atlas rejected it and there is no DLQ (502). */
  | { index: number; eventId: string; outcome: 'failed'; error: WriteFailure };

const groupEvents = (outcomes: readonly WriteOutcome[], events: ReadonlyMap<number, NativeEvent>): Map<string, NativeEvent[]> => {
  const groups = new Map<string, NativeEvent[]>();
  for (const outcome of outcomes) {
    const event = events.get(outcome.index);
    if (event !== undefined) groups.set(outcome.group, [...(groups.get(outcome.group) ?? []), event]);
  }
  return groups;
};

const messagesFor = (
  outcomes: readonly WriteOutcome[],
  events: ReadonlyMap<number, NativeEvent>,
  stage: MessageStage,
  extra: { firstFailureAt?: string; correlationId?: string; delaySeconds?: number },
): OutgoingMessage[] => {
  const { delaySeconds, ...bodyExtra } = extra;
  return [...groupEvents(outcomes, events).values()].flatMap((group) => {
    const ids = new Set(group.map((e) => e.eventId));
    const verifyLineage = outcomes.some((o) => o.outcome === 'failed' && o.error.verifyLineage === true && ids.has(o.eventId));
    return toBodies(group, stage, { ...bodyExtra, ...(verifyLineage ? { verifyLineage } : {}) }).map((body) => {
      const failure = outcomes.find((o) => o.outcome === 'failed' && o.eventId === body.events[0]?.eventId);
      return {
        body,
        ...(failure?.outcome === 'failed' ? { lastError: failure.error } : {}),
        ...(delaySeconds === undefined ? {} : { delaySeconds }),
      };
    });
  });
};

const queueFailure = (error: unknown): WriteFailure => ({
  kind: 'retryable',
  message: error instanceof QueueError ? error.message : `queueing failed: ${(error as Error).message}`,
});

export const deliverEvents = async (events: readonly IndexedEvent[], deps: IngestDeps): Promise<DeliveryOutcome[]> => {
  if (deps.fleet !== undefined && deps.queue !== undefined) return queueForWorker(events, deps.queue, deps.correlationId);
  const outcomes = await writeEvents(events, deps.atlas, deps.naming);
  const byIndex = new Map(events.map((e) => [e.index, e.event]));
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const correlation = deps.correlationId === undefined ? {} : { correlationId: deps.correlationId };

  const written = outcomes.filter((o): o is Written => o.outcome === 'written');
  const retryable = outcomes.filter((o) => o.outcome === 'failed' && o.error.kind !== 'permanent');
  const permanent = outcomes.filter((o) => o.outcome === 'failed' && o.error.kind === 'permanent');

  const results = new Map<number, DeliveryOutcome>();
  for (const { group: _group, changedAtlas: _changed, ...rest } of written) results.set(rest.index, rest);

  /** Queues failed events (retry or dead-letter); without a queue, or when SQS fails, they stay 'failed'. */
  const settle = async (failed: WriteOutcome[], queue: 'retry' | 'deadLetter', outcome: 'queued' | 'dead-lettered'): Promise<void> => {
    if (failed.length === 0) return;
    let queueError: WriteFailure | undefined;
    if (deps.queue !== undefined) {
      try {
        await deps.queue.send(messagesFor(failed, byIndex, 'retry', { firstFailureAt: now, ...correlation }), queue);
        const reason = failed[0]?.outcome === 'failed' ? failed[0].error : undefined;
        // Refused credentials are a configuration error: loud, even though the events are safe in the queue.
        const log = reason?.kind === 'auth' ? logger.error.bind(logger) : logger.warn.bind(logger);
        log(queue === 'retry' ? 'events queued for retry' : 'events dead-lettered', { eventIds: failed.map((f) => f.eventId), reason });
      } catch (error) {
        queueError = queueFailure(error);
        logger.error('could not queue events: answering 503 so the sender keeps them', { error: queueError.message });
      }
    }
    for (const f of failed) {
      if (f.outcome !== 'failed') continue;
      const base = { index: f.index, eventId: f.eventId };
      if (deps.queue === undefined) results.set(f.index, { ...base, outcome: 'failed', error: f.error });
      else if (queueError !== undefined) results.set(f.index, { ...base, outcome: 'failed', error: queueError });
      else results.set(f.index, { ...base, outcome, error: f.error });
    }
  };
  await settle(retryable, 'retry', 'queued');
  await settle(permanent, 'deadLetter', 'dead-lettered');

  // Confirmation is a safety net against concurrent writers (see README); the write itself is already
  // safe in Atlas, so a failure here is logged, not answered as an error.
  const changed = written.filter((o) => o.changedAtlas);
  const confirmDelaySeconds = deps.confirmDelaySeconds ?? 0;
  if (deps.queue !== undefined && confirmDelaySeconds > 0 && changed.length > 0) {
    try {
      await deps.queue.send(messagesFor(changed, byIndex, 'confirm', { ...correlation, delaySeconds: confirmDelaySeconds }));
    } catch (error) {
      logger.warn('could not queue confirmation of written events', { error: (error as Error).message });
    }
  }
  return [...results.values()].sort((a, b) => a.index - b.index);
};
