// A real HTTP server in front of a handler, shaped as API Gateway (HTTP API, payload 2.0) calls it: for tests
// that post with curl, Java or the CLI rather than by calling the handler.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpEvent, lambdaContext } from './apiGateway.js';

type Handler = (event: APIGatewayProxyEventV2, context: typeof lambdaContext) => Promise<unknown>;

export const serveHandler = async (handler: Handler): Promise<{ url: string; close(): Promise<void> }> => {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
      const event = httpEvent(Buffer.concat(chunks), { path: url.pathname, headers, base64: true });
      if (!('content-type' in headers)) delete event.headers['content-type'];
      event.queryStringParameters = Object.fromEntries(url.searchParams);
      handler(event, lambdaContext).then(
        (result) => {
          const r = result as { statusCode?: number; headers?: Record<string, string>; body?: string };
          res.writeHead(r.statusCode ?? 200, r.headers ?? {});
          res.end(r.body ?? '');
        },
        (error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
};
