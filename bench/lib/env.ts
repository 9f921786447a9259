// The environment the bench gives the functions: the deployed defaults of serverless.yml, pointed at the
// bench's Atlas (and queues, where a section uses them), with authentication on as a deployment has it:
// POST /flink/events takes Standard Webhooks signatures, the OpenLineage and Flink REST routes an API key.
import { createHmac, randomBytes } from 'node:crypto';

// Fixed bench credentials (not secrets of anything): 32 random-looking bytes and a 40-character key.
const WEBHOOK_KEY = Buffer.from('ZmxpbmstYXRsYXMtYnJpZGdlIGJlbmNoIHNpZ25pbmcga2V5IDAxMjM0NTY3', 'base64');
export const BENCH_WEBHOOK_SECRET = `whsec_${WEBHOOK_KEY.toString('base64')}`;
export const BENCH_API_KEY = 'bench-api-key-0123456789abcdefghijklmnopqrstuv';

export interface BenchEnvOptions {
  atlasUrl: string;
  queue?: { retry: string; deadLetter: string; endpoint: string };
  extra?: Record<string, string>;
}

export const benchEnv = (options: BenchEnvOptions): Record<string, string> => ({
  ATLAS_URL: options.atlasUrl,
  ATLAS_USER: 'admin',
  ATLAS_PASSWORD: 'admin',
  ATLAS_NAMESPACE: 'primary',
  ATLAS_NAMESPACE_MAP: '{}',
  MAX_RECEIVE_COUNT: '8',
  CONFIRM_DELAY_SECONDS: '60',
  // serverless.yml sets no log level: Powertools' default (INFO), as deployed. Children write logs to bench/out/logs.
  POWERTOOLS_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'INFO',
  AUTH_FLINK_EVENTS: 'signature',
  WEBHOOK_SECRETS: BENCH_WEBHOOK_SECRET,
  AUTH_OPENLINEAGE: 'api-key',
  AUTH_FLINK_JOBS: 'api-key',
  API_KEYS: BENCH_API_KEY,
  ...(options.queue === undefined
    ? {}
    : {
        RETRY_QUEUE_URL: options.queue.retry,
        DEAD_LETTER_QUEUE_URL: options.queue.deadLetter,
        AWS_ENDPOINT_URL_SQS: options.queue.endpoint,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_REGION: 'eu-west-1',
      }),
  ...options.extra,
});

let sequence = 0;

/**
 * What a sender adds to authenticate a body: a Standard Webhooks signature (a new webhook-id each time, so
 * that no request is a replay) for /flink/events, `Authorization: Bearer` for the other routes. Signing is the
 * sender's work: the bench does it before its clock starts.
 */
export const benchAuthHeaders = (path: string, body: string, nowSeconds = Math.floor(Date.now() / 1000)): Record<string, string> => {
  if (path !== '/flink/events') return { authorization: `Bearer ${BENCH_API_KEY}` };
  sequence += 1;
  const id = `msg_bench_${process.pid}_${sequence}_${randomBytes(4).toString('hex')}`;
  const signature = createHmac('sha256', WEBHOOK_KEY).update(`${id}.${nowSeconds}.`).update(body, 'utf8').digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(nowSeconds), 'webhook-signature': `v1,${signature}` };
};
