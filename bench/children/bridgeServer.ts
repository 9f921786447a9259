// The HTTP functions behind a small node:http server, as serverless offline would serve them but without its
// start-up cost: each request becomes an API Gateway v2 event for the real middy handler (flinkEvents,
// openLineage), and the answer carries how long the handler took and how much of it the Atlas emulator spent
// (x-bench-* headers). Role `baseline` answers every request with JSON.parse + JSON.stringify of its body instead:
// the loopback floor the bridge's figures are compared with.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { httpEvent, lambdaContext } from '../../test/helpers/apiGateway.js';
import { attributed, memorySnapshot } from '../lib/attribution.js';
import { serve } from '../lib/children.js';

type Handler = (event: APIGatewayProxyEventV2, context: typeof lambdaContext) => Promise<unknown>;

const { role } = JSON.parse(process.env.BENCH_OPTIONS ?? '{}') as { role: 'bridge' | 'baseline' };

const baseline: Handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(JSON.parse(event.body ?? 'null')),
});

const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const headersOf = (request: IncomingMessage): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
  return headers;
};

let requests = 0;

void serve(
  async () => {
    const routes: Record<string, Handler> =
      role === 'baseline'
        ? { '/flink/events': baseline, '/api/v1/lineage': baseline }
        : {
            '/flink/events': ((await import('../../functions/flinkEvents.js')) as { handler: Handler }).handler,
            '/api/v1/lineage': ((await import('../../functions/openLineage.js')) as { handler: Handler }).handler,
          };
    const server = createServer((request, response) => {
      void (async () => {
        const body = await readBody(request);
        const path = (request.url ?? '/').split('?')[0]!;
        const handler = routes[path];
        if (handler === undefined || request.method !== 'POST') {
          response.writeHead(404).end();
          return;
        }
        requests += 1;
        // API Gateway hands binary (gzip) bodies over base64-encoded; text bodies as they are.
        const binary = request.headers['content-encoding'] !== undefined;
        const event = httpEvent(binary ? body : body.toString('utf8'), { path, headers: headersOf(request), base64: binary });
        const { value, times, ms } = await attributed(() => handler(event, lambdaContext));
        const result = value as APIGatewayProxyStructuredResultV2;
        response.writeHead(result.statusCode ?? 200, {
          ...(result.headers as Record<string, string> | undefined),
          'x-bench-handler-ms': ms.toFixed(3),
          'x-bench-atlas-ms': times.atlasMs.toFixed(3),
          'x-bench-atlas-wait-ms': times.atlasWaitMs.toFixed(3),
          'x-bench-atlas-calls': String(times.atlasCalls),
          'x-bench-other-calls': String(times.otherCalls),
          'x-bench-other-ms': times.otherMs.toFixed(3),
        });
        response.end(result.body ?? '');
      })().catch((error: unknown) => {
        console.error('bench bridge server:', error);
        if (!response.headersSent) response.writeHead(599, { 'content-type': 'text/plain' });
        response.end(String(error));
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, memory: memorySnapshot() };
  },
  {
    memory: () => ({ ...memorySnapshot(), requests }),
  },
);
