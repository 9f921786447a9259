// POST /flink/events: Flink job lifecycle, result and deployment events in, Atlas lineage out.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { acceptWebhook, logReport, reportToResponse, type WebhookEvent } from '../lib/http/index.js';
import { ingestFlinkEvents } from '../lib/ingest/index.js';
import { loadRuntime } from '../lib/runtime/index.js';
import { logger, metrics } from '../lib/telemetry/index.js';

export const handler = middy<WebhookEvent, APIGatewayProxyResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(acceptWebhook('flinkEvents'))
  .handler(async ({ body, webhook }) => {
    const { ingestDeps } = await loadRuntime();
    const report = await ingestFlinkEvents(body, { ...ingestDeps, correlationId: webhook?.correlationId });
    const answer = reportToResponse(report);
    logReport(webhook, report, answer.statusCode ?? 200);
    return answer;
  });
