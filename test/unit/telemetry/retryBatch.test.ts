import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger, metrics } from '../../../lib/telemetry/index.js';
import { logRetryBatch } from '../../../lib/telemetry/retryBatch.js';

describe('logRetryBatch', () => {
  afterEach(() => vi.restoreAllMocks());

  it('logs one line per message with its correlation id, stage, events and outcome, and counts the batch', () => {
    const lines: Array<[string, unknown]> = [];
    vi.spyOn(logger, 'info').mockImplementation((...args: unknown[]) => {
      lines.push([String(args[0]), args[1]]);
    });
    const counted: Array<[string, number]> = [];
    vi.spyOn(metrics, 'addMetric').mockImplementation((name, _unit, value) => {
      counted.push([name, value]);
      return metrics;
    });
    const records = [
      { messageId: 'm1', body: JSON.stringify({ correlationId: 'msg_1', stage: 'retry', events: [{ eventId: 'e1' }, { eventId: 2 }] }), receiveCount: 2 },
      { messageId: 'm2', body: 'not json', receiveCount: 1 },
    ];
    logRetryBatch(records, { batchItemFailures: [{ itemIdentifier: 'm2' }] }, 42);
    expect(lines).toEqual([
      ['retry message', { messageId: 'm1', correlationId: 'msg_1', stage: 'retry', eventIds: ['e1'], receiveCount: 2, outcome: 'done', latencyMs: 42 }],
      ['retry message', { messageId: 'm2', receiveCount: 1, outcome: 'retry-later', latencyMs: 42 }],
    ]);
    expect(counted).toEqual([['RetryMessagesDone', 1], ['RetryMessagesRetried', 1]]);
  });

  it('logs at most 50 event ids of a message', () => {
    const lines: unknown[] = [];
    vi.spyOn(logger, 'info').mockImplementation((...args: unknown[]) => {
      lines.push(args[1]);
    });
    const events = Array.from({ length: 80 }, (_, i) => ({ eventId: `e${i}` }));
    logRetryBatch([{ messageId: 'm', body: JSON.stringify({ events }), receiveCount: 1 }], { batchItemFailures: [] }, 1);
    expect((lines[0] as { eventIds: string[] }).eventIds).toHaveLength(50);
  });
});
