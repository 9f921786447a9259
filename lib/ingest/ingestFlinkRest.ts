// The use case behind POST /flink/jobs: Flink REST job JSON (GET /jobs/:jobid, optionally with its
// execution-result) becomes a job.status event, plus a job.result event once the job is globally terminal.
import { InputRejection } from '../errors.js';
import { flinkRestSubject, JobStatusEventSchema, parseFlinkRestBody } from '../contract/index.js';
import { flinkRestToFlinkEvents } from '../convert/index.js';
import { deliverConverted, rejectedBody } from './deliverConverted.js';
import type { IngestDeps } from './deliverEvents.js';
import type { IngestReport } from './ingestFlinkEvents.js';

export interface FlinkRestParameters {
  /** `?cluster=`: the REST JSON does not say which cluster it came from, and the cluster is part of the job's identity. */
  cluster?: string | undefined;
}

const clusterOf = (cluster: string | undefined): string => {
  if (cluster === undefined || cluster === '') {
    throw new InputRejection(400, 'INVALID_PARAMETER', [
      { pointer: '', message: 'the query parameter cluster is required: the Flink cluster the job runs on, as the other event sources name it (e.g. ?cluster=flink-prod)' },
    ]);
  }
  const checked = JobStatusEventSchema.shape.cluster.safeParse(cluster);
  if (!checked.success) {
    throw new InputRejection(400, 'INVALID_PARAMETER', checked.error.issues.map((issue) => ({ pointer: '', message: `the query parameter cluster ${issue.message}` })));
  }
  return checked.data;
};

export const ingestFlinkRest = async (body: unknown, parameters: FlinkRestParameters, deps: IngestDeps): Promise<IngestReport> => {
  const cluster = clusterOf(parameters.cluster);
  const subject = flinkRestSubject(body);
  const parsed = parseFlinkRestBody(body);
  if (!parsed.ok) return rejectedBody(parsed.problems, subject);
  return deliverConverted(flinkRestToFlinkEvents(parsed.value, { cluster }), subject, deps);
};
