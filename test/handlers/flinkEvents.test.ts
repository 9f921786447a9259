import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/flinkEvents.js';
import { httpEvent, lambdaContext, parseResponse } from '../helpers/apiGateway.js';
import { cancelledRun, statusEvent, T0 } from '../helpers/events.js';
import { QUEUE_URLS } from '../helpers/sqs.js';
import { CT0, databaseEvent, id, kafkaTable, tableEvent } from '../helpers/catalogEvents.js';
import { useTestAtlas } from '../helpers/stack.js';

const sqs = mockClient(SQSClient);
const atlas = useTestAtlas({
  env: { RETRY_QUEUE_URL: QUEUE_URLS.retry, DEAD_LETTER_QUEUE_URL: QUEUE_URLS.deadLetter, CONFIRM_DELAY_SECONDS: '0' },
});

const post = async (body: unknown, headers: Record<string, string> = {}) =>
  parseResponse(await handler(httpEvent(typeof body === 'string' ? body : JSON.stringify(body), { headers }), lambdaContext));

beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

describe('Handler: POST /flink/events', () => {
  it('answers 200 with the entities written, guids and qualifiedNames, once Atlas has them', async () => {
    const { status, body } = await post(cancelledRun()[1]);
    expect(status).toBe(200);
    expect(body.results[0].outcome).toBe('written');
    expect(body.results[0].entities).toContainEqual(expect.objectContaining({ typeName: 'kafka_topic', qualifiedName: 'orders@primary', guid: expect.any(String) }));
    expect(atlas.emulator.entities().some((e) => e.typeName === 'flink_job_run')).toBe(true);
  });

  it('answers 400 naming each problem with a JSON pointer, and writes nothing', async () => {
    const event = statusEvent('RUNNING', T0);
    const { status, body } = await post({ ...event, job: { ...event.job, id: 'XYZ', status: 'DONE' } });
    expect(status).toBe(400);
    expect(body.results[0].problems.map((p: { pointer: string }) => p.pointer).sort()).toEqual(['/job/id', '/job/status']);
    expect(atlas.emulator.entities()).toEqual([]);
  });

  it('writes the good events of a batch and reports the bad ones by index (207)', async () => {
    const { status, body } = await post([statusEvent('RUNNING', T0), { type: 'job.status' }, statusEvent('FINISHED', T0 + 5)]);
    expect(status).toBe(207);
    expect(body.summary).toMatchObject({ written: 2, rejected: 1 });
    expect(body.results[1]).toMatchObject({ index: 1, outcome: 'rejected' });
    expect(body.results[1].problems[0].pointer).toMatch(/^\/1\//);
  });

  it('answers 400 for a body that is not JSON, 415 for another content type, 413 for too many events', async () => {
    expect((await post('{"type":')).status).toBe(400);
    expect((await post(JSON.stringify(statusEvent('RUNNING', T0)), { 'content-type': 'text/plain' })).status).toBe(415);
    const tooMany = Array.from({ length: 501 }, () => statusEvent('RUNNING', T0));
    const { status, body } = await post(tooMany);
    expect(status).toBe(413);
    expect(body.error).toBe('TOO_MANY_EVENTS');
  });

  it('queues the events and answers 202 with their ids when Atlas is unavailable', async () => {
    atlas.emulator.setFault(() => ({ kind: 'status', status: 503 }));
    const event = statusEvent('RUNNING', T0);
    const { status, body } = await post(event);
    expect(status).toBe(202);
    expect(body.queuedEventIds).toEqual([event.eventId]);
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.QueueUrl).toBe(QUEUE_URLS.retry);
  });

  it('answers 503 with Retry-After when Atlas and SQS both fail, so the sender keeps the event', async () => {
    atlas.emulator.setFault(() => ({ kind: 'reset' }));
    sqs.on(SendMessageBatchCommand).rejects(new Error('SQS unavailable'));
    const { status, headers, body } = await post(statusEvent('RUNNING', T0));
    expect(status).toBe(503);
    expect(Number(headers['retry-after'])).toBeGreaterThan(0);
    expect(body.results[0].outcome).toBe('failed');
  });

  it('dead-letters what Atlas rejects, tells the caller (502) and never queues it for retry', async () => {
    atlas.emulator.setFault((req) => (req.isWrite ? { kind: 'status', status: 404, body: JSON.stringify({ errorCode: 'ATLAS-404-00-007', errorMessage: 'Invalid instance creation/updation parameters passed : flink_job_run.jobId: mandatory attribute value missing in type flink_job_run' }) } : undefined));
    const { status, body } = await post(statusEvent('RUNNING', T0));
    expect(status).toBe(502);
    expect(body.results[0]).toMatchObject({ outcome: 'dead-lettered', error: { atlasCode: 'ATLAS-404-00-007' } });
    const urls = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.QueueUrl);
    expect(urls).toEqual([QUEUE_URLS.deadLetter]);
  });
});

describe('Handler: POST /flink/events, catalog DROP through the deployed Atlas wiring (issue 15)', () => {
  // The handler builds its Atlas from the runtime (AtlasClient behind instrumentAtlas), as deployed: before the
  // complete AtlasPort, that writer had no delete and a DROP was answered 202 and retried until dead-lettered.
  const stored = (qualifiedName: string) =>
    atlas.emulator.entities().find((e) => e.typeName === 'flink_table' && e.attributes.qualifiedName === qualifiedName);

  it('soft-deletes a dropped table in Atlas and answers 200', async () => {
    const orders = id('orders');
    expect((await post(tableEvent('CREATE', orders, CT0, kafkaTable('orders')))).status).toBe(200);
    expect(stored('default_catalog.default_database.orders@primary')?.status).toBe('ACTIVE');
    const { status, body } = await post(tableEvent('DROP', orders, CT0 + 1000));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(stored('default_catalog.default_database.orders@primary')?.status).toBe('DELETED');
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('soft-deletes the tables of a database dropped with CASCADE', async () => {
    await post(databaseEvent('CREATE', 'sales', CT0));
    expect((await post(tableEvent('CREATE', id('refunds', 'sales'), CT0 + 1, kafkaTable('refunds')))).status).toBe(200);
    const { status, body } = await post(databaseEvent('DROP', 'sales', CT0 + 2000));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(stored('default_catalog.sales.refunds@primary')?.status).toBe('DELETED');
  });
});
