// HTTP answers, decided in one place: which status a report or an error becomes, and the JSON body.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { BridgeInputError } from '../contract/index.js';
import type { IngestReport } from '../ingest/index.js';

export const jsonResponse = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

const DEFAULT_RETRY_AFTER_SECONDS = 5;

export interface ReportCounts {
  written: number;
  rejected: number;
  failed: number;
}

export const countResults = (report: IngestReport): ReportCounts => ({
  written: report.results.filter((r) => r.outcome === 'written').length,
  rejected: report.results.filter((r) => r.outcome === 'rejected').length,
  failed: report.results.filter((r) => r.outcome === 'failed').length,
});

/**
 * 200 every event written; 400 every event invalid (nothing reached Atlas); 503 + Retry-After when Atlas
 * failed in a way worth retrying (the sender should resend; writes are idempotent); 502 when Atlas
 * rejected the entities; 207 for a batch whose items ended differently (see `results`).
 */
export const reportToResponse = (report: IngestReport): APIGatewayProxyStructuredResultV2 => {
  const counts = countResults(report);
  const failures = report.results.flatMap((r) => (r.outcome === 'failed' ? [r.error] : []));
  const retryable = failures.filter((f) => f.kind !== 'permanent');
  const body = { summary: counts, results: report.results };
  if (retryable.length > 0) {
    const retryAfterMs = Math.max(...retryable.map((f) => f.retryAfterMs ?? DEFAULT_RETRY_AFTER_SECONDS * 1000));
    return jsonResponse(503, { error: 'ATLAS_UNAVAILABLE', message: retryable[0]?.message, ...body }, {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
    });
  }
  const total = report.results.length;
  if (counts.written === total) return jsonResponse(200, body);
  if (counts.rejected === total) {
    return jsonResponse(400, { error: 'INVALID_EVENT', message: 'no event was accepted; see results[].problems', ...body });
  }
  if (counts.failed === total) {
    return jsonResponse(502, { error: 'ATLAS_REJECTED', message: failures[0]?.message, ...body });
  }
  return jsonResponse(207, body);
};

/** Errors that end a request before any item is looked at. */
export const errorToResponse = (error: unknown): APIGatewayProxyStructuredResultV2 => {
  if (error instanceof BridgeInputError) {
    return jsonResponse(error.status, { error: error.code, message: error.message, problems: error.problems });
  }
  return jsonResponse(500, { error: 'INTERNAL', message: 'the bridge failed to handle this request; it has been logged' });
};
