// POST /flink/jobs?cluster=<cluster>: Flink REST job JSON (GET /jobs/:jobid, or {"job", "executionResult"}) in,
// the run's status and result in Atlas out.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { jsonErrors, readJsonBody, reportToResponse } from '../lib/http/index.js';
import { ingestFlinkRest } from '../lib/ingest/index.js';
import { getRuntime } from '../lib/runtime/index.js';

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(jsonErrors())
  .handler(async (event) => {
    const { config, ingestDeps } = getRuntime();
    const body = readJsonBody(event, config.maxBodyBytes);
    const parameters = { cluster: event.queryStringParameters?.cluster };
    return reportToResponse(await ingestFlinkRest(body, parameters, { ...ingestDeps, correlationId: event.requestContext.requestId }));
  });
