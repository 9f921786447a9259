import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type middy from '@middy/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputRejection } from '../../../lib/errors.js';
import { jsonErrors } from '../../../lib/http/middleware.js';
import { logger } from '../../../lib/telemetry/index.js';

type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

const fail = (error: unknown): Request => {
  const request = { event: {}, context: {}, response: undefined, error, internal: {} } as unknown as Request;
  void jsonErrors().onError?.(request);
  return request;
};

describe('jsonErrors', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers bad input with its status and the problems, logged at info', () => {
    const info = vi.spyOn(logger, 'info').mockImplementation(() => undefined);
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const request = fail(new InputRejection(415, 'UNSUPPORTED_MEDIA_TYPE', [{ pointer: '', message: 'send application/json' }]));
    const response = request.response as { statusCode: number; body: string };
    expect(response.statusCode).toBe(415);
    expect(response.body).toContain('send application/json');
    expect(info).toHaveBeenCalledWith('request rejected', expect.objectContaining({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' }));
    expect(error).not.toHaveBeenCalled();
  });

  it('answers any other error with a 500 that does not echo it, logged at error', () => {
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const request = fail(new Error('ATLAS_PASSWORD=hunter2 leaked'));
    const response = request.response as { statusCode: number; body: string };
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('hunter2');
    expect(error).toHaveBeenCalledTimes(1);
  });
});
