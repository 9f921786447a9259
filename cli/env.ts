// Where the CLI's settings come from: the environment, over what `npm start` wrote to .local/stack.env, validated by
// the bridge's own loadConfig.
import { existsSync, readFileSync } from 'node:fs';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ConfigError, loadConfig, type BridgeConfig } from '../lib/config/index.js';
import type { NamingContext } from '../lib/mapping/index.js';
import { RetryQueue } from '../lib/queue/index.js';

export type Env = Readonly<Record<string, string | undefined>>;

const LOCAL_STACK_ENV = new URL('../.local/stack.env', import.meta.url);

/** The `KEY=value` lines of a stack.env file (a value may hold `=`); other lines are skipped. */
export const parseStackEnv = (text: string): Record<string, string> => {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) values[line.slice(0, at)] = line.slice(at + 1);
  }
  return values;
};

/** The process environment over .local/stack.env (the environment wins). */
export const cliEnv = (env: Env = process.env, file: URL = LOCAL_STACK_ENV): Env => ({
  ...(existsSync(file) ? parseStackEnv(readFileSync(file, 'utf8')) : {}),
  ...env,
});

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
