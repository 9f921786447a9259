// Every validated event, whatever door it came in by (native, OpenLineage, Flink REST), goes through here:
// written to Atlas, or durably queued for retry, or dead-lettered with Atlas's reason. Never dropped.
import type { NativeEvent } from '../contract/index.js';
import type { NamingContext } from '../mapping/index.js';
import { toBodies, type MessageStage, type OutgoingMessage, type RetryQueue } from '../queue/index.js';
import { logger } from '../telemetry/index.js';
import type { AtlasPort } from '../atlas/index.js';
import { queueForWorker } from './fleetDeliver.js';
import type { FleetOptions } from './fleetWrite.js';
import { settle, type DeliveryOutcome, type Destination, type Dispatch, type Settled } from './settle.js';
import type { IndexedEvent, WriteFailure, WriteOutcome } from './writeEvents.js';

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

interface RunGroup {
  events: NativeEvent[];
  /** The indexes of all the group's outcomes, those without an event here included. */
  indexes: number[];
}

/** The outcomes' events by run group (groups with at least one event, in order of their first), in one pass. */
const groupEvents = (outcomes: readonly WriteOutcome[], events: ReadonlyMap<number, NativeEvent>): Map<string, RunGroup> => {
  const indexes = new Map<string, number[]>();
  const groups = new Map<string, RunGroup>();
  for (const outcome of outcomes) {
    const groupIndexes = indexes.get(outcome.group) ?? [];
    if (groupIndexes.length === 0) indexes.set(outcome.group, groupIndexes);
    groupIndexes.push(outcome.index);
    const event = events.get(outcome.index);
    if (event === undefined) continue;
    const group = groups.get(outcome.group);
    if (group === undefined) groups.set(outcome.group, { events: [event], indexes: groupIndexes });
    else group.events.push(event);
  }
  return groups;
};

/** The messages for a set of outcomes, one run's events together, each keyed by the indexes of its run's outcomes. */
const dispatchesFor = (
  outcomes: readonly WriteOutcome[],
  events: ReadonlyMap<number, NativeEvent>,
  to: Destination,
  extra: { firstFailureAt?: string; correlationId?: string; delaySeconds?: number },
): Dispatch<number>[] => {
  const { delaySeconds, ...bodyExtra } = extra;
  const stage: MessageStage = to === 'confirm' ? 'confirm' : 'retry';
  // By event id, once: the first failure of each, and the events a failure says to verify.
  const firstFailure = new Map<string, WriteFailure>();
  const toVerify = new Set<string>();
  for (const o of outcomes) {
    if (o.outcome !== 'failed') continue;
    if (!firstFailure.has(o.eventId)) firstFailure.set(o.eventId, o.error);
    if (o.error.verifyLineage === true) toVerify.add(o.eventId);
  }
  return [...groupEvents(outcomes, events).values()].flatMap(({ events: run, indexes: keys }) => {
    const verifyLineage = run.some((e) => toVerify.has(e.eventId));
    return toBodies(run, stage, { ...bodyExtra, ...(verifyLineage ? { verifyLineage } : {}) }).map((body) => {
      const eventId = body.events[0]?.eventId;
      const failure = eventId === undefined ? undefined : firstFailure.get(eventId);
      const message: OutgoingMessage = {
        body,
        ...(failure === undefined ? {} : { lastError: failure }),
        ...(delaySeconds === undefined ? {} : { delaySeconds }),
      };
      return { keys, to, message };
    });
  });
};

export const deliverEvents = async (events: readonly IndexedEvent[], deps: IngestDeps): Promise<DeliveryOutcome[]> => {
  if (deps.fleet !== undefined && deps.queue !== undefined) return queueForWorker(events, deps.queue, deps.correlationId);
  const byIndex = new Map(events.map((e) => [e.index, e.event]));
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const correlation = deps.correlationId === undefined ? {} : { correlationId: deps.correlationId };
  const confirmDelaySeconds = deps.confirmDelaySeconds ?? 0;
  const failedTo = (o: WriteOutcome): 'retry' | 'deadLetter' | undefined =>
    o.outcome !== 'failed' ? undefined : o.error.kind === 'permanent' ? 'deadLetter' : 'retry';

  const { outcomes, unsent } = await settle(events, deps, (written) => {
    // Without a queue (tests, a bare local run) nothing is sent: failures are answered 503/502.
    if (deps.queue === undefined) return [];
    const all = [...written.values()];
    // Confirmation is a safety net against concurrent writers (see docs); only writes that changed Atlas need it.
    const changed = confirmDelaySeconds > 0 ? all.filter((o) => o.outcome === 'written' && o.changedAtlas) : [];
    return [
      ...dispatchesFor(all.filter((o) => failedTo(o) === 'retry'), byIndex, 'retry', { firstFailureAt: now, ...correlation }),
      ...dispatchesFor(all.filter((o) => failedTo(o) === 'deadLetter'), byIndex, 'deadLetter', { firstFailureAt: now, ...correlation }),
      ...dispatchesFor(changed, byIndex, 'confirm', { ...correlation, delaySeconds: confirmDelaySeconds }),
    ];
  });

  const results: DeliveryOutcome[] = [];
  const sentTo = new Map<'retry' | 'deadLetter', number[]>();
  for (const o of outcomes.values()) {
    if (o.outcome === 'written') {
      const { group: _group, changedAtlas: _changed, ...rest } = o;
      results.push(rest);
      continue;
    }
    const to = failedTo(o) ?? 'retry';
    const base = { index: o.index, eventId: o.eventId };
    const queueError = unsent.get(to)?.get(o.index);
    if (deps.queue === undefined) results.push({ ...base, outcome: 'failed', error: o.error });
    else if (queueError !== undefined) results.push({ ...base, outcome: 'failed', error: queueError });
    else {
      results.push({ ...base, outcome: to === 'retry' ? 'queued' : 'dead-lettered', error: o.error });
      sentTo.set(to, [...(sentTo.get(to) ?? []), o.index]);
    }
  }
  logSettled(outcomes, sentTo, unsent);
  return results.sort((a, b) => a.index - b.index);
};

/** What the queue sends did, for operators: the events queued or dead-lettered, and any send that failed. */
const logSettled = (
  outcomes: ReadonlyMap<number, WriteOutcome>,
  sentTo: ReadonlyMap<'retry' | 'deadLetter', number[]>,
  unsent: Settled<number>['unsent'],
): void => {
  for (const to of ['retry', 'deadLetter'] as const) {
    const failure = unsent.get(to)?.values().next().value;
    if (failure !== undefined) {
      logger.error('could not queue events: answering 503 so the sender keeps them', { error: failure.message });
      continue;
    }
    const sent = (sentTo.get(to) ?? []).map((i) => outcomes.get(i)).filter((o) => o?.outcome === 'failed');
    if (sent.length === 0) continue;
    const reason = sent[0]?.outcome === 'failed' ? sent[0].error : undefined;
    // Refused credentials are a configuration error: loud, even though the events are safe in the queue.
    const log = reason?.kind === 'auth' ? logger.error.bind(logger) : logger.warn.bind(logger);
    log(to === 'retry' ? 'events queued for retry' : 'events dead-lettered', { eventIds: sent.map((o) => o?.eventId), reason });
  }
  const confirmFailure = unsent.get('confirm')?.values().next().value;
  // The write itself is already safe in Atlas, so a confirmation not queued is logged, not answered as an error.
  if (confirmFailure !== undefined) logger.warn('could not queue confirmation of written events', { error: confirmFailure.message });
};
