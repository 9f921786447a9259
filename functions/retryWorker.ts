// SQS-triggered: drains the retry queue into Atlas with partial batch failures (ReportBatchItemFailures).
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processRetryBatch } from '../lib/ingest/index.js';
import { loadRuntime } from '../lib/runtime/index.js';
import { logger, publishMetrics } from '../lib/telemetry/index.js';
import { logRetryBatch } from '../lib/telemetry/retryBatch.js';

export const handler = middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
  const started = performance.now();
  const { config, queue, ingestDeps } = await loadRuntime();
  if (queue === undefined || config.queue === undefined) throw new Error('retryWorker needs RETRY_QUEUE_URL and DEAD_LETTER_QUEUE_URL');
  const records = event.Records.map((r) => ({
    messageId: r.messageId,
    receiptHandle: r.receiptHandle,
    body: r.body,
    receiveCount: Number(r.attributes.ApproximateReceiveCount ?? '1'),
  }));
  const result = await processRetryBatch(records, { ...ingestDeps, queue, maxReceiveCount: config.queue.maxReceiveCount, backoff: config.queue.backoff });
  // One line per message, with the correlation id of the request that queued it.
  logRetryBatch(records, result, Math.round(performance.now() - started));
  publishMetrics();
  // Queue depth on every drain: the one signal that says whether Atlas is keeping up.
  await queue.depth('retry').then(
    (depth) => logger.info('retry batch done', { records: records.length, failures: result.batchItemFailures.length, depth }),
    () => undefined,
  );
  return result;
});
