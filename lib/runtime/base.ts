// The part of the per-container runtime that holds no Atlas client: config, the retry queue and the credentials.
// lib/runtime/runtime.ts builds the Atlas client on top of it; redrive, which never calls Atlas, takes only this,
// so its bundle leaves axios out.
import type { SQSClient } from '@aws-sdk/client-sqs';
import { loadConfig, type BridgeConfig } from '../config/index.js';
import type { RetryQueue } from '../queue/index.js';
import { createCredentials, type Credentials } from '../security/index.js';
import { MeteredRetryQueue } from '../telemetry/instruments.js';

export interface BaseRuntime {
  config: BridgeConfig;
  queue?: RetryQueue;
  credentials: Credentials;
}

let base: BaseRuntime | undefined;

/** Config, queue and credentials, built once per container on first use. */
export const getBaseRuntime = (): BaseRuntime => {
  if (base === undefined) {
    const config = loadConfig();
    // AWS_ENDPOINT_URL_SQS (read by the SDK itself) points this at a local SQS. The SDK is not loaded at cold
    // start (it takes longer than the whole bundle, see lib/queue/retryQueue.ts) but on the first invocation.
    const region = config.queue?.region;
    const sqs = (): Promise<SQSClient> => import('@aws-sdk/client-sqs').then(({ SQSClient }) => new SQSClient({ region }));
    const queue = config.queue && new MeteredRetryQueue(sqs, config.queue.urls);
    // In the background: the SDK loads while this first request waits for Atlas.
    queue?.warm();
    base = { config, ...(queue === undefined ? {} : { queue }), credentials: createCredentials(config.secrets) };
  }
  return base;
};

export const resetBaseRuntime = (): void => {
  base = undefined;
};
