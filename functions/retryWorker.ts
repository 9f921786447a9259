// SQS-triggered: drains the retry queue into Atlas with partial batch failures (ReportBatchItemFailures).
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processRetryBatch, retryRecordOf } from '../lib/ingest/index.js';
import { loadRuntime } from '../lib/runtime/index.js';
import { logger, metrics } from '../lib/telemetry/index.js';

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const { config, queue, ingestDeps } = await loadRuntime();
    if (queue === undefined || config.queue === undefined) throw new Error('retryWorker needs RETRY_QUEUE_URL and DEAD_LETTER_QUEUE_URL');
    const records = event.Records.map(retryRecordOf);
    const result = await processRetryBatch(records, { ...ingestDeps, queue, maxReceiveCount: config.queue.maxReceiveCount, backoff: config.queue.backoff });
    // Queue depth on every drain: the one signal that says whether Atlas is keeping up.
    await queue.depth('retry').then(
      (depth) => logger.info('retry batch done', { records: records.length, failures: result.batchItemFailures.length, depth }),
      () => undefined,
    );
    return result;
  });
