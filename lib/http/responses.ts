// HTTP answers, decided in one place: which status a report or an error becomes, and the JSON body.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { IngestReport, ItemResult } from '../ingest/index.js';
import { BridgeError, InputRejection } from '../errors.js';

export const jsonResponse = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({ statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const DEFAULT_RETRY_AFTER_SECONDS = 5;

export type ReportCounts = Record<ItemResult['outcome'], number>;

export const countResults = (report: IngestReport): ReportCounts => {
  const counts: ReportCounts = { written: 0, queued: 0, 'dead-lettered': 0, rejected: 0, failed: 0 };
  for (const result of report.results) counts[result.outcome] += 1;
  return counts;
};

/**
 * 200 every event in Atlas; 202 some events durably queued for retry (the rest in Atlas); 400 every event
 * invalid (nothing reached Atlas); 502 Atlas rejected the events (they are in the dead-letter queue, or, with
 * no queue, lost unless resent); 503 + Retry-After an event is neither in Atlas nor queued, so the sender must
 * keep it and retry (writes are idempotent); 207 a batch whose items ended differently (see `results`).
 */
export const reportToResponse = (report: IngestReport): APIGatewayProxyStructuredResultV2 => {
  const counts = countResults(report);
  const body = { summary: counts, results: report.results };
  const failures = report.results.flatMap((r) => (r.outcome === 'failed' ? [r.error] : []));
  const unsafe = failures.filter((f) => f.kind !== 'permanent');
  if (unsafe.length > 0) {
    const retryAfterMs = Math.max(...unsafe.map((f) => f.retryAfterMs ?? DEFAULT_RETRY_AFTER_SECONDS * 1000));
    return jsonResponse(503, { error: 'ATLAS_UNAVAILABLE', message: unsafe[0]?.message, ...body }, {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
    });
  }
  const total = report.results.length;
  const rejectedByAtlas = counts.failed + counts['dead-lettered'];
  if (counts.rejected === total) {
    return jsonResponse(400, { error: 'INVALID_EVENT', message: 'no event was accepted; see results[].problems', ...body });
  }
  if (rejectedByAtlas === total) {
    const first = report.results.find((r) => r.outcome === 'failed' || r.outcome === 'dead-lettered');
    const message = first !== undefined && 'error' in first ? first.error.message : undefined;
    return jsonResponse(502, { error: 'ATLAS_REJECTED', message, ...body });
  }
  if (counts.rejected > 0 || rejectedByAtlas > 0) return jsonResponse(207, body);
  if (counts.queued > 0) return jsonResponse(202, { queuedEventIds: report.results.flatMap((r) => (r.outcome === 'queued' ? [r.eventId] : [])), ...body });
  return jsonResponse(200, body);
};

/**
 * Errors that end a request before any item is looked at. 4xx bodies name the problem (and, for 401, the
 * reason); 5xx bodies say nothing of the cause, which is logged: a configuration message may name variables
 * and parameters, and no error text reaches a caller who has not been authenticated.
 */
export const errorToResponse = (error: unknown): APIGatewayProxyStructuredResultV2 => {
  if (error instanceof InputRejection) {
    return jsonResponse(error.status, {
      error: error.status === 401 ? 'UNAUTHORIZED' : error.code,
      ...(error.status === 401 ? { reason: error.code } : {}),
      message: error.message,
      problems: error.problems,
    }, error.headers);
  }
  if (error instanceof BridgeError && error.code === 'MISCONFIGURED') {
    return jsonResponse(500, { error: 'MISCONFIGURED', message: 'this route is not configured to serve requests; the reason is in its logs' });
  }
  return jsonResponse(500, { error: 'INTERNAL', message: 'the bridge failed to handle this request; it has been logged' });
};
