// POST /flink/jobs?cluster=<cluster>: Flink REST job JSON (GET /jobs/:jobid, or {"job", "executionResult"}) in,
// the run's status and result in Atlas out. The edge (credentials, body limits, logs, metrics) is lib/http/edge.ts.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { reportToResponse, edgeOf, webhookEdge } from '../lib/http/index.js';
import { ingestFlinkRest } from '../lib/ingest/index.js';
import { summarizeFlinkRest } from '../lib/telemetry/requestTelemetry.js';

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(webhookEdge({ route: 'flinkJobs', summarize: summarizeFlinkRest }))
  .handler(async (event, context) => {
    const { body, ingestDeps } = edgeOf(context);
    return reportToResponse(await ingestFlinkRest(body, { cluster: event.queryStringParameters?.cluster }, ingestDeps));
  });
