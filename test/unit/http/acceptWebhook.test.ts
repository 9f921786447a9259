// The webhook middleware in front of a handler of the test's own: the order of its checks, what the handler
// gets, replays, and the answers errors become.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { InputRejection } from '../../../lib/errors.js';
import { acceptWebhook, clearReplayCache, type WebhookEvent } from '../../../lib/http/acceptWebhook.js';
import { jsonResponse } from '../../../lib/http/responses.js';
import { logger, metrics } from '../../../lib/telemetry/index.js';
import { httpEvent, lambdaContext, parseResponse } from '../../helpers/apiGateway.js';
import { signatureHeaders, TEST_WEBHOOK_SECRET } from '../../helpers/signing.js';
import { useTestAtlas } from '../../helpers/stack.js';

useTestAtlas({ env: { AUTH_FLINK_EVENTS: 'signature', WEBHOOK_SECRETS: TEST_WEBHOOK_SECRET } });

/** What the handler saw, per call; `answer` decides what it does. */
let seen: Array<{ body: unknown; correlationId: string | undefined }>;
let answer: () => APIGatewayProxyResultV2;

const handler = middy<WebhookEvent, APIGatewayProxyResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(acceptWebhook('flinkEvents'))
  .handler(async (event) => {
    seen.push({ body: event.body, correlationId: event.webhook?.correlationId });
    return answer();
  });

const post = async (body: string, headers: Record<string, string>) => parseResponse(await handler(httpEvent(body, { headers }), lambdaContext));
const TEXT = '{"eventId":"e1","n":1}';

beforeEach(() => {
  clearReplayCache();
  seen = [];
  answer = () => jsonResponse(200, { ok: true });
});

describe('acceptWebhook', () => {
  it('refuses missing credentials (401) before the media type (415), the media type before JSON (400)', async () => {
    expect((await post('not json', { 'content-type': 'text/plain' })).body).toMatchObject({ error: 'UNAUTHORIZED', reason: 'MISSING_SIGNATURE_HEADERS' });
    expect((await post('not json', { ...signatureHeaders('not json'), 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('not json', signatureHeaders('not json'))).body).toMatchObject({ error: 'INVALID_JSON' });
    expect(seen).toEqual([]);
  });

  it('hands the handler the parsed body and the webhook-id as correlation id, leaving the caller\'s event as sent', async () => {
    const event = httpEvent(TEXT, { headers: signatureHeaders(TEXT, { id: 'msg_accept_1' }) });
    const response = await handler(event, lambdaContext);
    expect(parseResponse(response).status).toBe(200);
    expect(seen).toEqual([{ body: { eventId: 'e1', n: 1 }, correlationId: 'msg_accept_1' }]);
    expect(event.body).toBe(TEXT);
  });

  it('answers a redelivery of a signed webhook from its first answer, without the handler, and ends the invocation', async () => {
    const headers = signatureHeaders(TEXT, { id: 'msg_replayed' });
    const publish = vi.spyOn(metrics, 'publishStoredMetrics');
    const resetKeys = vi.spyOn(logger, 'resetKeys');
    const first = await post(TEXT, headers);
    const again = await post(TEXT, headers);
    expect(seen).toHaveLength(1);
    expect([again.status, again.body, again.headers['x-webhook-replay']]).toEqual([first.status, first.body, 'true']);
    // Powertools' after hooks, skipped by the early answer, ran through their cleanup: two publishes, two resets.
    expect([publish.mock.calls.length, resetKeys.mock.calls.length]).toEqual([2, 2]);
    vi.restoreAllMocks();
  });

  it('does not keep a 503 for replays: the redelivery is tried again', async () => {
    answer = () => jsonResponse(503, { error: 'ATLAS_UNAVAILABLE' });
    const headers = signatureHeaders(TEXT, { id: 'msg_unavailable' });
    await post(TEXT, headers);
    answer = () => jsonResponse(200, { ok: true });
    expect((await post(TEXT, headers)).status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it('turns what the handler throws into the answer: its 4xx with the problems, or a bare 500', async () => {
    answer = () => {
      throw new InputRejection(400, 'INVALID_EVENT', [{ pointer: '/job', message: 'is required' }]);
    };
    expect((await post(TEXT, signatureHeaders(TEXT))).body).toMatchObject({ error: 'INVALID_EVENT', problems: [{ pointer: '/job', message: 'is required' }] });
    answer = () => {
      throw new Error('ATLAS_PASSWORD=hunter2');
    };
    const failed = await post(TEXT, signatureHeaders(TEXT));
    expect([failed.status, JSON.stringify(failed.body).includes('hunter2')]).toEqual([500, false]);
  });
});
