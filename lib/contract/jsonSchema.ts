import {
  DatasetMetadataEventSchema, JobDeploymentEventSchema, JobLineageEventSchema, JobResultEventSchema, JobStatusEventSchema, MAX_EVENTS_PER_REQUEST,
} from './flinkEvents.js';
import { CatalogDatabaseEventSchema, CatalogTableEventSchema } from './nativeEvents.js';
import * as z from 'zod/mini';
import { withMeta } from '../zod.js';

/**
 * Bumped only when the contract changes; additions (optional fields, new event types) keep the major version.
 * 1.1.0: catalog.table and catalog.database events, job.status job.operators, lineage dataset symlinks.
 * 1.2.0: dataset.metadata events.
 */
export const CONTRACT_VERSION = '1.2.0';

/** A POST /flink/events body: one event, or an array of them. */
const FlinkEventForSchema = withMeta(
  z.discriminatedUnion('type', [
    withMeta(JobStatusEventSchema, { id: 'JobStatusEvent' }),
    withMeta(JobResultEventSchema, { id: 'JobResultEvent' }),
    withMeta(JobDeploymentEventSchema, { id: 'JobDeploymentEvent' }),
    withMeta(JobLineageEventSchema, { id: 'JobLineageEvent' }),
    withMeta(CatalogTableEventSchema, { id: 'CatalogTableEvent' }),
    withMeta(CatalogDatabaseEventSchema, { id: 'CatalogDatabaseEvent' }),
    withMeta(DatasetMetadataEventSchema, { id: 'DatasetMetadataEvent' }),
  ]),
  { id: 'FlinkEvent' },
);
const FlinkEventsBodySchema = z.union([FlinkEventForSchema, z.array(FlinkEventForSchema).check(z.minLength(1), z.maxLength(MAX_EVENTS_PER_REQUEST))]);

/** The published JSON Schema of a POST /flink/events body, with each event type under $defs. */
export const flinkEventJsonSchema = (): Record<string, unknown> => ({
  $id: `https://github.com/flink-atlas-bridge/flink-atlas-bridge/schema/${CONTRACT_VERSION}/flink-event.schema.json`,
  title: 'flink-atlas-bridge POST /flink/events body',
  ...z.toJSONSchema(FlinkEventsBodySchema, { target: 'draft-2020-12', io: 'input' }),
});
