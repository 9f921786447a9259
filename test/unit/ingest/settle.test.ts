import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toBodies } from '../../../lib/queue/index.js';
import { settle, type Dispatch } from '../../../lib/ingest/settle.js';
import { naming, statusEvent, T0 } from '../../helpers/events.js';
import { MemoryAtlas } from '../../helpers/memoryAtlas.js';
import { entriesSentTo, mockedQueue, QUEUE_URLS } from '../../helpers/sqs.js';

const sqs = mockClient(SQSClient);
const running = statusEvent('RUNNING', T0);
const dispatch = (key: string, to: Dispatch<string>['to']): Dispatch<string> => ({ keys: [key], to, message: { body: toBodies([running], 'retry')[0]! } });

describe('Function: settle', () => {
  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });
  afterEach(() => sqs.reset());

  it('writes the events, then hands the caller every outcome to decide from', async () => {
    const atlas = new MemoryAtlas();
    let seen: number[] = [];
    const { outcomes, unsent } = await settle([{ index: 7, event: running }], { atlas, naming, queue: mockedQueue() }, (o) => {
      seen = [...o.keys()];
      return [];
    });
    expect(seen).toEqual([7]);
    expect(outcomes.get(7)?.outcome).toBe('written');
    expect(unsent.size).toBe(0);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('sends one batch per destination, in the order the caller named them, confirmations on the retry queue', async () => {
    await settle([], { atlas: new MemoryAtlas(), naming, queue: mockedQueue() }, () => [
      dispatch('a', 'confirm'), dispatch('b', 'deadLetter'), dispatch('c', 'confirm'),
    ]);
    const urls = sqs.commandCalls(SendMessageBatchCommand).map((c) => [c.args[0].input.QueueUrl, c.args[0].input.Entries?.length]);
    expect(urls).toEqual([[QUEUE_URLS.retry, 2], [QUEUE_URLS.deadLetter, 1]]);
  });

  it('names the keys whose destination could not be sent to, and only those', async () => {
    sqs.on(SendMessageBatchCommand, { QueueUrl: QUEUE_URLS.deadLetter }).rejects(new Error('ServiceUnavailable'));
    const { unsent } = await settle([], { atlas: new MemoryAtlas(), naming, queue: mockedQueue() }, () => [
      dispatch('a', 'retry'), dispatch('b', 'deadLetter'),
    ]);
    expect([...unsent.keys()]).toEqual(['deadLetter']);
    expect(unsent.get('deadLetter')?.get('b')).toMatchObject({ kind: 'retryable' });
    expect(entriesSentTo(sqs, QUEUE_URLS.retry)).toHaveLength(1);
  });

  it('reports every dispatch unsent when there is no queue to send to', async () => {
    const { unsent } = await settle([], { atlas: new MemoryAtlas(), naming }, () => [dispatch('a', 'retry')]);
    expect(unsent.get('retry')?.get('a')?.message).toMatch(/no retry queue/);
  });

  it('writes with the caller\'s write step when it brings one', async () => {
    const written: number[][] = [];
    await settle([{ index: 0, event: running }], {
      atlas: new MemoryAtlas(), naming, write: async (events) => { written.push(events.map((e) => e.index)); return []; },
    }, () => []);
    expect(written).toEqual([[0]]);
  });
});
