// The retry worker's SQS batch follows DELIVERY_MODE (serverless.yml custom.retryWorkerBatch, docs/fleet.md):
// checked on the configuration serverless resolves for a deploy, `serverless print`.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface SqsEvent { sqs: { batchSize: number; maximumBatchingWindow: number; functionResponseType: string } }

const retryWorkerSqs = (deliveryMode: string | undefined): SqsEvent['sqs'] => {
  const env: NodeJS.ProcessEnv = { ...process.env, SLS_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' };
  delete env.DELIVERY_MODE;
  if (deliveryMode !== undefined) env.DELIVERY_MODE = deliveryMode;
  const printed = execFileSync(process.execPath, ['node_modules/serverless/bin/serverless.js', 'print', '--format', 'json'], {
    cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000,
  }).toString('utf8');
  const config = JSON.parse(printed) as { functions: { retryWorker: { events: SqsEvent[] } } };
  const [event] = config.functions.retryWorker.events;
  return event!.sqs;
};

describe('retryWorker SQS batch by delivery mode', () => {
  it('direct (the default) drains retries in batches of 10 within 5 s', () => {
    const sqs = retryWorkerSqs(undefined);
    expect([sqs.batchSize, sqs.maximumBatchingWindow]).toEqual([10, 5]);
    expect(sqs.functionResponseType).toBe('ReportBatchItemFailures');
  }, 70_000);

  it('fleet takes 1,000 per batch, with the window SQS requires for a batch over 10', () => {
    const sqs = retryWorkerSqs('fleet');
    expect(sqs.batchSize).toBe(1000);
    expect(sqs.maximumBatchingWindow).toBeGreaterThanOrEqual(1);
    expect(sqs.functionResponseType).toBe('ReportBatchItemFailures');
  }, 70_000);
});
