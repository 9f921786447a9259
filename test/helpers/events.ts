// Factories for native events: realistic defaults, each test overrides what it is about.
import { randomUUID } from 'node:crypto';
import type {
  JobDeploymentEvent, JobResultEvent, JobStatus, JobStatusEvent, LineageDataset,
} from '../../lib/contract/index.js';
import type { NamingContext } from '../../lib/mapping/index.js';

export const naming: NamingContext = { atlasNamespace: 'primary', namespaceOverrides: {} };

export const JOB_ID = '3f2a9c1e5b7d4e0f8a6b1c2d3e4f5a6b';
export const T0 = Date.parse('2026-11-25T09:00:00.000Z');
export const iso = (ms: number): string => new Date(ms).toISOString();

export const ordersLineage: { sources: LineageDataset[]; sinks: LineageDataset[] } = {
  sources: [
    { namespace: 'kafka://kafka-1:9092', name: 'orders' },
    { namespace: 'hive://metastore:9083', name: 'sales.customers_dim' },
  ],
  sinks: [{ namespace: 's3://lake', name: 'enriched/orders' }],
};

export const statusEvent = (
  status: JobStatus,
  at: number,
  overrides: { job?: Partial<JobStatusEvent['job']> } & Partial<Omit<JobStatusEvent, 'job'>> = {},
): JobStatusEvent => {
  const { job, ...rest } = overrides;
  return {
    type: 'job.status',
    eventId: randomUUID(),
    eventTime: iso(at),
    cluster: 'flink-prod',
    job: { id: JOB_ID, name: 'orders-enrichment', status, ...job },
    ...rest,
  };
};

export const resultEvent = (at: number, overrides: Partial<JobResultEvent['result']> = {}, jobId = JOB_ID): JobResultEvent => ({
  type: 'job.result',
  eventId: randomUUID(),
  eventTime: iso(at),
  cluster: 'flink-prod',
  job: { id: jobId, name: 'orders-enrichment' },
  result: { netRuntimeMs: 60_000, accumulators: { 'rows-read': 1200 }, recordsIn: 1200, recordsOut: 1100, ...overrides },
});

/** `jobId: null` for a deployment announced before any run exists. */
export const deploymentEvent = (at: number, version: string, jobId: string | null = JOB_ID): JobDeploymentEvent => ({
  type: 'job.deployment',
  eventId: randomUUID(),
  eventTime: iso(at),
  cluster: 'flink-prod',
  job: { name: 'orders-enrichment', ...(jobId === null ? {} : { id: jobId }) },
  deployment: { version, artifact: `s3://artifacts/orders-enrichment-${version}.jar`, commit: 'abc1234', deployedBy: 'ci' },
});

/** A realistic streaming run that is cancelled after running, with a deployment and a result. */
export const cancelledRun = (jobId = JOB_ID, t = T0) => [
  deploymentEvent(t, '2.4.1', jobId),
  statusEvent('INITIALIZING', t + 1000, { job: { id: jobId, executionMode: 'STREAMING', startTime: t + 1000 }, lineage: ordersLineage }),
  statusEvent('CREATED', t + 2000, { job: { id: jobId, previousStatus: 'INITIALIZING' } }),
  statusEvent('RUNNING', t + 3000, { job: { id: jobId, previousStatus: 'CREATED', parallelism: 4 } }),
  statusEvent('RESTARTING', t + 4000, { job: { id: jobId, previousStatus: 'RUNNING' }, error: { message: 'TaskManager lost' } }),
  statusEvent('RUNNING', t + 5000, { job: { id: jobId, previousStatus: 'RESTARTING', parallelism: 4 } }),
  statusEvent('CANCELLING', t + 6000, { job: { id: jobId, previousStatus: 'RUNNING' } }),
  statusEvent('CANCELED', t + 7000, { job: { id: jobId, previousStatus: 'CANCELLING', endTime: t + 7000 } }),
  resultEvent(t + 7100, {}, jobId),
];
