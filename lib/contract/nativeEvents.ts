// Everything POST /flink/events accepts: the job events (FlinkEvent) and the catalog events. The write path and
// the queues carry NativeEvents; code that only deals with jobs (the converters, the job mapping) keeps FlinkEvent.
import { makeCatalogDatabaseEventSchema, makeCatalogTableEventSchema } from './catalogEvents.js';
import {
  DatasetMetadataEventSchema, EnvelopeShape, JobDeploymentEventSchema, JobLineageEventSchema, JobResultEventSchema, JobStatusEventSchema,
  type DatasetMetadataEvent, type FlinkEvent,
} from './flinkEvents.js';
import * as z from 'zod/mini';

export const CatalogTableEventSchema = makeCatalogTableEventSchema(EnvelopeShape);
export const CatalogDatabaseEventSchema = makeCatalogDatabaseEventSchema(EnvelopeShape);
export type CatalogTableEvent = z.infer<typeof CatalogTableEventSchema>;
export type CatalogDatabaseEvent = z.infer<typeof CatalogDatabaseEventSchema>;
export type CatalogEvent = CatalogTableEvent | CatalogDatabaseEvent;

export const NativeEventSchema = z.discriminatedUnion('type', [
  JobStatusEventSchema,
  JobResultEventSchema,
  JobDeploymentEventSchema,
  JobLineageEventSchema,
  CatalogTableEventSchema,
  CatalogDatabaseEventSchema,
  DatasetMetadataEventSchema,
]);
export type NativeEvent = FlinkEvent | CatalogEvent | DatasetMetadataEvent;
export type NativeEventType = NativeEvent['type'];

// The type guards (isCatalogEvent, isDatasetMetadataEvent) are in eventKinds.ts: code that only tells events apart
// does not build this union (see eventKinds.ts).
