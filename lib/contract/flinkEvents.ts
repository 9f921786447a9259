// The native event contract of POST /flink/events. Field names are fixed: Flink listeners and deploy
// pipelines are written against them. schema/flink-event.schema.json is generated from these schemas.
import * as z from 'zod';

/** Flink's `org.apache.flink.api.common.JobStatus`, spelled exactly as Flink spells it. */
export const JOB_STATUSES = [
  'INITIALIZING', 'CREATED', 'RUNNING', 'FAILING', 'FAILED', 'CANCELLING',
  'CANCELED', 'FINISHED', 'RESTARTING', 'SUSPENDED', 'RECONCILING',
] as const;
export const JobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const ExecutionModeSchema = z.enum(['STREAMING', 'BATCH']);
export type ExecutionMode = z.infer<typeof ExecutionModeSchema>;

/** Flink prints a JobID as 32 lower-case hex characters. */
export const JobIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be a Flink JobID: 32 lower-case hex characters');

// Cluster names go into qualifiedNames as `<cluster>/<job>@<namespace>`, so they may not hold '/', '@' or blanks.
const ClusterSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^/@\s\p{Cc}]+$/u, "must not contain '/', '@', whitespace or control characters")
  .describe('Flink cluster or deployment the job runs on; part of the job identity');
const JobNameSchema = z.string().min(1).max(1000).describe('Flink job name; part of the job identity, stored verbatim');
const EpochMillisSchema = z.int().min(0).max(8_640_000_000_000_000);
const EventIdSchema = z.uuid().describe('Unique id of this event; a retried event keeps its id');
const EventTimeSchema = z.iso.datetime({ offset: true }).describe('When the event happened (ISO-8601)');

const SchemaFieldSchema = z.object({
  name: z.string().min(1).max(1000),
  type: z.string().max(1000).optional(),
  description: z.string().max(10_000).optional(),
});
export type SchemaField = z.infer<typeof SchemaFieldSchema>;

/** A dataset as Flink 2's `LineageDataset` and OpenLineage name it: namespace + name. */
export const LineageDatasetSchema = z.object({
  namespace: z.string().min(1).max(2000).describe('e.g. kafka://broker:9092, hive://metastore:9083, s3://bucket, file'),
  name: z.string().min(1).max(2000).describe('e.g. a topic, db.table, /path'),
  schema: z.object({ fields: z.array(SchemaFieldSchema).max(5000) }).optional(),
  symlinks: z
    .array(
      z.object({
        namespace: z.string().min(1).max(2000),
        name: z.string().min(1).max(2000).describe("for a Flink SQL table: 'catalog.database.table'"),
        type: z.string().max(100).optional().describe("'TABLE' for a Flink catalog table"),
      }),
    )
    .max(100)
    .optional()
    .describe('Other names of the dataset (OpenLineage symlinks facet); a TABLE symlink links the job to the Flink table too'),
});
export type LineageDataset = z.infer<typeof LineageDatasetSchema>;

export const LineageSchema = z.object({
  sources: z.array(LineageDatasetSchema).max(1000).default([]),
  sinks: z.array(LineageDatasetSchema).max(1000).default([]),
});

/** One vertex of the job graph (Flink REST `plan.nodes[]`): its inputs are the graph's edges. */
export const OperatorSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().max(10_000).describe('vertex name, e.g. "Source: orders -> Calc -> Sink: totals"'),
  parallelism: z.int().min(1).max(1_000_000).optional(),
  inputs: z
    .array(z.object({ id: z.string().min(1).max(200), shipStrategy: z.string().max(200).optional() }))
    .max(10_000)
    .optional()
    .describe('upstream operators, with the exchange (ship_strategy: FORWARD, HASH, REBALANCE...)'),
});
export type Operator = z.infer<typeof OperatorSchema>;

/** Checkpoint counts of the run as of eventTime (Flink REST `GET /jobs/:id/checkpoints` `counts`); later counts win. */
export const CheckpointCountsSchema = z
  .object({
    completed: z.int().min(0).optional(),
    failed: z.int().min(0).optional(),
    inProgress: z.int().min(0).optional(),
    restored: z.int().min(0).optional(),
    total: z.int().min(0).optional(),
  })
  .describe('Checkpoint counts of the run at eventTime');
export type CheckpointCounts = z.infer<typeof CheckpointCountsSchema>;

export const EnvelopeShape = {
  eventId: EventIdSchema,
  eventTime: EventTimeSchema,
  cluster: ClusterSchema,
};

export const JobStatusEventSchema = z
  .object({
    type: z.literal('job.status'),
    ...EnvelopeShape,
    job: z.object({
      id: JobIdSchema,
      name: JobNameSchema,
      status: JobStatusSchema,
      previousStatus: JobStatusSchema.optional(),
      executionMode: ExecutionModeSchema.optional(),
      startTime: EpochMillisSchema.optional(),
      endTime: EpochMillisSchema.optional(),
      parallelism: z.int().min(1).max(1_000_000).optional(),
      operators: z.array(OperatorSchema).max(10_000).optional().describe("The job's operator graph (Flink REST plan.nodes)"),
    }),
    lineage: LineageSchema.optional(),
    error: z.object({ message: z.string().max(100_000), stackTrace: z.string().max(1_000_000).optional() }).optional(),
    checkpoints: CheckpointCountsSchema.optional(),
  })
  .describe('A Flink job status change, from a JobStatusChangedListener or JobListener');

export const JobResultEventSchema = z
  .object({
    type: z.literal('job.result'),
    ...EnvelopeShape,
    job: z.object({ id: JobIdSchema, name: JobNameSchema }),
    result: z.object({
      netRuntimeMs: z.int().min(0),
      accumulators: z.record(z.string().max(1000), z.union([z.number(), z.string().max(10_000)])).default({}),
      recordsIn: z.int().min(0).optional(),
      recordsOut: z.int().min(0).optional(),
    }),
  })
  .describe('The result of a finished Flink job, from JobListener.onJobExecuted or GET /jobs/:id/execution-result');

export const JobDeploymentEventSchema = z
  .object({
    type: z.literal('job.deployment'),
    ...EnvelopeShape,
    job: z.object({ name: JobNameSchema, id: JobIdSchema.optional() }),
    deployment: z.object({
      version: z.string().min(1).max(200),
      artifact: z.string().min(1).max(2000).describe('URI of the job jar'),
      commit: z.string().max(200).optional(),
      parallelism: z.int().min(1).max(1_000_000).optional(),
      deployedBy: z.string().max(200).optional(),
    }),
  })
  .describe('A deployment of a Flink job, from a deploy pipeline');

export const JobLineageEventSchema = z
  .object({
    type: z.literal('job.lineage'),
    ...EnvelopeShape,
    job: z.object({
      name: JobNameSchema,
      // Static lineage describes the job, never one run: a JobID is refused rather than silently ignored.
      id: z.never().optional().describe('not allowed: job.lineage describes the job, not a run'),
      executionMode: ExecutionModeSchema.optional(),
    }),
    lineage: LineageSchema,
  })
  .describe("A job's static lineage (its sources and sinks) without any run, e.g. from an OpenLineage JobEvent");

/** A dataset's static metadata without a job or run. Not a job event: it travels as a NativeEvent. */
export const DatasetMetadataEventSchema = z
  .object({
    type: z.literal('dataset.metadata'),
    eventId: EventIdSchema,
    eventTime: EventTimeSchema,
    dataset: LineageDatasetSchema,
  })
  .describe(
    "A dataset Flink reads or writes, with its schema, outside any job, e.g. from an OpenLineage DatasetEvent: registers the dataset, and its schema as the columns of a Hive table the Hive hook does not own",
  );
export type DatasetMetadataEvent = z.infer<typeof DatasetMetadataEventSchema>;

export const FlinkEventSchema = z.discriminatedUnion('type', [
  JobStatusEventSchema,
  JobResultEventSchema,
  JobDeploymentEventSchema,
  JobLineageEventSchema,
]);

export type JobStatusEvent = z.infer<typeof JobStatusEventSchema>;
export type JobResultEvent = z.infer<typeof JobResultEventSchema>;
export type JobDeploymentEvent = z.infer<typeof JobDeploymentEventSchema>;
export type JobLineageEvent = z.infer<typeof JobLineageEventSchema>;
export type FlinkEvent = z.infer<typeof FlinkEventSchema>;
export type FlinkEventType = FlinkEvent['type'];

/** A POST body holds one event, or an array of at most this many (a pipeline replaying history). */
export const MAX_EVENTS_PER_REQUEST = 500;
