// schema/openapi.json against the answers the functions build (lib/http/responses.ts): each status's JSON body
// and headers validate against what the description says for it, on every route. schemathesis does the same
// through the running stack in CI (scripts/fuzz-openapi.sh); this catches a drift in seconds.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/config/index.js';
import { InputRejection } from '../../../lib/errors.js';
import { openApiDocument } from '../../../lib/http/openApi.js';
import { errorToResponse, jsonResponse, reportToResponse } from '../../../lib/http/responses.js';
import type { IngestReport } from '../../../lib/ingest/index.js';

const doc = openApiDocument() as any;
const committed = JSON.parse(readFileSync(new URL('../../../schema/openapi.json', import.meta.url), 'utf8')) as unknown;
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema({ $id: 'openapi.json', components: doc.components });

const ROUTES = ['/flink/events', '/api/v1/lineage', '/flink/jobs'];
const STATUSES = ['200', '202', '207', '400', '401', '413', '415', '500', '502', '503'];

/** Resolves component refs of the response schema against the document. */
const validatorFor = (route: string, status: string) => {
  const schema = doc.paths[route].post.responses[status].content['application/json'].schema as Record<string, unknown>;
  return ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/')) as object);
};

const written = { index: 0, eventId: 'e1', outcome: 'written' as const, entities: [{ typeName: 'flink_job', qualifiedName: 'c/j@primary', guid: 'g1' }] };
const failure = (kind: 'retryable' | 'permanent') => ({ kind, message: 'Atlas said no', status: kind === 'permanent' ? 404 : 503 });
const report = (...results: IngestReport['results']): IngestReport => ({ isArray: results.length > 1, results, subjects: [] });

/** One answer per status, built by the code that builds the real ones. */
const ANSWERS: Record<string, APIGatewayProxyStructuredResultV2[]> = {
  '200': [reportToResponse(report(written))],
  '202': [reportToResponse(report({ index: 0, eventId: 'e1', outcome: 'queued', error: failure('retryable') }))],
  '207': [reportToResponse(report(written, { index: 1, outcome: 'rejected', problems: [{ pointer: '/1/job/id', message: 'must be a Flink JobID' }] }))],
  '400': [
    reportToResponse(report({ index: 0, eventId: 'e1', outcome: 'rejected', problems: [{ pointer: '/eventTime', message: 'Invalid ISO datetime' }] })),
    errorToResponse(new InputRejection(400, 'INVALID_JSON', [{ pointer: '', message: 'the body is not valid JSON' }])),
    errorToResponse(new InputRejection(400, 'INVALID_UTF8', [{ pointer: '', message: 'invalid byte sequence at byte offset 3' }])),
  ],
  '401': [errorToResponse(new InputRejection(401, 'SIGNATURE_MISMATCH', [{ pointer: '', message: 'no signature matches' }], { 'www-authenticate': 'Bearer realm="flink-atlas-bridge"' }))],
  '413': [errorToResponse(new InputRejection(413, 'BODY_TOO_LARGE', [{ pointer: '', message: 'too large' }])), jsonResponse(413, { message: 'Request Entity Too Large' })],
  '415': [errorToResponse(new InputRejection(415, 'UNSUPPORTED_MEDIA_TYPE', [{ pointer: '', message: 'Content-Type must be application/json' }]))],
  '500': [errorToResponse(new ConfigError('AUTH_FLINK_EVENTS is not set')), errorToResponse(new Error('boom')), jsonResponse(500, { message: 'Internal Server Error' })],
  '502': [reportToResponse(report({ index: 0, eventId: 'e1', outcome: 'dead-lettered', error: failure('permanent') }))],
  '503': [reportToResponse(report({ index: 0, eventId: 'e1', outcome: 'failed', error: failure('retryable') }))],
};

describe('schema/openapi.json', () => {
  it('is the committed file (npm run schema:check)', () => {
    expect(committed).toEqual(doc);
  });

  it.each(ROUTES)('%s describes every answer the functions give', (route) => {
    expect(Object.keys(doc.paths[route].post.responses).sort()).toEqual([...STATUSES].sort());
  });

  describe.each(ROUTES)('%s', (route) => {
    it.each(STATUSES)('a %s the functions build matches its description', (status) => {
      const validate = validatorFor(route, status);
      for (const answer of ANSWERS[status]!) {
        expect(answer.statusCode).toBe(Number(status));
        expect(validate(JSON.parse(String(answer.body))), JSON.stringify(validate.errors)).toBe(true);
        for (const [name, header] of Object.entries((doc.paths[route].post.responses[status].headers ?? {}) as Record<string, { required?: boolean }>)) {
          if (header.required) expect(answer.headers?.[name.toLowerCase()], `${status} ${name}`).toMatch(/^\d+$/);
        }
      }
    });
  });

  it('takes the signature on /flink/events, the key on /api/v1/lineage, either on /flink/jobs', () => {
    expect(doc.paths['/flink/events'].post.security).toEqual([{ webhookId: [], webhookTimestamp: [], webhookSignature: [] }]);
    expect(doc.paths['/api/v1/lineage'].post.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/flink/jobs'].post.security).toHaveLength(2);
  });
});
