import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { logger, metrics } from '../../../lib/telemetry/index.js';
import {
  RequestTelemetry, summarizeFlinkRest, summarizeNativeEvent, summarizeOpenLineage,
} from '../../../lib/telemetry/requestTelemetry.js';

describe('summaries of a body', () => {
  it('reads a native event, or the event at an index of a batch, bounding long values', () => {
    const event = { eventId: 'e1', type: 'job.status', job: { name: 'n'.repeat(250), id: 'j1', status: 'RUNNING' } };
    expect(summarizeNativeEvent(event, 0)).toEqual({ eventId: 'e1', job: `${'n'.repeat(200)}…`, run: 'j1', status: 'RUNNING' });
    expect(summarizeNativeEvent([{ eventId: 'a' }, { eventId: 'b', type: 'job.result' }], 1)).toEqual({ eventId: 'b', status: 'job.result' });
  });

  it('leaves out whatever a malformed body lacks, never reading inherited keys', () => {
    expect(summarizeNativeEvent('junk', 0)).toEqual({});
    expect(summarizeNativeEvent({ job: ['x'], eventId: { nested: 1 } }, 0)).toEqual({});
    expect(summarizeNativeEvent({ job: { name: 'j', id: 7 } }, 0)).toEqual({ job: 'j', run: '7' });
    expect(summarizeNativeEvent(JSON.parse('{"job":{"__proto__":{"name":"x"}}}'), 0)).toEqual({});
  });

  it('reads an OpenLineage event and Flink REST job JSON, bare or wrapped', () => {
    expect(summarizeOpenLineage({ eventType: 'START', job: { name: 'j' }, run: { runId: 'r' } }, 3)).toEqual({ job: 'j', run: 'r', status: 'START' });
    expect(summarizeFlinkRest({ name: 'j', jid: 'r', state: 'RUNNING' }, 0)).toEqual({ job: 'j', run: 'r', status: 'RUNNING' });
    expect(summarizeFlinkRest({ job: { name: 'j', jid: 'r', state: 'FAILED' } }, 0)).toEqual({ job: 'j', run: 'r', status: 'FAILED' });
  });
});

describe('RequestTelemetry', () => {
  let lines: Array<{ level: string; message: string; extra: Record<string, unknown> }>;
  let counted: Array<[string, number]>;
  beforeEach(() => {
    lines = [];
    counted = [];
    for (const level of ['info', 'error'] as const) {
      vi.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
        lines.push({ level, message: String(args[0]), extra: args[1] as Record<string, unknown> });
      });
    }
    const proto = Object.getPrototypeOf(metrics) as typeof metrics;
    vi.spyOn(proto, 'addMetric').mockImplementation(function (this: typeof metrics, name, _unit, value) {
      counted.push([name, value]);
      return this;
    });
    vi.spyOn(proto, 'addDimension').mockImplementation(function (this: typeof metrics) {
      return this;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('logs a refusal under the request id, or the id it was correlated with, and counts it by reason', () => {
    const telemetry = new RequestTelemetry('flinkEvents', 'req-1');
    expect(telemetry.correlationId).toBe('req-1');
    telemetry.refused(401, 'UNAUTHORIZED', 'SIGNATURE_MISMATCH');
    telemetry.correlateWith('msg_1');
    telemetry.refused(413, 'PAYLOAD_TOO_LARGE');
    expect(lines.map((l) => [l.message, l.extra.correlationId, l.extra.httpStatus, l.extra.reason])).toEqual([
      ['request refused', 'req-1', 401, 'SIGNATURE_MISMATCH'],
      ['request refused', 'msg_1', 413, undefined],
    ]);
    expect(counted).toEqual([['Rejected', 1], ['Rejected', 1]]);
  });

  it('logs one line per answered event with its outcome and counts the outcomes', () => {
    const telemetry = new RequestTelemetry('flinkEvents', 'req-2');
    const body = [{ eventId: 'e0', job: { name: 'j', id: 'r', status: 'RUNNING' } }, { eventId: 'e1' }, { eventId: 'e2' }];
    const answer = {
      results: [
        { index: 0, eventId: 'e0', outcome: 'written' },
        { index: 1, eventId: 'e1', outcome: 'rejected', problems: [{ pointer: '/1/job' }] },
        { index: 2, eventId: 'e2', outcome: 'queued', error: { kind: 'retryable', message: 'Atlas down' } },
      ],
    };
    telemetry.answered(207, answer, body, summarizeNativeEvent);
    expect(lines.map((l) => ({ level: l.level, ...l.extra, latencyMs: 0 }))).toEqual([
      { level: 'info', route: 'flinkEvents', correlationId: 'req-2', eventId: 'e0', job: 'j', run: 'r', status: 'RUNNING', outcome: 'written', httpStatus: 207, latencyMs: 0 },
      { level: 'info', route: 'flinkEvents', correlationId: 'req-2', eventId: 'e1', outcome: 'rejected', httpStatus: 207, latencyMs: 0, problems: ['/1/job'] },
      { level: 'info', route: 'flinkEvents', correlationId: 'req-2', eventId: 'e2', outcome: 'queued', httpStatus: 207, latencyMs: 0, errorKind: 'retryable', errorCode: undefined, error: 'Atlas down' },
    ]);
    expect(counted).toEqual([['EventsAccepted', 2], ['Rejected', 1], ['EventsWritten', 1], ['EventsQueued', 1]]);
  });

  it('logs an event Atlas refused the credentials for at error level', () => {
    const telemetry = new RequestTelemetry('openLineage', 'req-3');
    telemetry.answered(502, { results: [{ index: 0, outcome: 'failed', error: { kind: 'auth', message: 'HTTP 401' } }] }, {}, summarizeOpenLineage);
    expect(lines.map((l) => l.level)).toEqual(['error']);
    expect(counted).toContainEqual(['EventsFailed', 1]);
  });

  it('logs a skipped OpenLineage event as skipped and counts it', () => {
    const telemetry = new RequestTelemetry('openLineage', 'req-4');
    telemetry.answered(200, { skipped: true }, { eventType: 'START', job: { name: 'spark' } }, summarizeOpenLineage);
    expect(lines[0]?.extra).toMatchObject({ outcome: 'skipped', job: 'spark', status: 'START', httpStatus: 200 });
    expect(counted).toEqual([['EventsSkipped', 1]]);
  });

  it('logs a replayed webhook and counts it', () => {
    new RequestTelemetry('flinkEvents', 'req-5').replayed('msg_9', 200);
    expect(lines[0]).toMatchObject({ message: 'webhook replay answered as the first delivery', extra: { webhookId: 'msg_9', httpStatus: 200 } });
    expect(counted).toEqual([['ReplaysAnswered', 1]]);
  });
});
