import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

/** An API Gateway HTTP API (payload 2.0) request, as Lambda receives it. */
export const httpEvent = (
  body: string | Buffer,
  options: { path?: string; headers?: Record<string, string>; base64?: boolean } = {},
): APIGatewayProxyEventV2 => {
  const base64 = options.base64 ?? Buffer.isBuffer(body);
  return {
    version: '2.0',
    routeKey: `POST ${options.path ?? '/flink/events'}`,
    rawPath: options.path ?? '/flink/events',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...options.headers },
    requestContext: {
      accountId: '123456789012', apiId: 'local', domainName: 'localhost', domainPrefix: 'localhost',
      http: { method: 'POST', path: options.path ?? '/flink/events', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: `req-${Math.random().toString(16).slice(2)}`, routeKey: '$default', stage: '$default', time: '', timeEpoch: Date.now(),
    },
    body: Buffer.isBuffer(body) ? body.toString('base64') : base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: base64,
  };
};

export const lambdaContext = { getRemainingTimeInMillis: () => 29_000, functionName: 'test', awsRequestId: 'test' } as unknown as Context;

export const parseResponse = (result: unknown) => {
  const response = result as APIGatewayProxyStructuredResultV2;
  return { status: response.statusCode, headers: response.headers ?? {}, body: JSON.parse(String(response.body)) as Record<string, any> };
};
