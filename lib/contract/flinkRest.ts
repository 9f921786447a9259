// The body of POST /flink/jobs: Flink REST `GET /jobs/:jobid` JSON as it is, or the envelope
// `{ "job": <GET /jobs/:jobid>, "executionResult": <GET /jobs/:jobid/execution-result> }`.
// Typed only where the bridge reads; every other field (timestamps, status-counts, stream-graph...) is allowed
// and ignored. Field names as Flink spells them: JobDetailsInfo, JobExecutionResultResponseBody, JobResultSerializer.
import * as z from 'zod';
import { JobStatusSchema } from './flinkEvents.js';
import { describeIssues, type InputProblem } from './parseBatch.js';

const JidSchema = z.string().regex(/^[0-9a-fA-F]{32}$/, 'must be a Flink JobID: 32 hex characters');
/** Epoch ms, or ms for durations; Flink writes -1 for "not set". */
const MillisOrUnset = z.int().min(-1).max(8_640_000_000_000_000);
const RecordCount = z.int().min(0);

const VertexSchema = z.looseObject({
  id: z.string().min(1).max(200),
  name: z.string().max(10_000).optional(),
  parallelism: z.int().optional(),
  metrics: z
    .looseObject({
      'read-records': RecordCount.optional(),
      'write-records': RecordCount.optional(),
    })
    .optional(),
});

const PlanNodeSchema = z.looseObject({
  id: z.string().min(1).max(200),
  parallelism: z.int().optional(),
  operator: z.string().max(10_000).optional(),
  description: z.string().max(100_000).optional(),
  inputs: z
    .array(z.looseObject({ id: z.string().min(1).max(200), ship_strategy: z.string().max(200).optional() }))
    .max(10_000)
    .optional(),
});

export const FlinkRestJobSchema = z.looseObject({
  jid: JidSchema,
  name: z.string().min(1).max(1000),
  state: JobStatusSchema,
  'start-time': MillisOrUnset.optional(),
  'end-time': MillisOrUnset.optional(),
  duration: MillisOrUnset.optional(),
  now: z.int().min(0).max(8_640_000_000_000_000),
  /** BATCH | STREAMING, Flink 2.x; kept open. */
  'job-type': z.string().max(100).optional(),
  vertices: z.array(VertexSchema).max(10_000).default([]),
  plan: z
    .looseObject({
      type: z.string().max(100).optional(),
      nodes: z.array(PlanNodeSchema).max(10_000).optional(),
    })
    .optional(),
});
export type FlinkRestJob = z.infer<typeof FlinkRestJobSchema>;
export type FlinkRestVertex = z.infer<typeof VertexSchema>;

/** `GET /jobs/:jobid/execution-result`; `job-execution-result` is present once status.id is COMPLETED. */
export const FlinkRestExecutionResultSchema = z.looseObject({
  status: z.looseObject({ id: z.string().max(100) }).optional(),
  'job-execution-result': z
    .looseObject({
      id: JidSchema.optional(),
      'application-status': z.string().max(100).optional(),
      'net-runtime': z.int().min(0).optional(),
      // SerializedThrowable: the original class and the full stack trace as text.
      'failure-cause': z
        .looseObject({ class: z.string().max(10_000).optional(), 'stack-trace': z.string().max(1_000_000).optional() })
        .optional(),
    })
    .optional(),
});
export type FlinkRestExecutionResult = z.infer<typeof FlinkRestExecutionResultSchema>;

export const FlinkRestEnvelopeSchema = z.object({
  job: FlinkRestJobSchema,
  executionResult: FlinkRestExecutionResultSchema.optional(),
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
