// What one HTTP request leaves behind: one log line per event (event id, job, run, status, outcome, latency,
// correlation id), read from the typed ingest report, and the counts of the invocation (published by
// Powertools' logMetrics middleware).
import type { EventSubject } from '../contract/index.js';
import { bounded } from '../contract/index.js';
import type { IngestReport } from '../ingest/index.js';
import { count, countByReason, logger } from '../telemetry/index.js';
import { countResults } from './responses.js';

/** One request's log: its route, the id its lines are correlated by, and when it arrived. */
export interface RequestLog {
  readonly route: string;
  readonly correlationId: string;
  /** From here on, lines carry this id (the webhook-id, or the event's own id) instead of the request id. */
  correlateWith(id: string): void;
  latencyMs(): number;
}

export const startRequestLog = (route: string, requestId: string): RequestLog => {
  const started = performance.now();
  let correlationId = requestId;
  // Every request is counted, so each invocation publishes one EMF document (and Powertools never warns of none).
  count('Requests', 1);
  return {
    route,
    get correlationId() {
      return correlationId;
    },
    correlateWith: (id) => {
      correlationId = id;
    },
    latencyMs: () => Math.round(performance.now() - started),
  };
};

/** Refused before any event was looked at: credentials, transport, JSON; or the route failed. */
export const logRefusal = (log: RequestLog, status: number, code: string, reason?: string): void => {
  logger.info('request refused', {
    route: log.route, correlationId: log.correlationId, httpStatus: status, code, ...(reason === undefined ? {} : { reason }), latencyMs: log.latencyMs(),
  });
  countByReason('Rejected', reason ?? code);
};

/** A redelivered signed webhook, answered with its first answer from this container's cache. */
export const logReplay = (log: RequestLog, webhookId: string, status: number): void => {
  logger.info('webhook replay answered as the first delivery', {
    route: log.route, correlationId: log.correlationId, webhookId, httpStatus: status, latencyMs: log.latencyMs(),
  });
  count('ReplaysAnswered', 1);
};

/** What an answered request's lines say of it: nothing when acceptWebhook (which starts the log) was not in front. */
const requestFields = (log: RequestLog | undefined): { route?: string; correlationId?: string } =>
  log === undefined ? {} : { route: log.route, correlationId: log.correlationId };

/** An OpenLineage event of another producer, answered 200 {"skipped": true} without touching Atlas. */
export const logSkipped = (log: RequestLog | undefined, subject: EventSubject, status: number): void => {
  logger.info('request answered', { ...requestFields(log), httpStatus: status, ...subject, outcome: 'skipped', latencyMs: log?.latencyMs() });
  count('EventsSkipped', 1);
};

/** One line per event of the report, and the counts by outcome. */
export const logReport = (log: RequestLog | undefined, report: IngestReport, status: number): void => {
  const latencyMs = log?.latencyMs();
  const request = requestFields(log);
  for (const result of report.results) {
    const error = 'error' in result ? result.error : undefined;
    const line = {
      ...request,
      ...report.subjects[result.index],
      ...(result.eventId === undefined ? {} : { eventId: bounded(result.eventId) }),
      outcome: result.outcome,
      httpStatus: status,
      latencyMs,
      ...(result.outcome === 'rejected' ? { problems: result.problems.slice(0, 5).map((p) => p.pointer) } : {}),
      ...(error === undefined ? {} : { errorKind: error.kind, errorCode: error.atlasCode, error: bounded(error.message, 1000) }),
    };
    // Atlas refusing the bridge's credentials is a configuration error: at error level, with Atlas's hint.
    if (error?.kind === 'auth') logger.error('event', line);
    else logger.info('event', line);
  }
  const outcomes = countResults(report);
  count('EventsAccepted', report.results.length - outcomes.rejected);
  countByReason('Rejected', 'INVALID_EVENT', outcomes.rejected);
  count('EventsWritten', outcomes.written);
  count('EventsQueued', outcomes.queued);
  // Dead-lettered events are counted where they reach the DLQ (MeteredRetryQueue), for both paths.
  count('EventsFailed', outcomes.failed);
};
