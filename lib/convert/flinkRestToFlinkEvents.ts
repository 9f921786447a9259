// Flink REST job JSON (GET /jobs/:jobid, optionally with GET /jobs/:jobid/execution-result) → native FlinkEvents.
// Pure. The JSON holds no lineage: the run joins the job (cluster + name) whose lineage came by the other paths.
import type {
  ExecutionMode, FlinkEvent, FlinkRestBody, FlinkRestJob, JobResultEvent, JobStatusEvent, Operator,
} from '../contract/index.js';
import { GLOBALLY_TERMINAL } from '../mapping/index.js';
import { nameBasedUuid } from './ids.js';

export interface FlinkRestContext {
  /** The Flink cluster the job runs on (validated by the caller against the native cluster rule). */
  cluster: string;
}

/** Flink writes -1 (and 0 in `timestamps`) for a time it has not reached. */
const setTime = (value: number | undefined): number | undefined => (value !== undefined && value > 0 ? value : undefined);

const executionModeOf = (job: FlinkRestJob): ExecutionMode | undefined => {
  const type = (job['job-type'] ?? job.plan?.type)?.toUpperCase();
  return type === 'STREAMING' || type === 'BATCH' ? type : undefined;
};

export interface RecordCounts {
  recordsIn?: number;
  recordsOut?: number;
}

/**
 * Records in/out of the job, from the vertex metrics. The topology comes from `plan.nodes[].inputs`: a source
 * vertex has no inputs, a sink vertex is no other vertex's input. Flink's vertex metrics count only records
 * exchanged between tasks, so a source's `read-records` and a sink's `write-records` are always 0; what the
 * sources emitted (their `write-records`) is the job's records in, what the sinks received (their
 * `read-records`) its records out. A vertex that is both source and sink (a fully chained pipeline) exchanges
 * nothing, so its records cannot be known: then both counts are left unset rather than reported short.
 */
export const recordCounts = (job: FlinkRestJob): RecordCounts => {
  const nodes = job.plan?.nodes;
  if (nodes === undefined || nodes.length === 0 || job.vertices.length === 0) return {};
  const upstreamOf = new Map(nodes.map((n) => [n.id, (n.inputs ?? []).map((i) => i.id)]));
  const feedsOthers = new Set(nodes.flatMap((n) => (n.inputs ?? []).map((i) => i.id)));
  const sources = job.vertices.filter((v) => (upstreamOf.get(v.id) ?? []).length === 0);
  const sinks = job.vertices.filter((v) => !feedsOthers.has(v.id));
  if (sources.some((v) => sinks.includes(v))) return {};
  const sum = (values: (number | undefined)[]): number | undefined =>
    values.some((v) => v === undefined) ? undefined : values.reduce<number>((a, b) => a + (b ?? 0), 0);
  const recordsIn = sum(sources.map((v) => v.metrics?.['write-records']));
  const recordsOut = sum(sinks.map((v) => v.metrics?.['read-records']));
  return {
    ...(recordsIn === undefined ? {} : { recordsIn }),
    ...(recordsOut === undefined ? {} : { recordsOut }),
  };
};

/** Flink's plan descriptions are HTML-ish ("Source: orders<br/>+- Calc..."): the first line, tags removed. */
const planNodeName = (description: string | undefined, operator: string | undefined): string => {
  const text = (description ?? '').split(/<br\s*\/?>|\n/i)[0]?.replace(/<[^>]*>/g, '').trim();
  return (text || operator || '').slice(0, 10_000);
};

/**
 * The job's operator graph from `plan.nodes`: each vertex with its name (the vertex's own when `vertices` has it:
 * "Source: orders -> Calc -> Sink: totals"), parallelism and inputs (the edges, with their ship strategy).
 */
export const operatorsOf = (job: FlinkRestJob): Operator[] | undefined => {
  const nodes = job.plan?.nodes;
  if (nodes === undefined || nodes.length === 0) return undefined;
  const vertexById = new Map(job.vertices.map((v) => [v.id, v]));
  return nodes.map((node) => {
    const vertex = vertexById.get(node.id);
    const parallelism = vertex?.parallelism ?? node.parallelism;
    const inputs = (node.inputs ?? []).map((input) => ({
      id: input.id,
      ...(input.ship_strategy ? { shipStrategy: input.ship_strategy } : {}),
    }));
    return {
      id: node.id,
      name: vertex?.name ?? planNodeName(node.description, node.operator),
      ...(parallelism !== undefined && parallelism >= 1 ? { parallelism } : {}),
      ...(inputs.length > 0 ? { inputs } : {}),
    };
  });
};

/** First line of Flink's stack-trace text ("org.example.SomeException: what went wrong"), else the class. */
const errorOf = (body: FlinkRestBody): JobStatusEvent['error'] => {
  const cause = body.executionResult?.['job-execution-result']?.['failure-cause'];
  if (cause === undefined) return undefined;
  const stackTrace = cause['stack-trace'];
  const firstLine = stackTrace?.split('\n', 1)[0]?.trim();
  const message = firstLine || cause.class;
  if (message === undefined) return undefined;
  return { message: message.slice(0, 100_000), ...(stackTrace === undefined ? {} : { stackTrace }) };
};

/**
 * Pure: the job JSON in, a job.status event out (at the JSON's `now`), plus a job.result event once the job is
 * globally terminal. Event ids derive from (jid, state, now) and (jid, 'result', time), so re-posting the same
 * JSON is idempotent down to the ids.
 */
export const flinkRestToFlinkEvents = (body: FlinkRestBody, context: FlinkRestContext): FlinkEvent[] => {
  const { job } = body;
  const jobId = job.jid.toLowerCase();
  const startTime = setTime(job['start-time']);
  const endTime = setTime(job['end-time']);
  const executionMode = executionModeOf(job);
  const error = errorOf(body);
  const operators = operatorsOf(job);
  const status: JobStatusEvent = {
    type: 'job.status',
    eventId: nameBasedUuid('flink-rest', jobId, job.state, String(job.now)),
    eventTime: new Date(job.now).toISOString(),
    cluster: context.cluster,
    job: {
      id: jobId,
      name: job.name,
      status: job.state,
      ...(executionMode === undefined ? {} : { executionMode }),
      ...(startTime === undefined ? {} : { startTime }),
      ...(endTime === undefined ? {} : { endTime }),
      ...(operators === undefined ? {} : { operators }),
    },
    ...(error === undefined ? {} : { error }),
  };
  if (!GLOBALLY_TERMINAL.has(job.state)) return [status];

  const duration = job.duration !== undefined && job.duration >= 0 ? job.duration : undefined;
  const netRuntimeMs =
    body.executionResult?.['job-execution-result']?.['net-runtime'] ??
    duration ??
    (startTime !== undefined && endTime !== undefined && endTime >= startTime ? endTime - startTime : undefined);
  if (netRuntimeMs === undefined) return [status];
  // The result is fixed when the job ends: dated at end-time, re-posts of a finished job give the same result
  // event, and a JobListener result (dated after the job ended, with readable accumulators) still wins over it.
  const resultAt = endTime ?? job.now;
  const result: JobResultEvent = {
    type: 'job.result',
    eventId: nameBasedUuid('flink-rest', jobId, 'result', String(resultAt)),
    eventTime: new Date(resultAt).toISOString(),
    cluster: context.cluster,
    job: { id: jobId, name: job.name },
    // accumulator-results are Java-serialized values (base64): not readable here, so none are reported.
    result: { netRuntimeMs, accumulators: {}, ...recordCounts(job) },
  };
  return [status, result];
};
