// What one HTTP request leaves behind: one log line per event (event id, job, run, status, outcome, latency,
// correlation id) and the counters of the invocation. Built from the answer the route gave and the body it
// read, so the ingest path carries no logging of its own for it.
import { count, countByReason, logger } from './index.js';

/** What a log line says of one event; every field optional, as a rejected event may lack any of them. */
export interface EventSummary {
  eventId?: string;
  job?: string;
  run?: string;
  status?: string;
}

/** How a route reads the event at `index` of its answer out of the body it was sent. */
export type SummarizeBody = (body: unknown, index: number) => EventSummary;

interface ResultLike {
  index?: number;
  eventId?: string;
  outcome?: string;
  problems?: { pointer?: string }[];
  error?: { kind?: string; atlasCode?: string; message?: string };
}

const MAX_LOGGED_CHARS = 200;

/** Values from the body go into logs bounded: a 1000-character job name is logged as its first 200. */
const bounded = (value: unknown, max = MAX_LOGGED_CHARS): string | undefined => {
  if (typeof value === 'string') return value.length > max ? `${value.slice(0, max)}…` : value;
  if (typeof value === 'number') return String(value);
  return undefined;
};

const field = (value: unknown, ...path: string[]): unknown => {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
};

const clean = (summary: Record<string, string | undefined>): EventSummary =>
  Object.fromEntries(Object.entries(summary).filter(([, v]) => v !== undefined)) as EventSummary;

/** POST /flink/events: the body is the event, or an array of them in answer order. */
export const summarizeNativeEvent: SummarizeBody = (body, index) => {
  const item = Array.isArray(body) ? body[index] : body;
  return clean({
    eventId: bounded(field(item, 'eventId')),
    job: bounded(field(item, 'job', 'name')),
    run: bounded(field(item, 'job', 'id')),
    status: bounded(field(item, 'job', 'status') ?? field(item, 'type')),
  });
};

/** POST /api/v1/lineage: one OpenLineage event, whatever the native events it became. */
export const summarizeOpenLineage: SummarizeBody = (body) =>
  clean({
    job: bounded(field(body, 'job', 'name')),
    run: bounded(field(body, 'run', 'runId')),
    status: bounded(field(body, 'eventType')),
  });

/** POST /flink/jobs: Flink REST job JSON, bare or as {"job": …}. */
export const summarizeFlinkRest: SummarizeBody = (body) => {
  const job = field(body, 'job') ?? body;
  return clean({ job: bounded(field(job, 'name')), run: bounded(field(job, 'jid')), status: bounded(field(job, 'state')) });
};

export class RequestTelemetry {
  readonly #started = performance.now();
  #correlationId: string;

  constructor(
    readonly route: string,
    requestId: string,
  ) {
    this.#correlationId = requestId;
  }

  get correlationId(): string {
    return this.#correlationId;
  }

  /** From here on, lines carry this id (the webhook-id, or the event's own id) instead of the request id. */
  correlateWith(id: string): void {
    this.#correlationId = id;
  }

  latencyMs(): number {
    return Math.round(performance.now() - this.#started);
  }

  /** Refused before any event was looked at: credentials, transport, JSON. */
  refused(status: number, code: string, reason?: string): void {
    const why = reason ?? code;
    logger.info('request refused', { route: this.route, correlationId: this.#correlationId, httpStatus: status, code, ...(reason === undefined ? {} : { reason }), latencyMs: this.latencyMs() });
    countByReason('Rejected', why);
  }

  /** A redelivered signed webhook, answered with its first answer from this container's cache. */
  replayed(webhookId: string, status: number): void {
    logger.info('webhook replay answered as the first delivery', { route: this.route, correlationId: this.#correlationId, webhookId, httpStatus: status, latencyMs: this.latencyMs() });
    count('ReplaysAnswered', 1);
  }

  /** One line per event of the answer, and the counts. */
  answered(status: number, responseBody: unknown, body: unknown, summarize: SummarizeBody): void {
    const latencyMs = this.latencyMs();
    const results = field(responseBody, 'results');
    if (!Array.isArray(results)) {
      // OpenLineage events of other producers: answered 200 {"skipped": true}.
      logger.info('request answered', { route: this.route, correlationId: this.#correlationId, httpStatus: status, ...summarize(body, 0), outcome: field(responseBody, 'skipped') === true ? 'skipped' : 'answered', latencyMs });
      count('EventsSkipped', field(responseBody, 'skipped') === true ? 1 : 0);
      return;
    }
    const outcomes = new Map<string, number>();
    for (const result of results as ResultLike[]) {
      const outcome = result.outcome ?? 'unknown';
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      const summary = summarize(body, result.index ?? 0);
      const line = {
        route: this.route,
        correlationId: this.#correlationId,
        ...summary,
        ...(result.eventId === undefined ? {} : { eventId: bounded(result.eventId) }),
        outcome,
        httpStatus: status,
        latencyMs,
        ...(result.problems === undefined ? {} : { problems: result.problems.slice(0, 5).map((p) => p.pointer) }),
        ...(result.error === undefined ? {} : { errorKind: result.error.kind, errorCode: result.error.atlasCode, error: bounded(result.error.message, 1000) }),
      };
      // Atlas refusing the bridge's credentials is a configuration error: at error level, with Atlas's hint.
      if (result.error?.kind === 'auth') logger.error('event', line);
      else logger.info('event', line);
    }
    const rejected = outcomes.get('rejected') ?? 0;
    count('EventsAccepted', results.length - rejected);
    countByReason('Rejected', 'INVALID_EVENT', rejected);
    count('EventsWritten', outcomes.get('written') ?? 0);
    count('EventsQueued', outcomes.get('queued') ?? 0);
    // Dead-lettered events are counted where they reach the DLQ (MeteredRetryQueue), for both paths.
    count('EventsFailed', outcomes.get('failed') ?? 0);
  }
}
