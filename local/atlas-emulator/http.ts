// HTTP front of the emulator: Basic auth, routing, Atlas's error formats, fault injection and call statistics.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AtlasError, AtlasInternalError, MalformedJsonError, unexpectedErrorText } from './errors.js';
import { UnmatchedRouteError, type Route } from './routes.js';

const BASE_PATH = '/api/atlas';
const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';
const TEXT_CONTENT_TYPE = 'text/plain;charset=UTF-8';

export type AtlasFault =
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'hang'; ms: number }
  | { kind: 'reset' }
  | { kind: 'applyThenReset' };

export interface AtlasRequestInfo {
  method: string;
  path: string;
  isWrite: boolean;
}

export type FaultDecider = (request: AtlasRequestInfo) => AtlasFault | undefined;

export interface AtlasStats {
  reads: number;
  writes: number;
  requests: number;
  byRoute: Record<string, number>;
}

export interface HttpFrontOptions {
  routes: Route[];
  users: Record<string, string>;
  stats: AtlasStats;
  /** Read per request, so that the fault decider can change while the server runs. */
  faultDecider: () => FaultDecider | undefined;
  /** Adds `Server-Timing: emulator;dur=<ms>` (request received → answer sent) to every answer, for the bench. */
  serverTiming?: boolean;
}

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  paramNames: string[];
}

export interface AtlasHttpServer {
  server: Server;
  /** Drops requests still waiting in a 'hang' fault (called when the emulator closes). */
  cancelHangs(): void;
}

export function createAtlasHttpServer(options: HttpFrontOptions): AtlasHttpServer {
  const routes = options.routes.map(compileRoute);
  const hangs = new Set<NodeJS.Timeout>();
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        hangs.delete(timer);
        resolve();
      }, ms);
      hangs.add(timer);
    });
  const server = createServer((request, response) => {
    if (options.serverTiming) answerStarts.set(response, performance.now());
    handleRequest(request, response, routes, options, sleep).catch((error: unknown) => {
      // Only a bug in the emulator gets here; answer like Atlas's AllExceptionMapper.
      console.error('atlas-emulator: unexpected error', error);
      if (!response.headersSent) sendAnswer(response, textAnswer(500, unexpectedErrorText()));
    });
  });
  const cancelHangs = (): void => {
    hangs.forEach((timer) => clearTimeout(timer));
    hangs.clear();
  };
  return { server, cancelHangs };
}

async function handleRequest(
  request: IncomingMessage,
  response: ServerResponse,
  routes: CompiledRoute[],
  options: HttpFrontOptions,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  const body = await readBody(request);
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  const info: AtlasRequestInfo = { method, path: url.pathname, isWrite: method === 'POST' || method === 'PUT' || method === 'DELETE' };

  const fault = options.faultDecider()?.(info);
  if (fault?.kind === 'status') {
    const body = fault.body ?? '';
    const headers = fault.headers ?? {};
    const namesContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
    const withType = namesContentType ? headers : { 'Content-Type': guessContentType(body), ...headers };
    sendAnswer(response, { status: fault.status, body, headers: withType });
    return;
  }
  if (fault?.kind === 'reset') {
    request.socket.destroy();
    return;
  }
  if (fault?.kind === 'hang') {
    await sleep(fault.ms);
  }

  const answer = answerRequest(request, url, method, body, routes, options, info);
  if (fault?.kind === 'applyThenReset') {
    // The request was processed (writes are stored), but the client never sees the answer.
    request.socket.destroy();
    return;
  }
  if (!response.destroyed && !request.socket.destroyed) sendAnswer(response, answer);
}

function answerRequest(
  request: IncomingMessage,
  url: URL,
  method: string,
  body: string,
  routes: CompiledRoute[],
  options: HttpFrontOptions,
  info: AtlasRequestInfo,
): Answer {
  if (!url.pathname.startsWith(`${BASE_PATH}/`)) return textAnswer(404, unexpectedErrorText());
  const path = url.pathname.slice(BASE_PATH.length);
  if (method === 'GET' && path === '/admin/status') {
    // Unauthenticated health check.
    return jsonAnswer(200, { Status: 'ACTIVE' });
  }
  const user = authenticatedUser(request, options.users);
  if (!user) return unauthorizedAnswer(url.pathname);

  const matched = matchRoute(routes, method, path);
  if (!matched) return textAnswer(404, unexpectedErrorText());
  try {
    // Only the POST and PUT resources read a body.
    const parsedBody = method === 'POST' || method === 'PUT' ? parseJsonBody(body) : undefined;
    countCall(options.stats, matched.route, info);
    const result = matched.route.handle({ params: matched.params, query: url.searchParams, body: parsedBody, user });
    return jsonAnswer(200, result);
  } catch (error) {
    return errorAnswer(error);
  }
}

function errorAnswer(error: unknown): Answer {
  if (error instanceof AtlasError) return jsonAnswer(error.status, error.toBody());
  if (error instanceof MalformedJsonError) return jsonAnswer(400, { error: error.message });
  if (error instanceof UnmatchedRouteError) return textAnswer(404, unexpectedErrorText());
  if (!(error instanceof AtlasInternalError)) console.error('atlas-emulator: unexpected error', error);
  return textAnswer(500, unexpectedErrorText());
}

function countCall(stats: AtlasStats, route: Route, info: AtlasRequestInfo): void {
  if (!route.pattern.startsWith('/v2/')) return;
  stats.requests += 1;
  if (info.isWrite) stats.writes += 1;
  else stats.reads += 1;
  const key = `${route.method} ${route.pattern}`;
  stats.byRoute[key] = (stats.byRoute[key] ?? 0) + 1;
}

// ---- auth ----

/** HTTP Basic against the configured users; undefined when missing or wrong. */
function authenticatedUser(request: IncomingMessage, users: Record<string, string>): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Basic\s+(.+)$/i.exec(header) : null;
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return undefined;
  const user = decoded.slice(0, separator);
  const password = decoded.slice(separator + 1);
  return Object.prototype.hasOwnProperty.call(users, user) && users[user] === password ? user : undefined;
}

/** Spring Security's entry point calls sendError(401): the servlet container's HTML error page, not JSON. */
function unauthorizedAnswer(path: string): Answer {
  const html = [
    '<html>',
    '<head>',
    '<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>',
    '<title>Error 401 Unauthorized</title>',
    '</head>',
    '<body><h2>HTTP ERROR 401</h2>',
    `<p>Problem accessing ${escapeHtml(path)}. Reason:`,
    '<pre>    Unauthorized</pre></p>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { status: 401, body: html, headers: { 'Content-Type': 'text/html;charset=ISO-8859-1', 'WWW-Authenticate': 'Basic realm="atlas.com"' } };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char);
}

// ---- routing ----

function compileRoute(route: Route): CompiledRoute {
  const paramNames: string[] = [];
  const source = route.pattern
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      paramNames.push(param[1]);
      return '([^/]+)';
    })
    .join('/');
  return { route, regex: new RegExp(`^${source}/?$`), paramNames };
}

function matchRoute(routes: CompiledRoute[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const compiled of routes) {
    if (compiled.route.method !== method) continue;
    const match = compiled.regex.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    compiled.paramNames.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1] ?? '');
    });
    return { route: compiled.route, params };
  }
  return undefined;
}

// ---- bodies ----

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** AtlasJsonProvider: an unreadable body is a 400 with Jackson's message. */
function parseJsonBody(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MalformedJsonError(`Unexpected character in JSON body: ${reason}`);
  }
}

/** Content type for an injected body, unless the fault names one. */
function guessContentType(body: string): string {
  try {
    JSON.parse(body);
    return JSON_CONTENT_TYPE;
  } catch {
    return TEXT_CONTENT_TYPE;
  }
}

function jsonAnswer(status: number, value: unknown): Answer {
  return { status, body: JSON.stringify(value), headers: { 'Content-Type': JSON_CONTENT_TYPE } };
}

function textAnswer(status: number, text: string): Answer {
  return { status, body: text, headers: { 'Content-Type': TEXT_CONTENT_TYPE } };
}

/** When each timed request was received (see HttpFrontOptions.serverTiming). */
const answerStarts = new WeakMap<ServerResponse, number>();

function sendAnswer(response: ServerResponse, answer: Answer): void {
  const started = answerStarts.get(response);
  const timing = started === undefined ? {} : { 'Server-Timing': `emulator;dur=${(performance.now() - started).toFixed(3)}` };
  response.writeHead(answer.status, { ...answer.headers, ...timing, 'Content-Length': Buffer.byteLength(answer.body) });
  response.end(answer.body);
}
