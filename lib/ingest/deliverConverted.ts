// Delivers native events converted from another shape (OpenLineage, Flink REST). Each is checked against the
// native contract first: a converter bug or a value only the native contract limits is then answered as a
// rejected item naming the problem, never written half-valid.
import { DatasetMetadataEventSchema, describeIssues, FlinkEventSchema, type EventSubject, type NativeEvent } from '../contract/index.js';
import * as z from 'zod/mini';
import { deliverEvents, type IngestDeps } from './deliverEvents.js';
import type { IngestReport, ItemResult } from './ingestFlinkEvents.js';
import type { IndexedEvent } from './writeEvents.js';

// What the converters produce: job events and dataset.metadata, never catalog events. Checking against this union
// rather than all of NativeEventSchema keeps the catalog schemas out of the openLineage and flinkJobs bundles.
const ConvertedEventSchema = z.discriminatedUnion('type', [...FlinkEventSchema.def.options, DatasetMetadataEventSchema]);

/** Delivers what one request was converted to; every result's log line names that request's `subject`. */
export const deliverConverted = async (events: readonly NativeEvent[], subject: EventSubject, deps: IngestDeps): Promise<IngestReport> => {
  const valid: IndexedEvent[] = [];
  const rejected: ItemResult[] = [];
  events.forEach((event, index) => {
    const checked = ConvertedEventSchema.safeParse(event);
    if (checked.success) {
      valid.push({ index, event: checked.data });
      return;
    }
    rejected.push({
      outcome: 'rejected',
      index,
      eventId: event.eventId,
      problems: describeIssues(checked.error.issues, []).map((p) => ({
        pointer: p.pointer,
        message: `in the converted ${event.type} event: ${p.message}`,
      })),
    });
  });
  const delivered = valid.length > 0 ? await deliverEvents(valid, deps) : [];
  return { isArray: false, results: [...delivered, ...rejected].sort((a, b) => a.index - b.index), subjects: events.map(() => subject) };
};

/** The answer for a body that failed validation before conversion: one rejected item. */
export const rejectedBody = (problems: Extract<ItemResult, { outcome: 'rejected' }>['problems'], subject: EventSubject): IngestReport => ({
  isArray: false,
  results: [{ outcome: 'rejected', index: 0, problems }],
  subjects: [subject],
});
