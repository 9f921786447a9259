// The local stand-in for API Gateway's HTTP API in front of the bundled functions. serverless offline's own
// HTTP front turns every body into UTF-8 text (except application/octet-stream and multipart/form-data), so a
// gzip body arrives broken and invalid UTF-8 arrives "repaired" with U+FFFD. This front owns the public port
// instead: it reads the raw bytes, builds the payload-2.0 event as docs/http-bodies.md describes API Gateway
// building it, invokes the function through serverless offline's Lambda invoke API, and writes the function's
// answer back. Only the routes of serverless.yml are served; anything else is API Gateway's 404.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import axios from 'axios';

export interface FrontRoute {
  method: string;
  path: string;
  /** The deployed function name: <service>-<stage>-<function>. */
  functionName: string;
}

/** serverless.yml's httpApi events (test/local/httpFront.test.ts checks this table against it). */
export const BRIDGE_ROUTES: readonly FrontRoute[] = [
  { method: 'POST', path: '/flink/events', functionName: 'flink-atlas-bridge-dev-flinkEvents' },
  { method: 'POST', path: '/api/v1/lineage', functionName: 'flink-atlas-bridge-dev-openLineage' },
  { method: 'POST', path: '/flink/jobs', functionName: 'flink-atlas-bridge-dev-flinkJobs' },
];

/** HTTP API's payload quota (10 MB, not adjustable): API Gateway answers 413 before any function runs. */
export const HTTP_API_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** Lambda's synchronous invocation payload quota: an event over it never reaches the function. */
export const LAMBDA_MAX_EVENT_BYTES = 6 * 1024 * 1024;

/**
 * The media types API Gateway hands over as text (isBase64Encoded false); every other body, and a missing
 * Content-Type, arrives base64-encoded. AWS documents the rule ("if the content type of the request is
 * binary, the body is base64-encoded") but not the list; this one was measured (docs/http-bodies.md).
 */
const TEXT_MEDIA_TYPES = new Set(['application/json', 'application/xml', 'application/javascript']);

const isTextMediaType = (contentType: string | undefined): boolean => {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType.startsWith('text/') || TEXT_MEDIA_TYPES.has(mediaType);
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const isUtf8 = (bytes: Uint8Array): boolean => {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/**
 * Whether the body goes to the function as text. Only bytes that ARE text under a text media type: a body with
 * a Content-Encoding (gzip) or bytes that are not UTF-8 are a binary payload, which the function gets as
 * base64, byte for byte (HTTP APIs do not inflate request bodies; that is a REST API feature).
 */
export const deliveredAsText = (contentType: string | undefined, contentEncoding: string | undefined, bytes: Uint8Array): boolean => {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  return isTextMediaType(contentType) && (encoding === '' || encoding === 'identity') && isUtf8(bytes);
};

/** Header names lower-cased, repeated headers joined with commas, as payload 2.0 has them. */
export const joinHeaders = (rawHeaders: readonly string[]): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return headers;
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');
/** requestContext.time: "12/Mar/2020:19:03:58 +0000". */
const requestTime = (at: Date): string =>
  `${two(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())} +0000`;

export interface RawRequest {
  method: string;
  /** Path and query as received, e.g. /flink/events?x=1 */
  url: string;
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  at: Date;
  requestId: string;
}

/** The payload-2.0 event API Gateway gives the function for this request on this route. */
export const buildHttpApiEvent = (request: RawRequest, route: FrontRoute): APIGatewayProxyEventV2 => {
  const questionMark = request.url.indexOf('?');
  const rawPath = questionMark < 0 ? request.url : request.url.slice(0, questionMark);
  const rawQueryString = questionMark < 0 ? '' : request.url.slice(questionMark + 1);
  const { cookie, ...headers } = joinHeaders(request.rawHeaders);
  const routeKey = `${route.method} ${route.path}`;
  const query = new URLSearchParams(rawQueryString);
  const queryStringParameters: Record<string, string> = {};
  for (const key of new Set(query.keys())) queryStringParameters[key] = query.getAll(key).join(',');
  const domainName = headers.host ?? 'localhost';
  const asText = deliveredAsText(headers['content-type'], headers['content-encoding'], request.body);
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookie === undefined ? {} : { cookies: cookie.split(';').map((c) => c.trim()).filter((c) => c !== '') }),
    headers,
    ...(rawQueryString === '' ? {} : { queryStringParameters }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: { method: request.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: request.sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: request.requestId,
      routeKey,
      stage: '$default',
      time: requestTime(request.at),
      timeEpoch: request.at.getTime(),
    },
    ...(request.body.length === 0 ? {} : { body: asText ? request.body.toString('utf8') : request.body.toString('base64') }),
    isBase64Encoded: request.body.length > 0 && !asText,
  };
};

export interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

const gatewayMessage = (statusCode: number, message: string): HttpAnswer => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  cookies: [],
  body: Buffer.from(JSON.stringify({ message })),
});

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What API Gateway makes of the function's result (payload 2.0): a result with a statusCode is taken as the
 * answer (body decoded when isBase64Encoded); any other JSON is the body of a 200 application/json.
 */
export const answerFromResult = (result: unknown): HttpAnswer => {
  if (!isRecord(result) || typeof result.statusCode !== 'number') {
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(typeof result === 'string' ? result : JSON.stringify(result)) };
  }
  const headers: Record<string, string> = {};
  if (isRecord(result.headers)) {
    for (const [name, value] of Object.entries(result.headers)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') headers[name.toLowerCase()] = String(value);
    }
  }
  const cookies = Array.isArray(result.cookies) ? result.cookies.filter((c): c is string => typeof c === 'string') : [];
  const text = typeof result.body === 'string' ? result.body : '';
  return { statusCode: result.statusCode, headers, cookies, body: result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8') };
};

/** Reads the body up to `limit` bytes; undefined when it is longer (the rest is drained, not kept). */
const readBody = (request: IncomingMessage, limit: number): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let over = false;
    request.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) over = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });

export interface HttpFrontOptions {
  host?: string;
  /** The public port; 0 for a free one. */
  port: number;
  /** serverless offline's Lambda invoke API. */
  lambdaPort: number;
  routes?: readonly FrontRoute[];
}

export interface HttpFront {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const startHttpFront = async (options: HttpFrontOptions): Promise<HttpFront> => {
  const host = options.host ?? '127.0.0.1';
  const routes = options.routes ?? BRIDGE_ROUTES;
  const invokeUrl = (route: FrontRoute) => `http://127.0.0.1:${options.lambdaPort}/2015-03-31/functions/${route.functionName}/invocations`;

  const answer = async (request: IncomingMessage): Promise<HttpAnswer> => {
    const url = request.url ?? '/';
    const path = url.split('?')[0];
    const route = routes.find((r) => r.method === request.method && r.path === path);
    const body = await readBody(request, HTTP_API_MAX_PAYLOAD_BYTES);
    if (route === undefined) return gatewayMessage(404, 'Not Found');
    if (body === undefined) return gatewayMessage(413, 'Request Entity Too Large');
    const event = buildHttpApiEvent(
      { method: request.method ?? 'POST', url, rawHeaders: request.rawHeaders, body, sourceIp: request.socket.remoteAddress ?? '127.0.0.1', at: new Date(), requestId: randomUUID() },
      route,
    );
    const payload = JSON.stringify(event);
    if (Buffer.byteLength(payload) > LAMBDA_MAX_EVENT_BYTES) return gatewayMessage(413, 'Request Entity Too Large');
    const invoked = await axios.post<Buffer>(invokeUrl(route), payload, {
      headers: { 'content-type': 'application/json' },
      responseType: 'arraybuffer',
      timeout: 120_000,
      validateStatus: () => true,
    });
    // A function that threw, timed out or is missing: API Gateway hides the cause behind a 500.
    if (invoked.status !== 200 || invoked.headers['x-amz-function-error'] !== undefined) return gatewayMessage(500, 'Internal Server Error');
    const text = Buffer.from(invoked.data).toString('utf8');
    return answerFromResult(text === '' ? null : (JSON.parse(text) as unknown));
  };

  const serve = (request: IncomingMessage, response: ServerResponse): void => {
    answer(request)
      .catch((error: unknown) => {
        // serverless offline not listening yet (still bundling): as if nothing listened here either.
        if ((error as { code?: unknown }).code === 'ECONNREFUSED') {
          response.destroy();
          return undefined;
        }
        process.stderr.write(`http front: ${request.method} ${request.url}: ${error instanceof Error ? error.message : String(error)}\n`);
        return gatewayMessage(500, 'Internal Server Error');
      })
      .then((result) => {
        if (result === undefined) return;
        response.writeHead(result.statusCode, { ...result.headers, 'content-length': String(result.body.length), ...(result.cookies.length > 0 ? { 'set-cookie': result.cookies } : {}) });
        response.end(result.body);
      });
  };

  const server: Server = createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
