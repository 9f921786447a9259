// The use case behind POST /flink/events: validate each event, write the valid ones, report every one.
import {
  MAX_EVENTS_PER_REQUEST, nativeEventSubject, NativeEventSchema, parseBatch, type EventSubject, type RejectedItem,
} from '../contract/index.js';
import { deliverEvents, type IngestDeps } from './deliverEvents.js';
import type { DeliveryOutcome } from './settle.js';

export type ItemResult = DeliveryOutcome | ({ outcome: 'rejected' } & RejectedItem);

export interface IngestReport {
  /** True when the request body was an array; results then refer to items by index. */
  isArray: boolean;
  results: ItemResult[];
  /** What each result's log line names, by the result's index. */
  subjects: readonly EventSubject[];
}

export const ingestFlinkEvents = async (body: unknown, deps: IngestDeps): Promise<IngestReport> => {
  const parsed = parseBatch(body, NativeEventSchema, MAX_EVENTS_PER_REQUEST);
  const written = await deliverEvents(parsed.accepted, deps);
  const rejected: ItemResult[] = parsed.rejected.map((item) => ({ outcome: 'rejected' as const, ...item }));
  const items: readonly unknown[] = Array.isArray(body) ? body : [body];
  return {
    isArray: parsed.isArray,
    results: [...written, ...rejected].sort((a, b) => a.index - b.index),
    subjects: items.map(nativeEventSubject),
  };
};
