import * as z from 'zod';
import {
  DatasetMetadataEventSchema, JobDeploymentEventSchema, JobLineageEventSchema, JobResultEventSchema, JobStatusEventSchema, MAX_EVENTS_PER_REQUEST,
} from './flinkEvents.js';
import { CatalogDatabaseEventSchema, CatalogTableEventSchema } from './nativeEvents.js';

/**
 * Bumped only when the contract changes; additions (optional fields, new event types) keep the major version.
 * 1.1.0: catalog.table and catalog.database events, job.status job.operators, lineage dataset symlinks.
 * 1.2.0: dataset.metadata events.
 */
export const CONTRACT_VERSION = '1.2.0';

/** A POST /flink/events body: one event, or an array of them. */
const FlinkEventForSchema = z
  .discriminatedUnion('type', [
    JobStatusEventSchema.meta({ id: 'JobStatusEvent' }),
    JobResultEventSchema.meta({ id: 'JobResultEvent' }),
    JobDeploymentEventSchema.meta({ id: 'JobDeploymentEvent' }),
    JobLineageEventSchema.meta({ id: 'JobLineageEvent' }),
    CatalogTableEventSchema.meta({ id: 'CatalogTableEvent' }),
    CatalogDatabaseEventSchema.meta({ id: 'CatalogDatabaseEvent' }),
    DatasetMetadataEventSchema.meta({ id: 'DatasetMetadataEvent' }),
  ])
  .meta({ id: 'FlinkEvent' });
const FlinkEventsBodySchema = z.union([FlinkEventForSchema, z.array(FlinkEventForSchema).min(1).max(MAX_EVENTS_PER_REQUEST)]);

/** The published JSON Schema of a POST /flink/events body, with each event type under $defs. */
export const flinkEventJsonSchema = (): Record<string, unknown> => ({
  $id: `https://github.com/flink-atlas-bridge/flink-atlas-bridge/schema/${CONTRACT_VERSION}/flink-event.schema.json`,
  title: 'flink-atlas-bridge POST /flink/events body',
  ...z.toJSONSchema(FlinkEventsBodySchema, { target: 'draft-2020-12', io: 'input' }),
});
