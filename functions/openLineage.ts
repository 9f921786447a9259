// POST /api/v1/lineage: OpenLineage events from the openlineage-flink integration in, Atlas lineage out.
// Other producers' events are answered 200 {"skipped": true, "reason": ...} without touching Atlas.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { jsonErrors, jsonResponse, readJsonBody, reportToResponse } from '../lib/http/index.js';
import { ingestOpenLineage } from '../lib/ingest/index.js';
import { getRuntime } from '../lib/runtime/index.js';

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(jsonErrors())
  .handler(async (event) => {
    const { config, ingestDeps } = getRuntime();
    const body = readJsonBody(event, config.maxBodyBytes);
    const ingested = await ingestOpenLineage(body, { ...ingestDeps, correlationId: event.requestContext.requestId });
    return ingested.outcome === 'skipped'
      ? jsonResponse(200, { skipped: true, reason: ingested.reason })
      : reportToResponse(ingested.report);
  });
