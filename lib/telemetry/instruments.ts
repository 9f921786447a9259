// Metrics taken where the calls happen, without touching the write path: the Atlas calls of the ingest
// path are timed, and what reaches the dead-letter queue (from the HTTP functions or the worker) is counted
// once it is durably there. Built into the per-container runtime (lib/runtime).
import type { AtlasPort } from '../atlas/index.js';
import { RetryQueue, type OutgoingMessage, type QueueName, type QueueUrls, type SqsClientSource } from '../queue/index.js';
import { count, metrics, MetricUnit } from './powertools.js';

const timed = async <T>(metric: string, call: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  try {
    return await call();
  } finally {
    metrics.addMetric(metric, MetricUnit.Milliseconds, Math.round(performance.now() - started));
  }
};

/**
 * The same Atlas, with `AtlasReadLatency` (reads) and `AtlasWriteLatency` (bulk writes, deletes and relationship creates) recorded per
 * call, failures included. Every method of the port is passed on: the deployed handlers get only this object.
 */
export const instrumentAtlas = (atlas: AtlasPort): AtlasPort => ({
  getEntitiesByQualifiedNames: (names, typeName) => timed('AtlasReadLatency', () => atlas.getEntitiesByQualifiedNames(names, typeName)),
  getEntityByQualifiedName: (typeName, qualifiedName) => timed('AtlasReadLatency', () => atlas.getEntityByQualifiedName(typeName, qualifiedName)),
  bulkWrite: (request) => timed('AtlasWriteLatency', () => atlas.bulkWrite(request)),
  deleteByQualifiedName: (typeName, qualifiedName) => timed('AtlasWriteLatency', () => atlas.deleteByQualifiedName(typeName, qualifiedName)),
  createRelationship: (relationship) => timed('AtlasWriteLatency', () => atlas.createRelationship(relationship)),
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
