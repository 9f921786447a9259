// The checks every webhook route makes before its handler runs, as one middy middleware: the handler then gets
// the parsed body in `event.body`, and in `event.webhook` the log its lines go to (route, correlation id,
// latency). Every error the request ends with (here or in the handler) becomes its JSON answer, logged once.
//
// Order, cheapest refusal first: route configured (else 500, reason logged) → credential headers (401:
// missing, malformed, stale, wrong API key) → Content-Type (415) → body size, base64 and gzip (413/415/400)
// → webhook signature over those bytes (401) → replay cache → strict UTF-8 (400) → JSON (400) → depth,
// size and key limits (400) → the handler.
//
// Put it after Powertools' injectLambdaContext(logger, { resetKeys: true }) and logMetrics(metrics): the
// correlation id is a logger key those reset, and a replay answered here ends their invocation too.
import { cleanupMiddlewares } from '@aws-lambda-powertools/commons';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { BridgeError, InputRejection } from '../errors.js';
import { loadRuntime } from '../runtime/index.js';
import {
  bodyDigest, checkRequestHeaders, describePolicy, ReplayCache, routeAuthPolicy, verifySignedBody,
  type AuthPolicy, type AuthVerdict, type HttpRoute,
} from '../security/index.js';
import { logger } from '../telemetry/index.js';
import { decodeUtf8, header, parseJsonText, readBodyBytes, requireJsonContentType } from './requestBody.js';
import { errorToResponse } from './responses.js';
import { logRefusal, logReplay, startRequestLog, type RequestLog } from './requestLog.js';

/**
 * A webhook request. As API Gateway delivers it: `body` the text. As the handler gets it, once accepted: `body`
 * the parsed JSON value, and `webhook` this request's log (optional only because callers never send one).
 */
export type WebhookEvent = Omit<APIGatewayProxyEventV2, 'body'> & { body?: unknown; webhook?: RequestLog };

export interface AcceptWebhookOptions {
  now?: () => number;
}

type Answer = APIGatewayProxyStructuredResultV2;

/** One request's log, and the key its answer is cached under for replays once its signature is verified. */
interface RequestState {
  log: RequestLog;
  replayKey?: { id: string; digest: string };
}

/** Answers given to signed webhooks, by webhook-id: a redelivery inside the window gets the same answer. */
const replays = new ReplayCache<Answer>();

/** 503 and 500 are not final: the sender must retry, and a retry must be tried again, not answered from cache. */
const isFinal = (status: number): boolean => status < 500 || status === 502;

const unauthorized = (verdict: Extract<AuthVerdict<unknown>, { ok: false }>, policy: AuthPolicy): InputRejection =>
  new InputRejection(401, verdict.reason, [{ pointer: '', message: verdict.message }],
    policy.kind === 'required' && policy.modes.includes('api-key') ? { 'www-authenticate': 'Bearer realm="flink-atlas-bridge"' } : {});

/** Without a webhook-id, an event's own id (when it is a printable one) correlates the lines. */
const eventIdOf = (body: unknown): string | undefined => {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Object.hasOwn(body, 'eventId')) return undefined;
  const id = (body as { eventId?: unknown }).eventId;
  return typeof id === 'string' && /^[\x21-\x7e]{1,100}$/.test(id) ? id : undefined;
};

export const acceptWebhook = (
  route: HttpRoute,
  options: AcceptWebhookOptions = {},
): middy.MiddlewareObj<WebhookEvent, APIGatewayProxyResultV2> => {
  const now = options.now ?? Date.now;
  // By middy's request object, which every hook of one invocation is handed.
  const states = new WeakMap<object, RequestState>();
  // A request that failed before this middleware's `before` ran (an earlier middleware threw) gets a log here.
  const logOf = (request: object): RequestLog => states.get(request)?.log ?? startRequestLog(route, 'unknown');

  return {
    before: async (request) => {
      const { event } = request;
      const log = startRequestLog(route, event.requestContext?.requestId ?? 'unknown');
      const state: RequestState = { log };
      states.set(request, state);
      const runtime = await loadRuntime();
      const policy = routeAuthPolicy(runtime.config, route);
      const nowMs = now();

      const auth = await checkRequestHeaders(policy, (name) => header(event, name), Math.floor(nowMs / 1000), runtime.credentials);
      if (!auth.ok) throw unauthorized(auth, policy);
      requireJsonContentType(event);
      if (event.body !== undefined && typeof event.body !== 'string') throw new Error('acceptWebhook: the body was already read');
      const bytes = readBodyBytes({ headers: event.headers, isBase64Encoded: event.isBase64Encoded, body: event.body }, runtime.config.maxBodyBytes);
      if (auth.value.mode === 'signature') {
        const verified = verifySignedBody(auth.value, bytes);
        if (!verified.ok) throw unauthorized(verified, policy);
        log.correlateWith(verified.value.id);
        const key = { id: verified.value.id, digest: bodyDigest(bytes) };
        const cached = replays.get(key.id, key.digest, nowMs);
        if (cached !== undefined) {
          logReplay(log, key.id, cached.statusCode ?? 200);
          // The handler and every `after` are skipped: Powertools' loggers and metrics end their invocation here.
          await cleanupMiddlewares(request);
          return { ...cached, headers: { ...cached.headers, 'x-webhook-replay': 'true' } };
        }
        state.replayKey = key;
      }
      const body = parseJsonText(decodeUtf8(bytes));
      if (auth.value.mode !== 'signature') {
        const eventId = eventIdOf(body);
        if (eventId !== undefined) log.correlateWith(eventId);
      }
      // Every line of the request from here on carries it (injectLambdaContext's resetKeys removes it).
      logger.appendKeys({ correlationId: log.correlationId });
      logger.debug('request authenticated', { route, auth: auth.value.mode, policy: describePolicy(policy) });
      // The handler reads the parsed value where the text was. A new event, not the caller's changed: a caller
      // may send the same object again (a redelivery), whose body must still be the text.
      request.event = { ...event, body, webhook: log };
      return undefined;
    },

    after: (request) => {
      const key = states.get(request)?.replayKey;
      const response = request.response as Answer;
      if (key !== undefined && isFinal(response.statusCode ?? 200)) replays.set(key.id, key.digest, response, now());
    },

    onError: (request) => {
      const { error } = request;
      const log = logOf(request);
      const response = errorToResponse(error);
      const status = response.statusCode ?? 500;
      if (error instanceof InputRejection) {
        logRefusal(log, status, error.code, status === 401 ? error.code : undefined);
      } else {
        // A configuration error, an unreadable secret or a bug: the caller gets a bare 500, the log the reason.
        const kind = error instanceof BridgeError ? error.code : 'INTERNAL';
        logger.error(
          kind === 'MISCONFIGURED' ? 'route misconfigured: every request is refused until it is fixed'
            : kind === 'SECRETS_UNAVAILABLE' ? 'secrets could not be read: every request is refused until they can'
              : 'request failed',
          error as Error,
        );
        logRefusal(log, status, kind);
      }
      request.response = response;
    },
  };
};

/** Test hook: forget the answers cached for replays. */
export const clearReplayCache = (): void => replays.clear();
