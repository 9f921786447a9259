// The configuration: every variable parsed strictly, refused loudly naming the variable, never echoed.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../lib/config/index.js';

const BASE = { ATLAS_URL: 'http://atlas:21000', ATLAS_USER: 'admin' };
const LOCAL = { ...BASE, ATLAS_PASSWORD: 'pw' };

const problem = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig: defaults', () => {
  it('fills every optional setting with its documented default and freezes the result', () => {
    const config = loadConfig(LOCAL);
    expect(config).toEqual({
      atlas: { baseUrl: 'http://atlas:21000', user: 'admin', password: 'pw', timeoutMs: 10_000 },
      secrets: { atlasPassword: { from: 'env', value: 'pw' }, ttlSeconds: 300 },
      auth: {},
      naming: { atlasNamespace: 'primary', namespaceOverrides: {} },
      maxBodyBytes: 1024 * 1024,
      delivery: { mode: 'direct', checkpointIntervalSeconds: 300, maxConcurrency: 4 },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe('loadConfig: Atlas', () => {
  it('requires an http(s) Atlas URL and a user', () => {
    expect(problem({ ...LOCAL, ATLAS_URL: 'ftp://atlas' })).toMatch(/ATLAS_URL must be an http\(s\) URL/);
    expect(problem({ ATLAS_URL: 'http://atlas:21000', ATLAS_USER: '', ATLAS_PASSWORD: 'pw' })).toMatch(/ATLAS_USER is required/);
  });

  it('bounds integer settings and names the one out of range', () => {
    expect(loadConfig({ ...LOCAL, ATLAS_TIMEOUT_MS: '2500' }).atlas.timeoutMs).toBe(2500);
    expect(problem({ ...LOCAL, ATLAS_TIMEOUT_MS: '50' })).toMatch(/^Invalid configuration: ATLAS_TIMEOUT_MS /);
    expect(problem({ ...LOCAL, MAX_BODY_BYTES: '1.5' })).toMatch(/MAX_BODY_BYTES/);
    expect(problem({ ...LOCAL, SECRETS_TTL_SECONDS: '-1' })).toMatch(/SECRETS_TTL_SECONDS/);
  });

  it('takes the Atlas password from exactly one place, and never echoes it', () => {
    expect(loadConfig({ ...BASE, ATLAS_PASSWORD_PARAM: '/fab/prod/atlas-password' }).secrets.atlasPassword).toEqual({ from: 'ssm', name: '/fab/prod/atlas-password' });
    expect(loadConfig({ ...BASE, ATLAS_PASSWORD_PARAM: '/fab/prod/atlas-password' }).atlas.password).toBe('');
    expect(loadConfig({ ...BASE, ATLAS_PASSWORD: 'pw', ATLAS_PASSWORD_PARAM: '' }).secrets.atlasPassword).toEqual({ from: 'env', value: 'pw' });
    const both = problem({ ...BASE, ATLAS_PASSWORD: 'hunter2-secret', ATLAS_PASSWORD_PARAM: '/fab/prod/atlas-password' });
    expect(both).toMatch(/not both/);
    expect(both).not.toContain('hunter2-secret');
    expect(problem({ ...BASE })).toMatch(/ATLAS_PASSWORD/);
    expect(problem({ ...BASE, ATLAS_PASSWORD_PARAM: 'no-leading-slash' })).toMatch(/ATLAS_PASSWORD_PARAM must be an SSM parameter name/);
  });
});

describe('loadConfig: credentials of the routes', () => {
  it('reads the auth policy of each route, and leaves unset ones unset', () => {
    const config = loadConfig({ ...LOCAL, AUTH_FLINK_EVENTS: 'signature', AUTH_OPENLINEAGE: 'api-key', AUTH_FLINK_JOBS: '' });
    expect(config.auth).toEqual({ flinkEvents: { kind: 'required', modes: ['signature'] }, openLineage: { kind: 'required', modes: ['api-key'] } });
  });

  it('names a bad auth value and its variable', () => {
    expect(problem({ ...LOCAL, AUTH_FLINK_JOBS: 'hmac' })).toMatch(/AUTH_FLINK_JOBS must be signature, api-key, signature,api-key or none/);
  });

  it('takes webhook secrets and API keys from the environment or SSM, not both', () => {
    const fromEnv = loadConfig({ ...LOCAL, WEBHOOK_SECRETS: 'whsec_x', API_KEYS_PARAM: '/fab/keys', SECRETS_TTL_SECONDS: '0' }).secrets;
    expect(fromEnv).toMatchObject({ webhookSecrets: { from: 'env', value: 'whsec_x' }, apiKeys: { from: 'ssm', name: '/fab/keys' }, ttlSeconds: 0 });
    expect(problem({ ...LOCAL, WEBHOOK_SECRETS: 'whsec_secret-value', WEBHOOK_SECRETS_PARAM: '/fab/wh' })).toMatch(/WEBHOOK_SECRETS set one of WEBHOOK_SECRETS and WEBHOOK_SECRETS_PARAM/);
    expect(problem({ ...LOCAL, API_KEYS: 'k', API_KEYS_PARAM: '/fab/keys' })).toMatch(/API_KEYS set one of API_KEYS and API_KEYS_PARAM/);
  });
});

describe('loadConfig: naming', () => {
  it('reads the namespace and its per-source overrides', () => {
    const config = loadConfig({ ...LOCAL, ATLAS_NAMESPACE: 'prod', ATLAS_NAMESPACE_MAP: '{"kafka://broker-a:9092":"kafka-prod"}' });
    expect(config.naming).toEqual({ atlasNamespace: 'prod', namespaceOverrides: { 'kafka://broker-a:9092': 'kafka-prod' } });
  });

  it('refuses a map that is not JSON, or names a namespace holding @ or blanks', () => {
    expect(problem({ ...LOCAL, ATLAS_NAMESPACE_MAP: '{kafka' })).toMatch(/ATLAS_NAMESPACE_MAP must be a JSON object/);
    expect(problem({ ...LOCAL, ATLAS_NAMESPACE_MAP: '{"kafka://b:9092":"a@b"}' })).toMatch(/ATLAS_NAMESPACE_MAP\.kafka:\/\/b:9092 an Atlas namespace holds no "@" or blanks/);
    expect(problem({ ...LOCAL, ATLAS_NAMESPACE: 'my cluster' })).toMatch(/ATLAS_NAMESPACE/);
  });
});

describe('loadConfig: retry queue', () => {
  const QUEUES = { RETRY_QUEUE_URL: 'http://sqs/retry', DEAD_LETTER_QUEUE_URL: 'http://sqs/dlq' };

  it('configures the queue with its defaults when both URLs are set', () => {
    expect(loadConfig({ ...LOCAL, ...QUEUES }).queue).toEqual({
      urls: { retry: 'http://sqs/retry', deadLetter: 'http://sqs/dlq' },
      region: 'eu-west-1',
      maxReceiveCount: 8,
      confirmDelaySeconds: 60,
      backoff: { baseSeconds: 5, maxSeconds: 900 },
    });
    const tuned = loadConfig({ ...LOCAL, ...QUEUES, AWS_REGION: 'us-east-1', MAX_RECEIVE_COUNT: '3', CONFIRM_DELAY_SECONDS: '0', BACKOFF_BASE_SECONDS: '2', BACKOFF_MAX_SECONDS: '60' }).queue;
    expect(tuned).toMatchObject({ region: 'us-east-1', maxReceiveCount: 3, confirmDelaySeconds: 0, backoff: { baseSeconds: 2, maxSeconds: 60 } });
  });

  it('has no queue when neither URL is set, and refuses only one of them', () => {
    expect(loadConfig(LOCAL).queue).toBeUndefined();
    expect(problem({ ...LOCAL, RETRY_QUEUE_URL: 'http://sqs/retry' })).toMatch(/RETRY_QUEUE_URL set both or neither of RETRY_QUEUE_URL and DEAD_LETTER_QUEUE_URL/);
    expect(problem({ ...LOCAL, ...QUEUES, CONFIRM_DELAY_SECONDS: '901' })).toMatch(/CONFIRM_DELAY_SECONDS/);
  });

  it('lists every problem at once', () => {
    const message = problem({ ...LOCAL, ATLAS_URL: 'nope', MAX_RECEIVE_COUNT: '0' });
    expect(message).toMatch(/ATLAS_URL .*; MAX_RECEIVE_COUNT /);
  });
});
