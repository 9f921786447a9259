// POST /flink/events: Flink job lifecycle, result and deployment events in, Atlas lineage out.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { jsonErrors, readJsonBody, reportToResponse } from '../lib/http/index.js';
import { ingestFlinkEvents } from '../lib/ingest/index.js';
import { getRuntime } from '../lib/runtime/index.js';

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(jsonErrors())
  .handler(async (event) => {
    const { config, ingestDeps } = getRuntime();
    const body = readJsonBody(event, config.maxBodyBytes);
    return reportToResponse(await ingestFlinkEvents(body, { ...ingestDeps, correlationId: event.requestContext.requestId }));
  });
