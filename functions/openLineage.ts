// POST /api/v1/lineage: OpenLineage events from the openlineage-flink integration in, Atlas lineage out.
// Other producers' events are answered 200 {"skipped": true, "reason": ...} without touching Atlas.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { acceptWebhook, jsonResponse, logReport, logSkipped, reportToResponse, type WebhookEvent } from '../lib/http/index.js';
import { ingestOpenLineage } from '../lib/ingest/index.js';
import { loadRuntime } from '../lib/runtime/index.js';
import { logger, metrics } from '../lib/telemetry/index.js';

export const handler = middy<WebhookEvent, APIGatewayProxyResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(acceptWebhook('openLineage'))
  .handler(async ({ body, webhook }) => {
    const { ingestDeps } = await loadRuntime();
    const ingested = await ingestOpenLineage(body, { ...ingestDeps, correlationId: webhook?.correlationId });
    if (ingested.outcome === 'skipped') {
      logSkipped(webhook, ingested.subject, 200);
      return jsonResponse(200, { skipped: true, reason: ingested.reason });
    }
    const answer = reportToResponse(ingested.report);
    logReport(webhook, ingested.report, answer.statusCode ?? 200);
    return answer;
  });
