// Credentials at the real handlers, against the Atlas emulator: nothing unauthenticated reaches parsing or Atlas.
import { gzipSync } from 'node:zlib';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as flinkEvents } from '../../functions/flinkEvents.js';
import { handler as flinkJobs } from '../../functions/flinkJobs.js';
import { handler as openLineage } from '../../functions/openLineage.js';
import { clearReplayCache } from '../../lib/http/index.js';
import { httpEvent, lambdaContext, parseResponse } from '../helpers/apiGateway.js';
import { statusEvent, T0 } from '../helpers/events.js';
import { restJob } from '../helpers/flinkRest.js';
import { EVENT_TIME, runEvent } from '../helpers/openLineage.js';
import { bearer, signatureHeaders, TEST_API_KEY, TEST_WEBHOOK_SECRET } from '../helpers/signing.js';
import { QUEUE_URLS } from '../helpers/sqs.js';
import { useTestAtlas } from '../helpers/stack.js';

const sqs = mockClient(SQSClient);

const SIGNED_ENV = {
  AUTH_FLINK_EVENTS: 'signature',
  AUTH_OPENLINEAGE: 'api-key',
  AUTH_FLINK_JOBS: 'signature,api-key',
  WEBHOOK_SECRETS: TEST_WEBHOOK_SECRET,
  API_KEYS: TEST_API_KEY,
};

type Handler = (event: unknown, context: typeof lambdaContext) => Promise<unknown>;
const call = async (handler: Handler, body: string | Buffer, headers: Record<string, string>, options: { path?: string; base64?: boolean } = {}) =>
  parseResponse(await handler(httpEvent(body, { headers, ...options }), lambdaContext));

const atlas = useTestAtlas({ env: SIGNED_ENV });
beforeEach(() => {
  clearReplayCache();
  sqs.reset();
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

describe('Signed webhooks at POST /flink/events', () => {
  it('writes a correctly signed event', async () => {
    const body = JSON.stringify(statusEvent('RUNNING', T0));
    const { status } = await call(flinkEvents as Handler, body, signatureHeaders(body));
    expect(status).toBe(200);
    expect(atlas.emulator.stats.writes).toBe(1);
  });

  it.each([
    ['unsigned', (_body: string) => ({}), 'MISSING_SIGNATURE_HEADERS'],
    ['signed with another secret', (body: string) => signatureHeaders(body, { secret: 'whsec_b3RoZXItc2VjcmV0LW9mLWFub3RoZXItc2VuZGVy' }), 'SIGNATURE_MISMATCH'],
    ['signed over another body', (body: string) => signatureHeaders(`${body} `), 'SIGNATURE_MISMATCH'],
    ['signed 6 minutes ago', (body: string) => signatureHeaders(body, { timestamp: Math.floor(Date.now() / 1000) - 360 }), 'TIMESTAMP_TOO_OLD'],
    ['signed 6 minutes ahead', (body: string) => signatureHeaders(body, { timestamp: Math.floor(Date.now() / 1000) + 360 }), 'TIMESTAMP_TOO_NEW'],
    ['carrying an API key instead', (_body: string) => bearer(), 'MISSING_SIGNATURE_HEADERS'],
  ])('answers 401 with the reason when %s, and never reaches Atlas', async (_name, headersFor, reason) => {
    const body = JSON.stringify(statusEvent('RUNNING', T0));
    const { status, body: answer } = await call(flinkEvents as Handler, body, headersFor(body));
    expect(status).toBe(401);
    expect(answer).toMatchObject({ error: 'UNAUTHORIZED', reason, message: expect.any(String) });
    expect(JSON.stringify(answer)).not.toContain(TEST_WEBHOOK_SECRET.slice(6));
    expect(atlas.emulator.stats.requests).toBe(0);
  });

  it('refuses before parsing: a forged request with a body that is not even JSON is a 401, not a 400', async () => {
    const { status } = await call(flinkEvents as Handler, '{"not json', signatureHeaders('{"other body"}'));
    expect(status).toBe(401);
  });

  it('verifies the signature over the inflated body when the transport is gzip', async () => {
    const body = JSON.stringify(statusEvent('RUNNING', T0));
    const { status } = await call(flinkEvents as Handler, gzipSync(body), { ...signatureHeaders(body), 'content-encoding': 'gzip' });
    expect(status).toBe(200);
  });

  it('answers a replay of the same webhook-id and body as the first, without touching Atlas again', async () => {
    const body = JSON.stringify(statusEvent('RUNNING', T0));
    const headers = signatureHeaders(body);
    const first = await call(flinkEvents as Handler, body, headers);
    const requestsAfterFirst = atlas.emulator.stats.requests;
    const replay = await call(flinkEvents as Handler, body, headers);
    expect(replay.status).toBe(first.status);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['x-webhook-replay']).toBe('true');
    expect(atlas.emulator.stats.requests).toBe(requestsAfterFirst);
  });

  it('a replay another container answers (cache cold) changes nothing in Atlas: the write path is idempotent', async () => {
    const body = JSON.stringify(statusEvent('RUNNING', T0));
    const headers = signatureHeaders(body);
    await call(flinkEvents as Handler, body, headers);
    const before = atlas.emulator.entities();
    clearReplayCache();
    const writes = atlas.emulator.stats.writes;
    const replay = await call(flinkEvents as Handler, body, headers);
    expect(replay.status).toBe(200);
    expect(atlas.emulator.stats.writes).toBe(writes);
    expect(atlas.emulator.entities()).toEqual(before);
  });

  it('does not cache a 503: a resend after Atlas and SQS failed is tried again', async () => {
    atlas.replaceEnv({ ...SIGNED_ENV, RETRY_QUEUE_URL: QUEUE_URLS.retry, DEAD_LETTER_QUEUE_URL: QUEUE_URLS.deadLetter, CONFIRM_DELAY_SECONDS: '0' });
    atlas.emulator.setFault(() => ({ kind: 'status', status: 503 }));
    sqs.on(SendMessageBatchCommand).rejects(new Error('SQS down'));
    const body = JSON.stringify(statusEvent('RUNNING', T0));
    const headers = signatureHeaders(body);
    expect((await call(flinkEvents as Handler, body, headers)).status).toBe(503);
    atlas.emulator.setFault(undefined);
    const retried = await call(flinkEvents as Handler, body, headers);
    expect(retried.status).toBe(200);
    expect(retried.headers['x-webhook-replay']).toBeUndefined();
  });

  it('carries the webhook-id as correlation id into the retry queue', async () => {
    atlas.replaceEnv({ ...SIGNED_ENV, RETRY_QUEUE_URL: QUEUE_URLS.retry, DEAD_LETTER_QUEUE_URL: QUEUE_URLS.deadLetter, CONFIRM_DELAY_SECONDS: '0' });
    atlas.emulator.setFault(() => ({ kind: 'status', status: 503 }));
    const body = JSON.stringify(statusEvent('RUNNING', T0));
    const headers = signatureHeaders(body, { id: 'msg_correlate_me' });
    expect((await call(flinkEvents as Handler, body, headers)).status).toBe(202);
    const sent = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0]?.MessageBody ?? '{}';
    expect(JSON.parse(sent)).toMatchObject({ correlationId: 'msg_correlate_me' });
  });
});

describe('API keys at POST /api/v1/lineage (the openlineage-flink transport)', () => {
  const olBody = () => JSON.stringify(runEvent({ eventType: 'START', eventTime: EVENT_TIME }));

  it('accepts Authorization: Bearer with a configured key', async () => {
    const { status } = await call(openLineage as Handler, olBody(), bearer(), { path: '/api/v1/lineage' });
    expect(status).toBe(200);
  });

  it('answers 401 with WWW-Authenticate when the key is missing or wrong, never echoing it', async () => {
    for (const [headers, reason] of [[{}, 'MISSING_AUTHORIZATION'], [bearer('test-api-key-0c1f6d2e9a8b7c6X'), 'INVALID_API_KEY'], [{ authorization: 'Basic YWRtaW46YWRtaW4=' }, 'NOT_BEARER']] as const) {
      const { status, headers: answerHeaders, body } = await call(openLineage as Handler, olBody(), headers, { path: '/api/v1/lineage' });
      expect(status).toBe(401);
      expect(body.reason).toBe(reason);
      expect(answerHeaders['www-authenticate']).toMatch(/^Bearer/);
      expect(JSON.stringify(body)).not.toContain('test-api-key');
      expect(JSON.stringify(body)).not.toContain('YWRtaW46YWRtaW4=');
    }
    expect(atlas.emulator.stats.requests).toBe(0);
  });

  it('checks the key before inflating or parsing a gzip body', async () => {
    const { status } = await call(openLineage as Handler, Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }, { path: '/api/v1/lineage' });
    expect(status).toBe(401);
  });
});

describe('Both modes at POST /flink/jobs', () => {
  const body = JSON.stringify(restJob('RUNNING'));
  const post = (headers: Record<string, string>) =>
    flinkJobs(httpEvent(body, { headers, path: '/flink/jobs' }) as never, lambdaContext).then(parseResponse);
  const withCluster = async (headers: Record<string, string>) => {
    const event = httpEvent(body, { headers, path: '/flink/jobs' });
    event.queryStringParameters = { cluster: 'flink-prod' };
    return parseResponse(await flinkJobs(event, lambdaContext));
  };

  it('takes either a signature or an API key', async () => {
    expect((await withCluster(signatureHeaders(body))).status).toBe(200);
    expect((await withCluster(bearer())).status).toBe(200);
  });

  it('names both when the request has neither', async () => {
    const { status, body: answer } = await post({});
    expect(status).toBe(401);
    expect(answer).toMatchObject({ reason: 'MISSING_CREDENTIALS', message: expect.stringContaining('Authorization: Bearer') });
  });

  it('holds a signed request to its signature even when it also carries a valid key', async () => {
    const { status, body: answer } = await withCluster({ ...signatureHeaders(`${body}x`), ...bearer() });
    expect(status).toBe(401);
    expect(answer.reason).toBe('SIGNATURE_MISMATCH');
  });
});

describe('A route with no credentials configured', () => {
  it('refuses every request with a bare 500 until AUTH_* is set, and writes nothing', async () => {
    atlas.replaceEnv({ AUTH_FLINK_EVENTS: '' });
    const body = JSON.stringify(statusEvent('RUNNING', T0));
    const { status, body: answer } = await call(flinkEvents as Handler, body, {});
    expect(status).toBe(500);
    expect(answer).toEqual({ error: 'MISCONFIGURED', message: expect.not.stringContaining('AUTH_FLINK_EVENTS') });
    expect(atlas.emulator.stats.requests).toBe(0);
  });

  it('refuses signature mode without webhook secrets, and api-key mode without keys', async () => {
    atlas.replaceEnv({ AUTH_FLINK_EVENTS: 'signature', AUTH_OPENLINEAGE: 'api-key' });
    expect((await call(flinkEvents as Handler, '{}', {})).status).toBe(500);
    expect((await call(openLineage as Handler, '{}', bearer(), { path: '/api/v1/lineage' })).status).toBe(500);
  });

  it('serves unsigned requests only when told none explicitly', async () => {
    atlas.replaceEnv({ AUTH_FLINK_EVENTS: 'none' });
    expect((await call(flinkEvents as Handler, JSON.stringify(statusEvent('RUNNING', T0)), {})).status).toBe(200);
  });
});
