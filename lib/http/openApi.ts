// The OpenAPI 3.1 description of the three webhook routes, written to schema/openapi.json by
// scripts/generate-schema.ts and checked in CI (`npm run schema:check`). Request bodies reference the published
// JSON Schemas beside it; the answers are those of ./responses.ts and ./edge.ts, plus the few API Gateway gives
// itself (a 413 over its payload quota, a 500 for a function that crashed). schemathesis runs against it in CI
// (scripts/fuzz-openapi.sh), so every status, header and body here is one the functions really give.
import { clusterJsonSchema, CONTRACT_VERSION } from '../contract/jsonSchema.js';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, description: string, headers?: Json): Json => ({
  description,
  ...(headers === undefined ? {} : { headers }),
  content: { 'application/json': { schema } },
});

const PROBLEM: Json = {
  type: 'object',
  required: ['pointer', 'message'],
  properties: {
    pointer: { type: 'string', description: 'RFC 6901 JSON pointer into the request body; "" is the whole body' },
    message: { type: 'string' },
  },
};

const ENTITY: Json = {
  type: 'object',
  required: ['typeName', 'qualifiedName', 'guid'],
  properties: { typeName: { type: 'string' }, qualifiedName: { type: 'string' }, guid: { type: 'string' } },
};

const WRITE_FAILURE: Json = {
  type: 'object',
  required: ['kind', 'message'],
  properties: {
    kind: { enum: ['retryable', 'auth', 'permanent'] },
    message: { type: 'string' },
    status: { type: 'integer', description: "Atlas's HTTP status, when it answered" },
    atlasCode: { type: 'string', description: "Atlas's errorCode, e.g. ATLAS-404-00-007" },
    retryAfterMs: { type: 'number' },
  },
};

const ITEM_RESULT: Json = {
  oneOf: [
    {
      type: 'object',
      required: ['index', 'eventId', 'outcome', 'entities'],
      properties: { index: { type: 'integer' }, eventId: { type: 'string' }, outcome: { const: 'written' }, entities: { type: 'array', items: ref('Entity') } },
    },
    {
      type: 'object',
      required: ['index', 'eventId', 'outcome', 'error'],
      properties: { index: { type: 'integer' }, eventId: { type: 'string' }, outcome: { enum: ['queued', 'dead-lettered', 'failed'] }, error: ref('WriteFailure') },
    },
    {
      type: 'object',
      required: ['index', 'outcome', 'problems'],
      properties: { index: { type: 'integer' }, eventId: { type: 'string' }, outcome: { const: 'rejected' }, problems: { type: 'array', items: ref('Problem') } },
    },
  ],
};

const SUMMARY: Json = {
  type: 'object',
  required: ['written', 'queued', 'dead-lettered', 'rejected', 'failed'],
  properties: Object.fromEntries(['written', 'queued', 'dead-lettered', 'rejected', 'failed'].map((k) => [k, { type: 'integer', minimum: 0 }])),
};

/** summary + results, with more required fields and properties per status. */
const report = (extra: { required?: string[]; properties?: Json } = {}): Json => ({
  type: 'object',
  required: ['summary', 'results', ...(extra.required ?? [])],
  properties: { summary: ref('Summary'), results: { type: 'array', items: ref('ItemResult') }, ...extra.properties },
});

/** A request refused before its events were looked at. */
const EDGE_ERROR: Json = {
  type: 'object',
  required: ['error', 'message', 'problems'],
  properties: { error: { type: 'string', description: 'e.g. INVALID_JSON, INVALID_UTF8, BODY_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE' }, message: { type: 'string' }, problems: { type: 'array', items: ref('Problem') } },
};

/** What API Gateway answers itself, before or instead of the function. */
const GATEWAY_MESSAGE: Json = { type: 'object', required: ['message'], properties: { message: { type: 'string' } }, additionalProperties: false };

const FLINK_NAME = { not: { pattern: '^[Ff][Ll][Ii][Nn][Kk]$' } };
/**
 * An OpenLineage event with none of the marks the bridge takes for the Flink integration's (notFromFlinkReason
 * in lib/convert): answered 200 skipped without further checks, so an endpoint shared with other producers
 * never fails them.
 */
const OTHER_PRODUCER_EVENT: Json = {
  type: 'object',
  description: "another producer's OpenLineage event: answered 200 {skipped: true}",
  anyOf: [{ required: ['run'] }, { required: ['job'] }, { required: ['dataset'] }],
  properties: {
    producer: { not: { type: 'string', pattern: '/integration/flink' } },
    run: { properties: { facets: { properties: { flink_job: { not: { type: 'object' } }, processing_engine: { properties: { name: FLINK_NAME } } } } } },
    job: { properties: { facets: { properties: { jobType: { properties: { integration: FLINK_NAME } } } } } },
  },
};

const SCHEMAS: Json = {
  Problem: PROBLEM,
  Entity: ENTITY,
  WriteFailure: WRITE_FAILURE,
  ItemResult: ITEM_RESULT,
  Summary: SUMMARY,
  Report: report(),
  QueuedReport: report({ required: ['queuedEventIds'], properties: { queuedEventIds: { type: 'array', items: { type: 'string' } } } }),
  Skipped: { type: 'object', required: ['skipped', 'reason'], properties: { skipped: { const: true }, reason: { type: 'string' } } },
  InvalidEvents: report({ required: ['error', 'message'], properties: { error: { const: 'INVALID_EVENT' }, message: { type: 'string' } } }),
  AtlasRejected: report({ required: ['error'], properties: { error: { const: 'ATLAS_REJECTED' }, message: { type: 'string' } } }),
  AtlasUnavailable: report({ required: ['error'], properties: { error: { const: 'ATLAS_UNAVAILABLE' }, message: { type: 'string' } } }),
  EdgeError: EDGE_ERROR,
  Unauthorized: {
    type: 'object',
    required: ['error', 'reason', 'message', 'problems'],
    properties: {
      error: { const: 'UNAUTHORIZED' },
      reason: { type: 'string', description: 'e.g. MISSING_SIGNATURE_HEADERS, SIGNATURE_MISMATCH, TIMESTAMP_TOO_OLD, MISSING_AUTHORIZATION, INVALID_API_KEY' },
      message: { type: 'string' },
      problems: { type: 'array', items: ref('Problem') },
    },
  },
  ServerError: { type: 'object', required: ['error', 'message'], properties: { error: { enum: ['MISCONFIGURED', 'INTERNAL'] }, message: { type: 'string' } } },
  GatewayMessage: GATEWAY_MESSAGE,
  OtherProducerEvent: OTHER_PRODUCER_EVENT,
};

const RETRY_AFTER: Json = { 'Retry-After': { required: true, description: 'seconds to wait before resending the same body', schema: { type: 'string', pattern: '^[0-9]+$' } } };
const WWW_AUTHENTICATE: Json = { 'WWW-Authenticate': { description: 'on routes that take an API key: Bearer realm="flink-atlas-bridge"', schema: { type: 'string' } } };

/** Every answer a webhook route gives; `ok200` is what its 200 holds. */
const answers = (ok200: Json): Json => ({
  '200': json(ok200, 'every event is in Atlas'),
  '202': json(ref('QueuedReport'), 'Atlas failed in a retryable way: the events are in the retry queue'),
  '207': json(ref('Report'), 'a body whose events ended differently: see results[].outcome'),
  '400': json({ oneOf: [ref('EdgeError'), ref('InvalidEvents')] }, 'not UTF-8, not JSON, over the JSON limits, a bad parameter, or every event invalid; nothing reached Atlas'),
  '401': json(ref('Unauthorized'), 'credentials missing or wrong; nothing was parsed', WWW_AUTHENTICATE),
  '413': json({ oneOf: [ref('EdgeError'), ref('GatewayMessage')] }, 'the body is over MAX_BODY_BYTES (also once inflated) or has too many events; over 10 MB API Gateway answers itself'),
  '415': json(ref('EdgeError'), 'not application/json (or application/*+json), or a Content-Encoding other than gzip'),
  '500': json({ oneOf: [ref('ServerError'), ref('GatewayMessage')] }, 'the route is misconfigured or the function failed; the cause is logged, not told'),
  '502': json(ref('AtlasRejected'), 'Atlas rejected the entities: the events are in the dead-letter queue with its reason'),
  '503': json(ref('AtlasUnavailable'), 'the events are neither in Atlas nor queued: keep them and resend after Retry-After', RETRY_AFTER),
});

/** Content-Encoding is not a parameter: a header that changes what the body's bytes are cannot be fuzzed apart from it. */
const body = (schema: Json, description: string): Json => ({
  required: true,
  description: `${description}. May be sent gzip-compressed with Content-Encoding: gzip (docs/http-bodies.md).`,
  content: { 'application/json': { schema } },
});

const SIGNED = { webhookId: [], webhookTimestamp: [], webhookSignature: [] };
const KEYED = { apiKey: [] };

const operation = (summary: string, requestBody: Json, ok200: Json, security: Json[], parameters: Json[] = []): Json => ({
  post: { summary, ...(parameters.length > 0 ? { parameters } : {}), requestBody, security, responses: answers(ok200) },
});

/** The OpenAPI document, as written to schema/openapi.json. */
export const openApiDocument = (): Json => ({
  openapi: '3.1.0',
  info: {
    title: 'flink-atlas-bridge webhooks',
    version: CONTRACT_VERSION,
    description:
      'Flink job events, OpenLineage events and Flink REST job JSON in, Apache Atlas lineage out. Each route takes the credentials its AUTH_* setting names; shown here are the deployed defaults. docs/contract.md (answers) and docs/security.md; docs/http-bodies.md for bodies.',
  },
  servers: [{ url: 'http://127.0.0.1:3000', description: 'npm start' }],
  paths: {
    '/flink/events': operation('Native Flink events: one event or an array of up to 500', body({ $ref: 'flink-event.schema.json' }, 'one native event or an array of them'), ref('Report'), [SIGNED]),
    '/api/v1/lineage': operation(
      'OpenLineage RunEvent, JobEvent or DatasetEvent (the openlineage-flink HTTP transport)',
      body(
        { anyOf: [{ $ref: 'openlineage-event.schema.json' }, ref('OtherProducerEvent')] },
        'one OpenLineage event: the Flink integration\'s is read as openlineage-event.schema.json says, another producer\'s is answered 200 skipped',
      ),
      { oneOf: [ref('Report'), ref('Skipped')] },
      [KEYED],
    ),
    '/flink/jobs': operation(
      "Flink REST job JSON (GET /jobs/:jobid, or {job, executionResult})",
      body({ $ref: 'flink-rest-job.schema.json' }, 'the job JSON as Flink REST serves it; an executionResult must be of the same job (job-execution-result.id = job.jid)'),
      ref('Report'),
      [SIGNED, KEYED],
      [{ name: 'cluster', in: 'query', required: true, description: 'the Flink cluster the job runs on (part of its identity)', schema: clusterJsonSchema() }],
    ),
  },
  components: {
    schemas: SCHEMAS,
    securitySchemes: {
      webhookId: { type: 'apiKey', in: 'header', name: 'webhook-id', description: 'Standard Webhooks: the message id (replays of it are refused)' },
      webhookTimestamp: { type: 'apiKey', in: 'header', name: 'webhook-timestamp', description: 'Standard Webhooks: Unix seconds, within the tolerance of now' },
      webhookSignature: {
        type: 'apiKey',
        in: 'header',
        name: 'webhook-signature',
        description: 'Standard Webhooks: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> with a whsec_ secret; several space-separated during a rotation',
      },
      apiKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>, one of API_KEYS' },
    },
  },
});
