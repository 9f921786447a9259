// The edge of every webhook route, as one middy middleware, so the handlers stay wiring: credentials
// (401 before any parsing), the body read under the hostile-input limits (requestBody.ts), replays of a
// signed webhook answered from this container's cache, the correlation id, one log line per event and the
// metrics, and every thrown error turned into a JSON answer.
//
// Order, cheapest refusal first: route configured (else 500, reason logged) → credential headers (401:
// missing, malformed, stale, wrong API key) → Content-Type (415) → body size, base64 and gzip (413/415/400)
// → webhook signature over those bytes (401) → replay cache → strict UTF-8 (400) → JSON (400) → depth,
// size and key limits (400) → the handler.
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { BridgeError, InputRejection } from '../errors.js';
import type { IngestDeps } from '../ingest/index.js';
import { loadRuntime, type Runtime } from '../runtime/index.js';
import {
  bodyDigest, checkRequestHeaders, describePolicy, ReplayCache, routeAuthPolicy, verifySignedBody,
  type AuthPolicy, type AuthVerdict, type HttpRoute,
} from '../security/index.js';
import { logger, publishMetrics } from '../telemetry/index.js';
import { RequestTelemetry, type SummarizeBody } from '../telemetry/requestTelemetry.js';
import { decodeUtf8, header, parseJsonText, readBodyBytes, requireJsonContentType } from './requestBody.js';
import { answerValueOf, errorToResponse } from './responses.js';

/** What the handler gets on its context: the parsed body and the deps to ingest it with. */
export interface EdgeRequest {
  body: unknown;
  /** The runtime's ingest deps, with this request's correlation id (carried into queued messages). */
  ingestDeps: IngestDeps;
  runtime: Runtime;
  correlationId: string;
}

export type EdgeContext = Context & { edge: EdgeRequest };

/** The handler's view of what the edge middleware read; throws if the middleware is not in front of it. */
export const edgeOf = (context: Context): EdgeRequest => {
  const { edge } = context as Partial<EdgeContext>;
  if (edge === undefined) throw new Error('webhookEdge() must run before this handler');
  return edge;
};

export interface EdgeOptions {
  route: HttpRoute;
  /** Reads the event at an answer's index out of the body, for the per-event log lines. */
  summarize: SummarizeBody;
  now?: () => number;
}

type Answer = APIGatewayProxyStructuredResultV2;

/** Answers given to signed webhooks, by webhook-id: a redelivery inside the window gets the same answer. */
const replays = new ReplayCache<Answer>();

/** 503 and 500 are not final: the sender must retry, and a retry must be tried again, not answered from cache. */
const isFinal = (status: number): boolean => status < 500 || status === 502;

const unauthorized = (verdict: Extract<AuthVerdict<unknown>, { ok: false }>, policy: AuthPolicy): InputRejection =>
  new InputRejection(401, verdict.reason, [{ pointer: '', message: verdict.message }],
    policy.kind === 'required' && policy.modes.includes('api-key') ? { 'www-authenticate': 'Bearer realm="flink-atlas-bridge"' } : {});

const eventIdOf = (body: unknown): string | undefined => {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Object.hasOwn(body, 'eventId')) return undefined;
  const id = (body as { eventId?: unknown }).eventId;
  return typeof id === 'string' && /^[\x21-\x7e]{1,100}$/.test(id) ? id : undefined;
};

interface RequestState {
  telemetry: RequestTelemetry;
  body?: unknown;
  replayKey?: { id: string; digest: string };
}

export const webhookEdge = (
  options: EdgeOptions,
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context> => {
  const now = options.now ?? Date.now;
  const states = new WeakMap<object, RequestState>();

  const stateOf = (event: APIGatewayProxyEventV2): RequestState => {
    let state = states.get(event);
    if (state === undefined) {
      state = { telemetry: new RequestTelemetry(options.route, event.requestContext?.requestId ?? 'unknown') };
      states.set(event, state);
    }
    return state;
  };

  return {
    before: async (request) => {
      const { event } = request;
      const state = stateOf(event);
      logger.addContext(request.context);
      const runtime = await loadRuntime();
      const policy = routeAuthPolicy(runtime.config, options.route);
      const get = (name: string) => header(event, name);
      const nowMs = now();

      const auth = await checkRequestHeaders(policy, get, Math.floor(nowMs / 1000), runtime.credentials);
      if (!auth.ok) throw unauthorized(auth, policy);
      requireJsonContentType(event);
      const bytes = readBodyBytes(event, runtime.config.maxBodyBytes);
      if (auth.value.mode === 'signature') {
        const verified = verifySignedBody(auth.value, bytes);
        if (!verified.ok) throw unauthorized(verified, policy);
        state.telemetry.correlateWith(verified.value.id);
        const key = { id: verified.value.id, digest: bodyDigest(bytes) };
        const cached = replays.get(key.id, key.digest, nowMs);
        if (cached !== undefined) {
          state.telemetry.replayed(key.id, cached.statusCode ?? 200);
          publishMetrics();
          return { ...cached, headers: { ...cached.headers, 'x-webhook-replay': 'true' } };
        }
        state.replayKey = key;
      }
      const body = parseJsonText(decodeUtf8(bytes));
      state.body = body;
      if (auth.value.mode !== 'signature') {
        const eventId = eventIdOf(body);
        if (eventId !== undefined) state.telemetry.correlateWith(eventId);
      }
      const correlationId = state.telemetry.correlationId;
      logger.appendKeys({ correlationId });
      logger.debug('request authenticated', { route: options.route, auth: auth.value.mode, policy: describePolicy(policy) });
      const edge: EdgeRequest = { body, runtime, correlationId, ingestDeps: { ...runtime.ingestDeps, correlationId } };
      // A context of its own per request (the caller's object may be shared), the Lambda context underneath.
      request.context = Object.assign(Object.create(request.context) as EdgeContext, { edge });
      return undefined;
    },

    after: (request) => {
      const state = stateOf(request.event);
      const response = request.response as Answer;
      const status = response.statusCode ?? 200;
      if (state.replayKey !== undefined && isFinal(status)) replays.set(state.replayKey.id, state.replayKey.digest, response, now());
      state.telemetry.answered(status, answerValueOf(response), state.body, options.summarize);
      logger.removeKeys(['correlationId']);
      publishMetrics();
    },

    onError: (request) => {
      const state = stateOf(request.event);
      const { error } = request;
      const response = errorToResponse(error);
      const status = response.statusCode ?? 500;
      if (error instanceof InputRejection) {
        state.telemetry.refused(status, error.code, status === 401 ? error.code : undefined);
      } else {
        // A configuration error, an unreadable secret or a bug: the caller gets a bare 500, the log the reason.
        const kind = error instanceof BridgeError ? error.code : 'INTERNAL';
        logger.error(
          kind === 'MISCONFIGURED' ? 'route misconfigured: every request is refused until it is fixed'
            : kind === 'SECRETS_UNAVAILABLE' ? 'secrets could not be read: every request is refused until they can'
              : 'request failed',
          error as Error,
        );
        state.telemetry.refused(status, kind);
      }
      logger.removeKeys(['correlationId']);
      publishMetrics();
      request.response = response;
    },
  };
};

/** Test hook: forget the answers cached for replays. */
export const clearReplayCache = (): void => replays.clear();
