// The retry worker (functions/retryWorker.ts, the real middy handler) in a process of its own.
// - `batch`: one SQS event of the given message bodies, as Lambda would deliver it, for counting Atlas calls.
// - `drain`: pollers over the real local SQS (local/sqsPoller.ts, playing the event source mapping with
//   maximumConcurrency 2) until the queue is empty; role `baseline` drains with a handler that only parses
//   each body, the floor of the SQS round trips themselves.
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { performance } from 'node:perf_hooks';
import { lambdaContext } from '../../test/helpers/apiGateway.js';
import { startSqsPoller } from '../../local/sqsPoller.js';
import { attributed, memorySnapshot, type CallTimes } from '../lib/attribution.js';
import { serve } from '../lib/children.js';

type Handler = (event: SQSEvent, context: typeof lambdaContext) => Promise<SQSBatchResponse | void>;

const { role } = JSON.parse(process.env.BENCH_OPTIONS ?? '{}') as { role: 'worker' | 'baseline' };

const baseline: Handler = async (event) => {
  for (const record of event.Records) JSON.parse(record.body);
  return { batchItemFailures: [] };
};

const record = (body: string, i: number): SQSRecord => ({
  messageId: `bench-${i}`,
  receiptHandle: `bench-receipt-${i}`,
  body,
  attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'bench', ApproximateFirstReceiveTimestamp: String(Date.now()) },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:flink-atlas-bridge-retry',
  awsRegion: 'eu-west-1',
});

let handler: Handler;

export interface DrainResult {
  seconds: number;
  batches: number;
  records: number;
  failures: number;
  /** Per batch: the handler's time, and the emulator's own time within it. */
  handlerMs: number[];
  atlasMs: number[];
  /** Per batch: how long the handler waited for the emulator's answers. */
  atlasWaitMs: number[];
  atlasCalls: number;
}

void serve(
  async () => {
    handler = role === 'baseline' ? baseline : ((await import('../../functions/retryWorker.js')) as { handler: Handler }).handler;
    return { memory: memorySnapshot() };
  },
  {
    batch: async ({ bodies }: { bodies: string[] }) => {
      const { value, times } = await attributed(async () => handler({ Records: bodies.map(record) }, lambdaContext));
      return { failures: (value ?? { batchItemFailures: [] }).batchItemFailures.length, times: times satisfies CallTimes };
    },
    drain: async ({ endpoint, queueUrl, pollers, quietMs }: { endpoint: string; queueUrl: string; pollers: number; quietMs: number }): Promise<DrainResult> => {
      const sqs = new SQSClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      const result: DrainResult = { seconds: 0, batches: 0, records: 0, failures: 0, handlerMs: [], atlasMs: [], atlasWaitMs: [], atlasCalls: 0 };
      let lastWork = performance.now();
      const timed = async (event: SQSEvent): Promise<SQSBatchResponse | void> => {
        const { value, times, ms } = await attributed(async () => handler(event, lambdaContext));
        result.batches += 1;
        result.records += event.Records.length;
        result.failures += (value ?? { batchItemFailures: [] }).batchItemFailures.length;
        result.handlerMs.push(ms);
        result.atlasMs.push(times.atlasMs);
        result.atlasWaitMs.push(times.atlasWaitMs);
        result.atlasCalls += times.atlasCalls;
        lastWork = performance.now();
        return value;
      };
      const started = performance.now();
      const running = Array.from({ length: pollers }, () => startSqsPoller(sqs, queueUrl, timed, { waitSeconds: 0 }));
      // Drained: every poller found the queue empty, and nothing was handled for quietMs.
      for (;;) {
        await Promise.all(running.map((p) => p.idle()));
        if (performance.now() - lastWork >= quietMs) break;
        await new Promise((resolve) => setTimeout(resolve, quietMs / 4));
      }
      result.seconds = (lastWork - started) / 1000;
      await Promise.all(running.map((p) => p.stop()));
      sqs.destroy();
      return result;
    },
    memory: () => memorySnapshot(),
  },
);
