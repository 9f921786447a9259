// The native event contract of POST /flink/events. Field names are fixed: Flink listeners and deploy
// pipelines are written against them. schema/flink-event.schema.json is generated from these schemas.
import * as z from 'zod/mini';
import { described } from '../zod.js';

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
export const JobIdSchema = z.string().check(z.regex(/^[0-9a-f]{32}$/, 'must be a Flink JobID: 32 lower-case hex characters'));

/** A string of at most `max` characters, and at least `min`. */
const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
const textMax = (max: number) => z.string().check(z.maxLength(max));

// Cluster names go into qualifiedNames as `<cluster>/<job>@<namespace>`, so they may not hold '/', '@' or blanks.
// The control characters (\p{Cc}) are spelled out as ranges: the published pattern is then one that every JSON
// Schema tool's regex engine reads (Python's re has no \p{...}).
export const ClusterSchema = described(
  z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[^/@\s\u0000-\u001f\u007f-\u009f]+$/u, "must not contain '/', '@', whitespace or control characters")),
  'Flink cluster or deployment the job runs on; part of the job identity',
);
const JobNameSchema = described(text(1, 1000), 'Flink job name; part of the job identity, stored verbatim');
const EpochMillisSchema = z.int().check(z.minimum(0), z.maximum(8_640_000_000_000_000));
const EventIdSchema = described(z.uuid(), 'Unique id of this event; a retried event keeps its id');
const EventTimeSchema = described(z.iso.datetime({ offset: true }), 'When the event happened (ISO-8601)');
const Parallelism = () => z.int().check(z.minimum(1), z.maximum(1_000_000));
const NonNegativeInt = () => z.int().check(z.minimum(0));

const SchemaFieldSchema = z.object({
  name: text(1, 1000),
  type: z.optional(textMax(1000)),
  description: z.optional(textMax(10_000)),
});
export type SchemaField = z.infer<typeof SchemaFieldSchema>;

/** A dataset as Flink 2's `LineageDataset` and OpenLineage name it: namespace + name. */
export const LineageDatasetSchema = z.object({
  namespace: described(text(1, 2000), 'e.g. kafka://broker:9092, hive://metastore:9083, s3://bucket, file'),
  name: described(text(1, 2000), 'e.g. a topic, db.table, /path'),
  schema: z.optional(z.object({ fields: z.array(SchemaFieldSchema).check(z.maxLength(5000)) })),
  symlinks: described(
    z.optional(
      z
        .array(
          z.object({
            namespace: text(1, 2000),
            name: described(text(1, 2000), "for a Flink SQL table: 'catalog.database.table'"),
            type: described(z.optional(textMax(100)), "'TABLE' for a Flink catalog table"),
          }),
        )
        .check(z.maxLength(100)),
    ),
    'Other names of the dataset (OpenLineage symlinks facet); a TABLE symlink links the job to the Flink table too',
  ),
});
export type LineageDataset = z.infer<typeof LineageDatasetSchema>;

export const LineageSchema = z.object({
  sources: z._default(z.array(LineageDatasetSchema).check(z.maxLength(1000)), []),
  sinks: z._default(z.array(LineageDatasetSchema).check(z.maxLength(1000)), []),
});

/** One vertex of the job graph (Flink REST `plan.nodes[]`): its inputs are the graph's edges. */
export const OperatorSchema = z.object({
  id: text(1, 200),
  name: described(textMax(10_000), 'vertex name, e.g. "Source: orders -> Calc -> Sink: totals"'),
  parallelism: z.optional(Parallelism()),
  inputs: described(
    z.optional(z.array(z.object({ id: text(1, 200), shipStrategy: z.optional(textMax(200)) })).check(z.maxLength(10_000))),
    'upstream operators, with the exchange (ship_strategy: FORWARD, HASH, REBALANCE...)',
  ),
});
export type Operator = z.infer<typeof OperatorSchema>;

/** Checkpoint counts of the run as of eventTime (Flink REST `GET /jobs/:id/checkpoints` `counts`); later counts win. */
export const CheckpointCountsSchema = described(
  z.object({
    completed: z.optional(NonNegativeInt()),
    failed: z.optional(NonNegativeInt()),
    inProgress: z.optional(NonNegativeInt()),
    restored: z.optional(NonNegativeInt()),
    total: z.optional(NonNegativeInt()),
  }),
  'Checkpoint counts of the run at eventTime',
);
export type CheckpointCounts = z.infer<typeof CheckpointCountsSchema>;

export const EnvelopeShape = {
  eventId: EventIdSchema,
  eventTime: EventTimeSchema,
  cluster: ClusterSchema,
};

export const JobStatusEventSchema = described(
  z.object({
    type: z.literal('job.status'),
    ...EnvelopeShape,
    job: z.object({
      id: JobIdSchema,
      name: JobNameSchema,
      status: JobStatusSchema,
      previousStatus: z.optional(JobStatusSchema),
      executionMode: z.optional(ExecutionModeSchema),
      startTime: z.optional(EpochMillisSchema),
      endTime: z.optional(EpochMillisSchema),
      parallelism: z.optional(Parallelism()),
      operators: described(z.optional(z.array(OperatorSchema).check(z.maxLength(10_000))), "The job's operator graph (Flink REST plan.nodes)"),
    }),
    lineage: z.optional(LineageSchema),
    error: z.optional(z.object({ message: textMax(100_000), stackTrace: z.optional(textMax(1_000_000)) })),
    checkpoints: z.optional(CheckpointCountsSchema),
  }),
  'A Flink job status change, from a JobStatusChangedListener or JobListener',
);

export const JobResultEventSchema = described(
  z.object({
    type: z.literal('job.result'),
    ...EnvelopeShape,
    job: z.object({ id: JobIdSchema, name: JobNameSchema }),
    result: z.object({
      netRuntimeMs: NonNegativeInt(),
      accumulators: z._default(z.record(textMax(1000), z.union([z.number(), textMax(10_000)])), {}),
      recordsIn: z.optional(NonNegativeInt()),
      recordsOut: z.optional(NonNegativeInt()),
    }),
  }),
  'The result of a finished Flink job, from JobListener.onJobExecuted or GET /jobs/:id/execution-result',
);

export const JobDeploymentEventSchema = described(
  z.object({
    type: z.literal('job.deployment'),
    ...EnvelopeShape,
    job: z.object({ name: JobNameSchema, id: z.optional(JobIdSchema) }),
    deployment: z.object({
      version: text(1, 200),
      artifact: described(text(1, 2000), 'URI of the job jar'),
      commit: z.optional(textMax(200)),
      parallelism: z.optional(Parallelism()),
      deployedBy: z.optional(textMax(200)),
    }),
  }),
  'A deployment of a Flink job, from a deploy pipeline',
);

export const JobLineageEventSchema = described(
  z.object({
    type: z.literal('job.lineage'),
    ...EnvelopeShape,
    job: z.object({
      name: JobNameSchema,
      // Static lineage describes the job, never one run: a JobID is refused rather than silently ignored.
      id: described(z.optional(z.never()), 'not allowed: job.lineage describes the job, not a run'),
      executionMode: z.optional(ExecutionModeSchema),
    }),
    lineage: LineageSchema,
  }),
  "A job's static lineage (its sources and sinks) without any run, e.g. from an OpenLineage JobEvent",
);

/** A dataset's static metadata without a job or run. Not a job event: it travels as a NativeEvent. */
export const DatasetMetadataEventSchema = described(
  z.object({
    type: z.literal('dataset.metadata'),
    eventId: EventIdSchema,
    eventTime: EventTimeSchema,
    dataset: LineageDatasetSchema,
  }),
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
