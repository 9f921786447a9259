// The body of POST /flink/jobs: Flink REST `GET /jobs/:jobid` JSON as it is, or the envelope
// `{ "job": <GET /jobs/:jobid>, "executionResult": <GET /jobs/:jobid/execution-result> }`.
// Typed only where the bridge reads; every other field (timestamps, status-counts, stream-graph...) is allowed
// and ignored. Field names as Flink spells them: JobDetailsInfo, JobExecutionResultResponseBody, JobResultSerializer.
import { JobStatusSchema } from './flinkEvents.js';
import { describeIssues, type InputProblem } from './parseBatch.js';
import * as z from 'zod/mini';

const JidSchema = z.string().check(z.regex(/^[0-9a-fA-F]{32}$/, 'must be a Flink JobID: 32 hex characters'));
/**
 * The last instant an ISO-8601 eventTime can carry without an expanded year (9999-12-31T23:59:59.999Z): `now` and
 * `end-time` become event times, so later values are refused here, pointing at the field, not after conversion.
 */
const LAST_ISO_INSTANT_MS = 253_402_300_799_999;
/** Epoch ms, or ms for durations; Flink writes -1 for "not set". */
const MillisOrUnset = z.int().check(z.minimum(-1), z.maximum(LAST_ISO_INSTANT_MS));
const RecordCount = z.int().check(z.minimum(0));
/** At most the native contract's parallelism; below 1 (Flink's -1, "not set") the converter leaves it out. */
const RestParallelism = z.int().check(z.maximum(1_000_000));
const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
const textMax = (max: number) => z.string().check(z.maxLength(max));

const VertexSchema = z.looseObject({
  id: text(1, 200),
  name: z.optional(textMax(10_000)),
  parallelism: z.optional(RestParallelism),
  metrics: z.optional(
    z.looseObject({
      'read-records': z.optional(RecordCount),
      'write-records': z.optional(RecordCount),
    }),
  ),
});

const PlanNodeSchema = z.looseObject({
  id: text(1, 200),
  parallelism: z.optional(RestParallelism),
  operator: z.optional(textMax(10_000)),
  description: z.optional(textMax(100_000)),
  inputs: z.optional(z.array(z.looseObject({ id: text(1, 200), ship_strategy: z.optional(textMax(200)) })).check(z.maxLength(10_000))),
});

export const FlinkRestJobSchema = z.looseObject({
  jid: JidSchema,
  name: text(1, 1000),
  state: JobStatusSchema,
  'start-time': z.optional(MillisOrUnset),
  'end-time': z.optional(MillisOrUnset),
  duration: z.optional(MillisOrUnset),
  now: z.int().check(z.minimum(0), z.maximum(LAST_ISO_INSTANT_MS)),
  /** BATCH | STREAMING, Flink 2.x; kept open. */
  'job-type': z.optional(textMax(100)),
  vertices: z._default(z.array(VertexSchema).check(z.maxLength(10_000)), []),
  plan: z.optional(
    z.looseObject({
      type: z.optional(textMax(100)),
      nodes: z.optional(z.array(PlanNodeSchema).check(z.maxLength(10_000))),
    }),
  ),
});
export type FlinkRestJob = z.infer<typeof FlinkRestJobSchema>;
export type FlinkRestVertex = z.infer<typeof VertexSchema>;

/** `GET /jobs/:jobid/execution-result`; `job-execution-result` is present once status.id is COMPLETED. */
export const FlinkRestExecutionResultSchema = z.looseObject({
  status: z.optional(z.looseObject({ id: textMax(100) })),
  'job-execution-result': z.optional(
    z.looseObject({
      id: z.optional(JidSchema),
      'application-status': z.optional(textMax(100)),
      'net-runtime': z.optional(z.int().check(z.minimum(0))),
      // SerializedThrowable: the original class and the full stack trace as text.
      'failure-cause': z.optional(z.looseObject({ class: z.optional(textMax(10_000)), 'stack-trace': z.optional(textMax(1_000_000)) })),
    }),
  ),
});
export type FlinkRestExecutionResult = z.infer<typeof FlinkRestExecutionResultSchema>;

export const FlinkRestEnvelopeSchema = z.object({
  job: FlinkRestJobSchema,
  executionResult: z.optional(FlinkRestExecutionResultSchema),
});
export type FlinkRestBody = z.infer<typeof FlinkRestEnvelopeSchema>;

export type FlinkRestParse = { ok: true; value: FlinkRestBody } | { ok: false; problems: InputProblem[] };

const isEnvelope = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && !Array.isArray(body) && 'job' in body && !('jid' in body);

/** Accepts the bare job JSON and the envelope alike; problems point into the body as sent. */
export const parseFlinkRestBody = (body: unknown): FlinkRestParse => {
  if (isEnvelope(body)) {
    const result = FlinkRestEnvelopeSchema.safeParse(body);
    if (!result.success) return { ok: false, problems: describeIssues(result.error.issues, []) };
    const { job, executionResult } = result.data;
    const resultJobId = executionResult?.['job-execution-result']?.id;
    if (resultJobId !== undefined && resultJobId.toLowerCase() !== job.jid.toLowerCase()) {
      return {
        ok: false,
        problems: [{ pointer: '/executionResult/job-execution-result/id', message: `belongs to job ${resultJobId}, not to job.jid ${job.jid}` }],
      };
    }
    return { ok: true, value: result.data };
  }
  const result = FlinkRestJobSchema.safeParse(body);
  if (!result.success) return { ok: false, problems: describeIssues(result.error.issues, []) };
  return { ok: true, value: { job: result.data } };
};
