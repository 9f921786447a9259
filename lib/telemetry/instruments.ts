// Metrics taken where the calls happen, without touching the write path: the Atlas calls of the ingest
// path are timed, and what reaches the dead-letter queue (from the HTTP functions or the worker) is counted
// once it is durably there. Built into the per-container runtime (lib/runtime).
import type { AtlasWriter } from '../ingest/index.js';
import { RetryQueue, type OutgoingMessage, type QueueName, type QueueUrls, type SqsClientSource } from '../queue/index.js';
import { count, metrics, MetricUnit } from './index.js';

const timed = async <T>(metric: string, call: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  try {
    return await call();
  } finally {
    metrics.addMetric(metric, MetricUnit.Milliseconds, Math.round(performance.now() - started));
  }
};

/** The same writer, with `AtlasReadLatency` and `AtlasWriteLatency` recorded per call (failures included). */
export const instrumentAtlas = (atlas: AtlasWriter): AtlasWriter => ({
  getEntitiesByQualifiedNames: (names) => timed('AtlasReadLatency', () => atlas.getEntitiesByQualifiedNames(names)),
  bulkWrite: (request) => timed('AtlasWriteLatency', () => atlas.bulkWrite(request)),
});

/** The retry queue, counting `EventsDeadLettered` and `ConfirmationsQueued` once SQS has accepted them. */
export class MeteredRetryQueue extends RetryQueue {
  constructor(sqs: SqsClientSource, urls: QueueUrls) {
    super(sqs, urls);
  }

  override async send(messages: readonly OutgoingMessage[], queue: QueueName = 'retry'): Promise<void> {
    await super.send(messages, queue);
    const events = (stage: string) =>
      messages.filter((m) => m.body.stage === stage).reduce((sum, m) => sum + Math.max(1, m.body.events.length), 0);
    if (queue === 'deadLetter') count('EventsDeadLettered', messages.reduce((sum, m) => sum + Math.max(1, m.body.events.length), 0));
    else count('ConfirmationsQueued', events('confirm'));
  }
}
