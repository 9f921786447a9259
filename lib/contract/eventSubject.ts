// What a log line names of an event: its id, job, run and status, read from the body as sent. Read from the
// raw item, not the parsed one, so a rejected event is named too; every field optional, values bounded.
import { ownField as field } from './jsonField.js';

/** The event a log line is about; a malformed event may lack any field. */
export interface EventSubject {
  eventId?: string;
  job?: string;
  run?: string;
  status?: string;
}

const MAX_LOGGED_CHARS = 200;

/** Values from the body go into logs bounded: a 1000-character job name is logged as its first 200. */
export const bounded = (value: unknown, max = MAX_LOGGED_CHARS): string | undefined => {
  if (typeof value === 'string') return value.length > max ? `${value.slice(0, max)}…` : value;
  if (typeof value === 'number') return String(value);
  return undefined;
};

const subject = (fields: Record<keyof EventSubject, unknown>): EventSubject => {
  const named: EventSubject = {};
  for (const key of ['eventId', 'job', 'run', 'status'] as const) {
    const value = bounded(fields[key]);
    if (value !== undefined) named[key] = value;
  }
  return named;
};

/** A native event (POST /flink/events), one item of a batch. */
export const nativeEventSubject = (item: unknown): EventSubject =>
  subject({
    eventId: field(item, 'eventId'),
    job: field(item, 'job', 'name'),
    run: field(item, 'job', 'id'),
    status: field(item, 'job', 'status') ?? field(item, 'type'),
  });

/** An OpenLineage RunEvent (POST /api/v1/lineage), whatever the native events it becomes. */
export const openLineageSubject = (body: unknown): EventSubject =>
  subject({ eventId: undefined, job: field(body, 'job', 'name'), run: field(body, 'run', 'runId'), status: field(body, 'eventType') });

/** Flink REST job JSON (POST /flink/jobs), bare or as {"job": …}. */
export const flinkRestSubject = (body: unknown): EventSubject => {
  const job = field(body, 'job') ?? body;
  return subject({ eventId: undefined, job: field(job, 'name'), run: field(job, 'jid'), status: field(job, 'state') });
};
