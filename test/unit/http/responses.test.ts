import { describe, expect, it } from 'vitest';
import { InputRejection } from '../../../lib/errors.js';
import type { IngestReport } from '../../../lib/ingest/index.js';
import { errorToResponse, jsonResponse, reportToResponse } from '../../../lib/http/responses.js';

const report = (...results: IngestReport['results']): IngestReport => ({ isArray: results.length > 1, results, subjects: [] });
const statusOf = (r: IngestReport) => reportToResponse(r).statusCode;

describe('jsonResponse', () => {
  it('serializes the value as the JSON body', () => {
    const value = { summary: { written: 1 }, results: [{ index: 0, outcome: 'written' }] };
    const response = jsonResponse(200, value, { 'retry-after': '5' });
    expect(response.headers).toEqual({ 'content-type': 'application/json', 'retry-after': '5' });
    expect(JSON.parse(String(response.body))).toEqual(value);
  });
});

describe('reportToResponse', () => {
  const written = { index: 0, eventId: 'e0', outcome: 'written' as const, entities: [] };
  const rejected = { index: 1, outcome: 'rejected' as const, problems: [{ pointer: '/1', message: 'm' }] };
  const queued = { index: 0, eventId: 'e0', outcome: 'queued' as const, error: { kind: 'retryable' as const, message: 'down' } };
  const failed = (kind: 'retryable' | 'permanent') => ({ index: 0, eventId: 'e0', outcome: 'failed' as const, error: { kind, message: 'no', retryAfterMs: 7_500 } });

  it('answers 200, 202, 207, 400, 502 and 503 from the outcomes', () => {
    expect(statusOf(report(written))).toBe(200);
    expect(statusOf(report(queued))).toBe(202);
    expect(statusOf(report(written, rejected))).toBe(207);
    expect(statusOf(report({ ...rejected, index: 0 }))).toBe(400);
    expect(statusOf(report(failed('permanent')))).toBe(502);
    const unavailable = reportToResponse(report(failed('retryable')));
    expect([unavailable.statusCode, unavailable.headers?.['retry-after']]).toEqual([503, '8']);
  });
});

describe('errorToResponse', () => {
  it('names a 401 reason and never echoes a 500 cause', () => {
    expect(JSON.parse(String(errorToResponse(new InputRejection(401, 'SIGNATURE_MISMATCH', [{ pointer: '', message: 'bad' }])).body)))
      .toMatchObject({ error: 'UNAUTHORIZED', reason: 'SIGNATURE_MISMATCH' });
    expect(errorToResponse(new Error('ATLAS_PASSWORD=hunter2')).body).not.toContain('hunter2');
  });
});
