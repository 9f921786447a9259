// OpenLineage events from the openlineage-flink integration (1.x JobListener, 2.x JobStatusChangedListener) →
// native FlinkEvents. Pure. The native events then go through deliverEvents like any other, so an OpenLineage
// run and the same run reported natively end up as the same Atlas entities.
import type {
  DatasetMetadataEvent, ExecutionMode, NativeEvent, JobLineageEvent, JobStatus, JobStatusEvent, LineageDataset,
  OpenLineageDataset, OpenLineageDatasetEvent, OpenLineageEvent, OpenLineageJobEvent, OpenLineageRunEvent,
} from '../contract/index.js';
import { ownField as field } from '../contract/index.js';
import { canonicalJson } from '../mapping/index.js';
import { nameBasedUuid } from './ids.js';

export type Conversion = { kind: 'events'; events: NativeEvent[] } | { kind: 'skipped'; reason: string };

// ---- Is it from Flink? ---------------------------------------------------------------------------------

const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);
const sameText = (value: unknown, expected: string): boolean => typeof value === 'string' && value.toLowerCase() === expected;

/**
 * Read from the raw body, before validation, so another producer's event is never answered 400 by a
 * shared endpoint. Flink evidence: the integration's producer URL (`.../tree/<version>/integration/flink`),
 * or a `flink_job` run facet, or a `processing_engine` run facet naming flink, or a `jobType` job facet
 * with integration FLINK (the one signal a JobEvent can carry besides the producer).
 */
export const notFromFlinkReason = (body: unknown): string | undefined => {
  const producer = field(body, 'producer');
  if (typeof producer === 'string' && producer.includes('/integration/flink')) return undefined;
  if (isObject(field(body, 'run', 'facets', 'flink_job'))) return undefined;
  if (sameText(field(body, 'run', 'facets', 'processing_engine', 'name'), 'flink')) return undefined;
  if (sameText(field(body, 'job', 'facets', 'jobType', 'integration'), 'flink')) return undefined;
  const from = typeof producer === 'string' ? `producer ${JSON.stringify(producer.slice(0, 200))}` : 'an event without producer';
  return `not from the OpenLineage Flink integration (${from}, no flink_job facet, no processing_engine or jobType naming flink): ignored`;
};

// ---- Mapping --------------------------------------------------------------------------------------------

/** The native cluster rule forbids '/', '@', whitespace and control characters (they would break qualifiedNames). */
const clusterOf = (jobNamespace: string): string => jobNamespace.replace(/[/@\s\p{Cc}]/gu, '_');

/**
 * The run's Flink JobID: the `flink_job` facet's when present (so the run is the same Atlas entity as the one
 * native events and POST /flink/jobs write for that JobID); otherwise derived from runId, whose 32 hex digits
 * are a valid, stable JobID-shaped key for the run.
 */
const jobIdOf = (event: OpenLineageRunEvent): string =>
  (event.run.facets?.flink_job?.jobId ?? event.run.runId.replaceAll('-', '')).toLowerCase();

const STATUS_BY_EVENT_TYPE: Readonly<Record<string, JobStatus>> = {
  // START is the job created/submitted (2.x JobCreatedEvent, 1.x onJobSubmitted): Flink's first status,
  // INITIALIZING. It is the lowest in lifecycle order, so every RUNNING and every terminal status of the same
  // run outranks it, in whatever order they arrive (and a native INITIALIZING event is its exact twin).
  START: 'INITIALIZING',
  // 2.x sends RUNNING for every non-terminal status (CREATED, RESTARTING, SUSPENDED...): they read as RUNNING.
  RUNNING: 'RUNNING',
  COMPLETE: 'FINISHED',
  FAIL: 'FAILED',
  ABORT: 'CANCELED',
};

/** jobType.processingType → execution mode. SERVICE (a long-running process with no natural end) is streaming for a Flink job. */
const executionModeOf = (processingType: string | null | undefined): ExecutionMode | undefined => {
  switch (processingType?.toUpperCase()) {
    case 'STREAMING':
    case 'SERVICE':
      return 'STREAMING';
    case 'BATCH':
      return 'BATCH';
    default:
      return undefined;
  }
};

const definedOnly = <T extends Record<string, unknown>>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;

/** namespace/name as given (the naming table maps them); the schema facet's top-level fields onto schema.fields. */
const toLineageDataset = (dataset: OpenLineageDataset): LineageDataset => {
  const fields = dataset.facets?.schema?.fields;
  const symlinks = dataset.facets?.symlinks?.identifiers;
  return {
    namespace: dataset.namespace,
    name: dataset.name,
    ...(symlinks == null || symlinks.length === 0
      ? {}
      : { symlinks: symlinks.map((s) => definedOnly({ namespace: s.namespace, name: s.name, type: s.type ?? undefined })) }),
    ...(fields == null
      ? {}
      : { schema: { fields: fields.map((f) => definedOnly({ name: f.name, type: f.type ?? undefined, description: f.description ?? undefined })) } }),
  };
};

/**
 * Only START (and 1.x RUNNING) carry datasets. An event whose inputs and outputs are both absent or empty says
 * nothing about lineage: it must not wipe the job's inputs/outputs (2.x COMPLETE may send `inputs: []`).
 */
const lineageOf = (event: OpenLineageRunEvent | OpenLineageJobEvent): JobStatusEvent['lineage'] => {
  const inputs = event.inputs ?? [];
  const outputs = event.outputs ?? [];
  if (inputs.length === 0 && outputs.length === 0) return undefined;
  return { sources: inputs.map(toLineageDataset), sinks: outputs.map(toLineageDataset) };
};

const truncate = (text: string, max: number): string => (text.length <= max ? text : text.slice(0, max));

/** The same OpenLineage event always gets the same eventId (a retried POST, a duplicate emit). */
const eventIdOf = (event: unknown): string => nameBasedUuid('openlineage', canonicalJson(event));

/** The native envelope of a converted event: its id, its time, and the cluster its job namespace names. */
const envelopeOf = (event: { eventTime: string; job: { namespace: string } }) => ({
  eventId: eventIdOf(event),
  eventTime: event.eventTime,
  cluster: clusterOf(event.job.namespace),
});

const runEventToFlinkEvents = (event: OpenLineageRunEvent): Conversion => {
  const eventType = event.eventType?.toUpperCase();
  const lineage = lineageOf(event);
  let status = eventType === undefined ? undefined : STATUS_BY_EVENT_TYPE[eventType];
  if (status === undefined) {
    // OTHER, a missing or an unknown eventType: it still names datasets of a live run, or it says nothing we keep.
    if (lineage === undefined) {
      return { kind: 'skipped', reason: `eventType ${eventType ?? '(none)'} without inputs or outputs: nothing to record` };
    }
    status = 'RUNNING';
  }
  const facets = event.run.facets;
  const errorFacet = facets?.errorMessage;
  const checkpoints = facets?.checkpoints;
  const executionMode = executionModeOf(event.job.facets?.jobType?.processingType);
  const native: JobStatusEvent = {
    type: 'job.status',
    ...envelopeOf(event),
    job: {
      id: jobIdOf(event),
      name: event.job.name,
      status,
      ...(executionMode === undefined ? {} : { executionMode }),
    },
    ...(lineage === undefined ? {} : { lineage }),
    ...(errorFacet == null
      ? {}
      : {
          // The native limits; an over-long stack trace is cut rather than the whole event refused.
          error: definedOnly({
            message: truncate(errorFacet.message, 100_000),
            stackTrace: errorFacet.stackTrace == null ? undefined : truncate(errorFacet.stackTrace, 1_000_000),
          }),
        }),
    ...(checkpoints == null
      ? {}
      : {
          checkpoints: definedOnly({
            completed: checkpoints.completed ?? undefined,
            failed: checkpoints.failed ?? undefined,
            inProgress: checkpoints['in-progress'] ?? undefined,
            restored: checkpoints.restored ?? undefined,
            total: checkpoints.total ?? undefined,
          }),
        }),
  };
  return { kind: 'events', events: [native] };
};

/** Static lineage: the job's inputs/outputs without a run, as the native job.lineage event. */
const jobEventToFlinkEvents = (event: OpenLineageJobEvent): Conversion => {
  const lineage = lineageOf(event);
  if (lineage === undefined) return { kind: 'skipped', reason: 'a JobEvent without inputs or outputs carries no lineage: nothing to record' };
  const executionMode = executionModeOf(event.job.facets?.jobType?.processingType);
  const native: JobLineageEvent = {
    type: 'job.lineage',
    ...envelopeOf(event),
    job: { name: event.job.name, ...(executionMode === undefined ? {} : { executionMode }) },
    lineage,
  };
  return { kind: 'events', events: [native] };
};

/** A dataset without a job: registered under the naming table, its schema as columns where the bridge owns them. */
const datasetEventToFlinkEvents = (event: OpenLineageDatasetEvent): Conversion => {
  const native: DatasetMetadataEvent = {
    type: 'dataset.metadata',
    eventId: eventIdOf(event),
    eventTime: event.eventTime,
    dataset: toLineageDataset(event.dataset),
  };
  return { kind: 'events', events: [native] };
};

/** Pure: one validated OpenLineage event from Flink in, the native events it stands for (or why none) out. */
export const openLineageToFlinkEvents = (parsed: OpenLineageEvent): Conversion => {
  switch (parsed.kind) {
    case 'run':
      return runEventToFlinkEvents(parsed.event);
    case 'job':
      return jobEventToFlinkEvents(parsed.event);
    case 'dataset':
      return datasetEventToFlinkEvents(parsed.event);
  }
};
