// The long-lived parts of a warm Lambda container, built once on first use: config, the Atlas client
// (whose keep-alive connection then serves every later invocation) and the retry queue.
import { SQSClient } from '@aws-sdk/client-sqs';
import { AtlasClient } from '../atlas/index.js';
import { loadConfig, type BridgeConfig } from '../config/index.js';
import type { IngestDeps } from '../ingest/index.js';
import { RetryQueue } from '../queue/index.js';

export interface Runtime {
  config: BridgeConfig;
  atlas: AtlasClient;
  queue?: RetryQueue;
  /** What every ingest path needs, ready to pass on. */
  ingestDeps: IngestDeps;
}

let runtime: Runtime | undefined;

export const getRuntime = (): Runtime => {
  if (runtime === undefined) {
    const config = loadConfig();
    const atlas = new AtlasClient(config.atlas);
    // AWS_ENDPOINT_URL_SQS (read by the SDK itself) points this at a local SQS.
    const queue = config.queue && new RetryQueue(new SQSClient({ region: config.queue.region }), config.queue.urls);
    runtime = {
      config,
      atlas,
      ...(queue === undefined ? {} : { queue }),
      ingestDeps: {
        atlas,
        naming: config.naming,
        ...(queue === undefined ? {} : { queue, confirmDelaySeconds: config.queue?.confirmDelaySeconds ?? 0 }),
      },
    };
  }
  return runtime;
};

/** Tests and the local runner change the environment between cases. */
export const resetRuntime = (): void => {
  runtime = undefined;
};
