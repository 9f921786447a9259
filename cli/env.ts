// Where the CLI's settings come from: the environment, over what `npm start` wrote to .local/stack.env
// (scripts/queueFromEnv.ts's stackEnv), validated by the bridge's own loadConfig.
import { SQSClient } from '@aws-sdk/client-sqs';
import { ConfigError, loadConfig, type BridgeConfig } from '../lib/config/index.js';
import type { NamingContext } from '../lib/mapping/index.js';
import { RetryQueue } from '../lib/queue/index.js';
import { stackEnv } from '../scripts/queueFromEnv.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** The process environment over .local/stack.env (the environment wins). */
export const cliEnv = (): Env => stackEnv();

/** ATLAS_NAMESPACE and ATLAS_NAMESPACE_MAP with the bridge's own rules, without needing an Atlas. Throws ConfigError. */
export const namingFromEnv = (env: Env): NamingContext =>
  loadConfig({
    ATLAS_URL: 'http://atlas.invalid:21000',
    ATLAS_USER: '-',
    ATLAS_PASSWORD: '-',
    ATLAS_NAMESPACE: env.ATLAS_NAMESPACE,
    ATLAS_NAMESPACE_MAP: env.ATLAS_NAMESPACE_MAP,
  }).naming;

/** The bridge's whole configuration from the CLI's environment. Throws ConfigError. */
export const configFromEnv = (env: Env): BridgeConfig => loadConfig(env);

/** The retry queue and DLQ of a loaded configuration; AWS_ENDPOINT_URL_SQS (a local SQS) is honoured from the file too. */
export const queueFromConfig = (config: BridgeConfig, env: Env): RetryQueue | undefined => {
  if (config.queue === undefined) return undefined;
  const endpoint = env.AWS_ENDPOINT_URL_SQS;
  const keyId = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  return new RetryQueue(
    new SQSClient({
      region: config.queue.region,
      maxAttempts: 2,
      ...(endpoint === undefined || endpoint === '' ? {} : { endpoint }),
      ...(keyId !== undefined && secret !== undefined ? { credentials: { accessKeyId: keyId, secretAccessKey: secret } } : {}),
    }),
    config.queue.urls,
  );
};

export { ConfigError };
