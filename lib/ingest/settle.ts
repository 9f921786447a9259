// The one step both delivery paths end with: write the events to Atlas, then send what the caller decided
// from the outcomes (retries, dead letters, confirmations), one SQS batch per destination, and say which
// sends failed. The HTTP path (deliverEvents.ts) answers from it; the worker (processRetryBatch.ts) gives
// its per-message verdicts from it. What a failed send means is the caller's: a 503, or a redelivery.
import type { AtlasPort, WriteFailure } from '../atlas/index.js';
import type { NamingContext } from '../mapping/index.js';
import { QueueError, type OutgoingMessage, type RetryQueue } from '../queue/index.js';
import { writeEvents, type IndexedEvent, type WriteOutcome } from './writeEvents.js';

/** Where a message goes: confirmations travel on the retry queue, with a delay. */
export type Destination = 'retry' | 'deadLetter' | 'confirm';

/** A message to send on behalf of `keys` (the indexes of its events on the HTTP path, its SQS message id in the worker). */
export interface Dispatch<K> {
  keys: readonly K[];
  to: Destination;
  message: OutgoingMessage;
}

type Written = Extract<WriteOutcome, { outcome: 'written' }>;

/** What became of each event on the HTTP path (deliverEvents.ts, and fleet mode's queueing in fleetDeliver.ts). */
export type DeliveryOutcome =
  | Omit<Written, 'group' | 'changedAtlas'>
  | { index: number; eventId: string; outcome: 'queued'; error: WriteFailure }
  | { index: number; eventId: string; outcome: 'dead-lettered'; error: WriteFailure }
  /** Neither written nor queued: the sender must keep the event and retry (503), or Atlas rejected it and there is no DLQ (502). */
  | { index: number; eventId: string; outcome: 'failed'; error: WriteFailure };

/** Writes a batch of events; the fleet mode brings its own (lanes under a concurrency bound). */
export type WriteBatch = (events: readonly IndexedEvent[], atlas: AtlasPort, naming: NamingContext) => Promise<WriteOutcome[]>;

export interface SettleDeps {
  atlas: AtlasPort;
  naming: NamingContext;
  queue?: RetryQueue;
  write?: WriteBatch;
}

export interface Settled<K> {
  outcomes: ReadonlyMap<number, WriteOutcome>;
  /** Why the messages to each destination could not be sent (a retryable failure), by key. */
  unsent: ReadonlyMap<Destination, ReadonlyMap<K, WriteFailure>>;
}

const sendFailure = (error: unknown): WriteFailure => ({
  kind: 'retryable',
  message: error instanceof QueueError ? error.message : `queueing failed: ${(error as Error).message}`,
});

/** Groups the dispatches by destination, destinations in the order the caller first named them. */
const byDestination = <K>(dispatches: readonly Dispatch<K>[]): Map<Destination, Dispatch<K>[]> => {
  const groups = new Map<Destination, Dispatch<K>[]>();
  for (const dispatch of dispatches) groups.set(dispatch.to, [...(groups.get(dispatch.to) ?? []), dispatch]);
  return groups;
};

export const settle = async <K>(
  events: readonly IndexedEvent[],
  deps: SettleDeps,
  decide: (outcomes: ReadonlyMap<number, WriteOutcome>) => readonly Dispatch<K>[],
): Promise<Settled<K>> => {
  const written = events.length === 0 ? [] : await (deps.write ?? writeEvents)(events, deps.atlas, deps.naming);
  const outcomes = new Map(written.map((o) => [o.index, o]));
  const unsent = new Map<Destination, Map<K, WriteFailure>>();
  for (const [to, group] of byDestination(decide(outcomes))) {
    try {
      if (deps.queue === undefined) throw new QueueError('no retry queue is configured');
      await deps.queue.send(group.map((d) => d.message), to === 'confirm' ? 'retry' : to);
    } catch (error) {
      const failure = sendFailure(error);
      unsent.set(to, new Map(group.flatMap((d) => d.keys.map((key) => [key, failure] as const))));
    }
  }
  return { outcomes, unsent };
};
