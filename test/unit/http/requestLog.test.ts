import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IngestReport } from '../../../lib/ingest/index.js';
import { logRefusal, logReplay, logReport, logSkipped, startRequestLog } from '../../../lib/http/requestLog.js';
import { logger, metrics } from '../../../lib/telemetry/index.js';

describe('requestLog', () => {
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

  it('counts every request, and logs a refusal under the request id or the id it was correlated with', () => {
    const log = startRequestLog('flinkEvents', 'req-1');
    expect(log.correlationId).toBe('req-1');
    logRefusal(log, 401, 'UNAUTHORIZED', 'SIGNATURE_MISMATCH');
    log.correlateWith('msg_1');
    logRefusal(log, 413, 'PAYLOAD_TOO_LARGE');
    expect(lines.map((l) => [l.message, l.extra.route, l.extra.correlationId, l.extra.httpStatus, l.extra.reason])).toEqual([
      ['request refused', 'flinkEvents', 'req-1', 401, 'SIGNATURE_MISMATCH'],
      ['request refused', 'flinkEvents', 'msg_1', 413, undefined],
    ]);
    expect(counted).toEqual([['Requests', 1], ['Rejected', 1], ['Rejected', 1]]);
  });

  it('logs one line per event of the report, named by its subject, and counts the outcomes', () => {
    const log = startRequestLog('flinkEvents', 'req-2');
    const report: IngestReport = {
      isArray: true,
      results: [
        { index: 0, eventId: 'e0', outcome: 'written', entities: [] },
        { index: 1, eventId: 'e1', outcome: 'rejected', problems: [{ pointer: '/1/job', message: 'm' }] },
        { index: 2, eventId: 'e2', outcome: 'queued', error: { kind: 'retryable', message: 'Atlas down' } },
      ],
      subjects: [{ eventId: 'e0', job: 'j', run: 'r', status: 'RUNNING' }, { eventId: 'e1' }, { eventId: 'e2' }],
    };
    logReport(log, report, 207);
    expect(lines.map((l) => ({ level: l.level, ...l.extra, latencyMs: 0 }))).toEqual([
      { level: 'info', route: 'flinkEvents', correlationId: 'req-2', eventId: 'e0', job: 'j', run: 'r', status: 'RUNNING', outcome: 'written', httpStatus: 207, latencyMs: 0 },
      { level: 'info', route: 'flinkEvents', correlationId: 'req-2', eventId: 'e1', outcome: 'rejected', httpStatus: 207, latencyMs: 0, problems: ['/1/job'] },
      { level: 'info', route: 'flinkEvents', correlationId: 'req-2', eventId: 'e2', outcome: 'queued', httpStatus: 207, latencyMs: 0, errorKind: 'retryable', errorCode: undefined, error: 'Atlas down' },
    ]);
    expect(counted).toEqual([['Requests', 1], ['EventsAccepted', 2], ['Rejected', 1], ['EventsWritten', 1], ['EventsQueued', 1]]);
  });

  it('logs an event Atlas refused the credentials for at error level', () => {
    const report: IngestReport = { isArray: false, results: [{ index: 0, eventId: 'e', outcome: 'failed', error: { kind: 'auth', message: 'HTTP 401' } }], subjects: [{}] };
    logReport(startRequestLog('openLineage', 'req-3'), report, 502);
    expect(lines.map((l) => l.level)).toEqual(['error']);
    expect(counted).toContainEqual(['EventsFailed', 1]);
  });

  it('logs a skipped OpenLineage event as skipped, and a replay, and counts them', () => {
    const log = startRequestLog('openLineage', 'req-4');
    logSkipped(log, { job: 'spark', status: 'START' }, 200);
    logReplay(log, 'msg_9', 200);
    expect(lines.map((l) => [l.message, l.extra])).toEqual([
      ['request answered', expect.objectContaining({ outcome: 'skipped', job: 'spark', status: 'START', httpStatus: 200 })],
      ['webhook replay answered as the first delivery', expect.objectContaining({ webhookId: 'msg_9', httpStatus: 200 })],
    ]);
    expect(counted).toEqual([['Requests', 1], ['EventsSkipped', 1], ['ReplaysAnswered', 1]]);
  });

  it('still logs each event without a request log (no acceptWebhook in front), just without route and correlation', () => {
    logReport(undefined, { isArray: false, results: [{ index: 0, eventId: 'e', outcome: 'written', entities: [] }], subjects: [{ job: 'j' }] }, 200);
    expect(lines[0]?.extra).toEqual({ job: 'j', eventId: 'e', outcome: 'written', httpStatus: 200, latencyMs: undefined });
  });
});
