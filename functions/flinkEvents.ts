// POST /flink/events: Flink job lifecycle, result and deployment events in, Atlas lineage out.
// The edge (credentials, body limits, logs, metrics, error answers) is lib/http/edge.ts.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { reportToResponse, edgeOf, webhookEdge } from '../lib/http/index.js';
import { ingestFlinkEvents } from '../lib/ingest/index.js';
import { summarizeNativeEvent } from '../lib/telemetry/requestTelemetry.js';

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(webhookEdge({ route: 'flinkEvents', summarize: summarizeNativeEvent }))
  .handler(async (_event, context) => {
    const { body, ingestDeps } = edgeOf(context);
    return reportToResponse(await ingestFlinkEvents(body, ingestDeps));
  });
