import {
  ClusterSchema, DatasetMetadataEventSchema, JobDeploymentEventSchema, JobLineageEventSchema, JobResultEventSchema, JobStatusEventSchema, MAX_EVENTS_PER_REQUEST,
} from './flinkEvents.js';
import { FlinkRestEnvelopeSchema, FlinkRestJobSchema } from './flinkRest.js';
import { CatalogDatabaseEventSchema, CatalogTableEventSchema } from './nativeEvents.js';
import { OpenLineageDatasetEventSchema, OpenLineageJobEventSchema, OpenLineageRunEventSchema } from './openLineage.js';
import * as z from 'zod/mini';
import { withMeta } from '../zod.js';

/**
 * Bumped only when the contract changes; additions (optional fields, new event types) keep the major version.
 * 1.1.0: catalog.table and catalog.database events, job.status job.operators, lineage dataset symlinks.
 * 1.2.0: dataset.metadata events.
 */
export const CONTRACT_VERSION = '1.2.0';

const SCHEMA_BASE = `https://github.com/flink-atlas-bridge/flink-atlas-bridge/schema/${CONTRACT_VERSION}`;

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

type JsonSchema = Record<string, unknown>;

/**
 * The catalog events' rule that table / database is required unless the action is DROP is a zod refinement,
 * which z.toJSONSchema cannot see: it is written into their $defs here as if/then.
 */
const withDefinitionRules = (schema: JsonSchema): JsonSchema => {
  const defs = schema.$defs as Record<string, JsonSchema>;
  for (const [id, field] of [['CatalogTableEvent', 'table'], ['CatalogDatabaseEvent', 'database']] as const) {
    defs[id] = { ...defs[id], if: { required: ['action'], properties: { action: { not: { const: 'DROP' } } } }, then: { required: [field] } };
  }
  return schema;
};

/** The published JSON Schema of a POST /flink/events body, with each event type under $defs. */
export const flinkEventJsonSchema = (): JsonSchema => ({
  $id: `${SCHEMA_BASE}/flink-event.schema.json`,
  title: 'flink-atlas-bridge POST /flink/events body',
  ...withDefinitionRules(z.toJSONSchema(FlinkEventsBodySchema, { target: 'draft-2020-12', io: 'input' }) as JsonSchema),
});

/** The `cluster` of native events, also the ?cluster= of POST /flink/jobs. */
export const clusterJsonSchema = (): JsonSchema => {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(ClusterSchema, { target: 'draft-2020-12', io: 'input' }) as JsonSchema;
  return schema;
};

/** What the bridge reads of a POST /api/v1/lineage body: an OpenLineage RunEvent, JobEvent or DatasetEvent. */
export const openLineageEventJsonSchema = (): Record<string, unknown> => ({
  $id: `${SCHEMA_BASE}/openlineage-event.schema.json`,
  title: 'flink-atlas-bridge POST /api/v1/lineage body (the parts of an OpenLineage event the bridge reads)',
  ...z.toJSONSchema(z.union([OpenLineageRunEventSchema, OpenLineageJobEventSchema, OpenLineageDatasetEventSchema]), { target: 'draft-2020-12', io: 'input' }),
});

/** A POST /flink/jobs body: Flink REST's GET /jobs/:jobid JSON, or {"job", "executionResult"}. */
export const flinkRestJobJsonSchema = (): Record<string, unknown> => ({
  $id: `${SCHEMA_BASE}/flink-rest-job.schema.json`,
  title: 'flink-atlas-bridge POST /flink/jobs body (Flink REST job JSON)',
  ...z.toJSONSchema(z.union([FlinkRestJobSchema, FlinkRestEnvelopeSchema]), { target: 'draft-2020-12', io: 'input' }),
});
