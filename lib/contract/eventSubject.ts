// What a log line names of an event: its id, job, run and status, read from the body as sent. Read from the
// raw item, not the parsed one, so a rejected event is named too; every field optional, values bounded.

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

/** An own property path of a parsed JSON value (never an inherited key such as __proto__'s). */
const field = (value: unknown, ...path: string[]): unknown => {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
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
