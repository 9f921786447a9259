import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { logger } from '../telemetry/index.js';
import { InputRejection } from '../errors.js';
import { errorToResponse } from './responses.js';

/**
 * Turns any thrown error into a JSON answer: 4xx naming the problem for bad input, a logged 500 otherwise.
 * The webhook routes use webhookEdge() (edge.ts), which does this and the rest of the edge.
 */
export const jsonErrors = (): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> => ({
  onError: (request) => {
    const { error } = request;
    if (error instanceof InputRejection) logger.info('request rejected', { status: error.status, code: error.code, problems: error.problems });
    else logger.error('request failed', error as Error);
    request.response = errorToResponse(error);
  },
});
