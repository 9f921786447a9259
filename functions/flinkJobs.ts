// POST /flink/jobs?cluster=<cluster>: Flink REST job JSON (GET /jobs/:jobid, or {"job", "executionResult"}) in,
// the run's status and result in Atlas out.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { acceptWebhook, logReport, reportToResponse, type WebhookEvent } from '../lib/http/index.js';
import { ingestFlinkRest } from '../lib/ingest/index.js';
import { loadRuntime } from '../lib/runtime/index.js';
import { logger, metrics } from '../lib/telemetry/index.js';

export const handler = middy<WebhookEvent, APIGatewayProxyResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(acceptWebhook('flinkJobs'))
  .handler(async ({ body, webhook, queryStringParameters }) => {
    const { ingestDeps } = await loadRuntime();
    const report = await ingestFlinkRest(body, { cluster: queryStringParameters?.cluster }, { ...ingestDeps, correlationId: webhook?.correlationId });
    const answer = reportToResponse(report);
    logReport(webhook, report, answer.statusCode ?? 200);
    return answer;
  });
