// Fleet mode end to end in process: the webhook side queues without touching Atlas, the worker side writes what
// it drains coalesced (one read and one write for many runs), confirms only what changed Atlas; and the config.
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../lib/config/index.js';
import type { NativeEvent } from '../../../lib/contract/index.js';
import { deliverEvents, processRetryBatch, type RetryRecord } from '../../../lib/ingest/index.js';
import { naming, ordersLineage, statusEvent, T0 } from '../../helpers/events.js';
import { LegacyLineageAtlas } from '../../helpers/legacyLineageAtlas.js';
import { MemoryAtlas } from '../../helpers/memoryAtlas.js';
import { entriesSentTo, mockedQueue, QUEUE_URLS } from '../../helpers/sqs.js';

const sqs = mockClient(SQSClient);
const fleet = { checkpointIntervalMs: 300_000, maxConcurrency: 2 };
const MINUTE = 60_000;

const jobEvent = (name: string, id: string, at: number, completed?: number): NativeEvent => ({
  ...statusEvent('RUNNING', at, { job: { name, id }, lineage: ordersLineage }),
  ...(completed === undefined ? {} : { checkpoints: { completed, failed: 0, inProgress: 0, restored: 0, total: completed } }),
});
const id = (n: number): string => n.toString(16).padStart(32, '0');

/** What the webhook queued, handed to the worker as SQS would. */
const drained = (): RetryRecord[] =>
  entriesSentTo(sqs, QUEUE_URLS.retry).map((entry, i) => ({ messageId: `m${i}`, receiptHandle: `h${i}`, body: entry.MessageBody!, receiveCount: 1 }));

describe('fleet mode (DELIVERY_MODE=fleet)', () => {
  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
  });
  afterEach(() => sqs.reset());

  it('the webhook queues one message per run and answers queued, without an Atlas call', async () => {
    const atlas = new MemoryAtlas();
    const events = [jobEvent('a', id(1), T0), jobEvent('b', id(2), T0), statusEvent('FINISHED', T0 + 1, { job: { name: 'a', id: id(1) } })];
    const outcomes = await deliverEvents(events.map((event, index) => ({ index, event })), { atlas, naming, queue: mockedQueue(), fleet });
    expect(outcomes.map((o) => o.outcome)).toEqual(['queued', 'queued', 'queued']);
    expect(atlas.reads + atlas.writes).toBe(0);
    const bodies = drained().map((r) => JSON.parse(r.body) as { stage: string; events: NativeEvent[] });
    expect(bodies.map((b) => [b.stage, b.events.length])).toEqual([['ingest', 2], ['ingest', 1]]);
  });

  it('answers failed (503) when SQS refuses: nothing is lost silently', async () => {
    sqs.on(SendMessageBatchCommand).rejects(new Error('ServiceUnavailable'));
    const outcomes = await deliverEvents([{ index: 0, event: jobEvent('a', id(1), T0) }], { atlas: new MemoryAtlas(), naming, queue: mockedQueue(), fleet });
    expect(outcomes).toMatchObject([{ outcome: 'failed', error: { kind: 'retryable', message: expect.stringContaining('SQS') } }]);
  });

  it('the worker writes 30 runs with one read and one write per lane, and confirms only what changed', async () => {
    const atlas = new LegacyLineageAtlas();
    const queue = mockedQueue();
    const events = Array.from({ length: 30 }, (_, i) => jobEvent(`job-${i % 3}`, id(i), T0, 1));
    await deliverEvents(events.map((event, index) => ({ index, event })), { atlas, naming, queue, fleet });
    const records = drained();
    sqs.resetHistory();
    const worker = { atlas, naming, queue, fleet, maxReceiveCount: 5, confirmDelaySeconds: 60 };
    expect((await processRetryBatch(records, worker)).batchItemFailures).toEqual([]);
    // 3 jobs, 30 runs, 4 datasets: 37 names, one read; lanes hold whole jobs, so up to 2 lanes read and write.
    expect(atlas.reads).toBeLessThanOrEqual(2);
    expect(atlas.writes).toBeLessThanOrEqual(2);
    expect(entriesSentTo(sqs, QUEUE_URLS.retry)).toHaveLength(30);

    // A minute later the same runs report new checkpoint counters: held, nothing written, nothing to confirm.
    sqs.resetHistory();
    const writes = atlas.writes;
    const next = Array.from({ length: 30 }, (_, i) => jobEvent(`job-${i % 3}`, id(i), T0 + MINUTE, 2));
    const bodies = next.map((event, i) => ({ messageId: `n${i}`, receiptHandle: `hn${i}`, body: JSON.stringify({ v: 1, stage: 'ingest', events: [event] }), receiveCount: 1 }));
    expect((await processRetryBatch(bodies, worker)).batchItemFailures).toEqual([]);
    expect(atlas.writes).toBe(writes);
    expect(entriesSentTo(sqs, QUEUE_URLS.retry)).toHaveLength(0);
  });
});

describe('the delivery settings', () => {
  const base = { ATLAS_URL: 'http://atlas:21000', ATLAS_USER: 'admin', ATLAS_PASSWORD: 'x' };
  const queues = { RETRY_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/retry', DEAD_LETTER_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/dlq' };

  it('direct by default, with the fleet defaults', () => {
    expect(loadConfig(base).delivery).toEqual({ mode: 'direct', checkpointIntervalSeconds: 300, maxConcurrency: 4 });
  });

  it('fleet with its settings, and only with a retry queue', () => {
    expect(loadConfig({ ...base, ...queues, DELIVERY_MODE: 'fleet', CHECKPOINT_WRITE_INTERVAL_SECONDS: '600', ATLAS_MAX_CONCURRENCY: '8' }).delivery)
      .toEqual({ mode: 'fleet', checkpointIntervalSeconds: 600, maxConcurrency: 8 });
    expect(() => loadConfig({ ...base, DELIVERY_MODE: 'fleet' })).toThrow(/DELIVERY_MODE fleet needs the retry queue/);
    expect(() => loadConfig({ ...base, DELIVERY_MODE: 'batch' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ATLAS_MAX_CONCURRENCY: '0' })).toThrow(/ATLAS_MAX_CONCURRENCY/);
  });
});
