// POST /api/v1/lineage: OpenLineage events from the openlineage-flink integration in, Atlas lineage out.
// Other producers' events are answered 200 {"skipped": true, "reason": ...} without touching Atlas.
// The edge (credentials, gzip, body limits, logs, metrics) is lib/http/edge.ts.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { jsonResponse, reportToResponse, edgeOf, webhookEdge } from '../lib/http/index.js';
import { ingestOpenLineage } from '../lib/ingest/index.js';
import { summarizeOpenLineage } from '../lib/telemetry/requestTelemetry.js';

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(webhookEdge({ route: 'openLineage', summarize: summarizeOpenLineage }))
  .handler(async (_event, context) => {
    const { body, ingestDeps } = edgeOf(context);
    const ingested = await ingestOpenLineage(body, ingestDeps);
    return ingested.outcome === 'skipped'
      ? jsonResponse(200, { skipped: true, reason: ingested.reason })
      : reportToResponse(ingested.report);
  });
