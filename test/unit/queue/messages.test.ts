import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, retryMessageBodySchema, summarize, toBodies } from '../../../lib/queue/messages.js';
import { databaseEvent, id, kafkaTable, tableEvent } from '../../helpers/catalogEvents.js';
import { cancelledRun, JOB_ID, statusEvent, T0 } from '../../helpers/events.js';

describe('summarize', () => {
  it('names the job, its id and the status sequence of a run', () => {
    const run = cancelledRun();
    const summary = summarize(run);
    expect(summary.eventIds).toEqual(run.map((e) => e.eventId));
    expect(summary.jobName).toBe('orders-enrichment');
    expect(summary.jobId).toBe(JOB_ID);
    expect(summary.status).toBe('INITIALIZING>CREATED>RUNNING>RESTARTING>RUNNING>CANCELLING>CANCELED');
  });

  it('calls a catalog table event by its catalog.database.table and its action', () => {
    const created = tableEvent('CREATE', id('orders', 'sales', 'hive'), T0, kafkaTable('orders'));
    const dropped = tableEvent('DROP', id('orders', 'sales', 'hive'), T0 + 1);
    expect(summarize([created, dropped])).toEqual({
      eventIds: [created.eventId, dropped.eventId], jobName: 'hive.sales.orders', status: 'CREATE>DROP',
    });
  });

  it('calls a catalog database event by its catalog.database', () => {
    expect(summarize([databaseEvent('CREATE', 'sales', T0, undefined, 'hive')]).jobName).toBe('hive.sales');
  });

  it('gives an empty summary for no events', () => {
    expect(summarize([])).toEqual({ eventIds: [], jobName: '' });
  });
});

describe('toBodies', () => {
  it('keeps a small run in one body carrying the stage and extras', () => {
    const run = cancelledRun();
    const bodies = toBodies(run, 'confirm', { correlationId: 'c-1', verifyLineage: true });
    expect(bodies).toEqual([{ v: 1, stage: 'confirm', events: run, correlationId: 'c-1', verifyLineage: true }]);
    expect(retryMessageBodySchema().safeParse(bodies[0]).success).toBe(true);
  });

  it('splits a run too large for one SQS message, every body under the limit and no event lost', () => {
    const big = 'x'.repeat(30_000);
    const events = Array.from({ length: 20 }, (_, i) =>
      statusEvent('RUNNING', T0 + i, { error: { message: big } }),
    );
    const bodies = toBodies(events, 'retry');
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(bodies.flatMap((b) => b.events)).toEqual(events);
  });

  it('makes no body for no events', () => {
    expect(toBodies([], 'retry')).toEqual([]);
  });
});

describe('retryMessageBodySchema', () => {
  it('rejects a body of another version, an unknown stage or no events', () => {
    const events = [statusEvent('RUNNING', T0)];
    const schema = retryMessageBodySchema();
    expect(schema.safeParse({ v: 1, stage: 'retry', events }).success).toBe(true);
    expect(schema.safeParse({ v: 2, stage: 'retry', events }).success).toBe(false);
    expect(schema.safeParse({ v: 1, stage: 'later', events }).success).toBe(false);
    expect(schema.safeParse({ v: 1, stage: 'retry', events: [] }).success).toBe(false);
    expect(schema.safeParse({ v: 1, stage: 'retry', events, firstFailureAt: 'yesterday' }).success).toBe(false);
  });

  it('is built once and reused', () => {
    expect(retryMessageBodySchema()).toBe(retryMessageBodySchema());
  });
});
