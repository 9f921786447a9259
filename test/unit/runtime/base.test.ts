import { afterEach, describe, expect, it } from 'vitest';
import { getBaseRuntime, resetBaseRuntime } from '../../../lib/runtime/base.js';
import { MeteredRetryQueue } from '../../../lib/telemetry/instruments.js';

describe('getBaseRuntime', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetBaseRuntime();
  });
  const useEnv = (env: Record<string, string>) => {
    process.env = { ...saved, ATLAS_URL: 'http://atlas:21000', ATLAS_USER: 'admin', ATLAS_PASSWORD: 'pw', ...env };
    delete process.env.RETRY_QUEUE_URL;
    delete process.env.DEAD_LETTER_QUEUE_URL;
    Object.assign(process.env, env);
    resetBaseRuntime();
  };

  it('builds config, a metered queue and credentials once per container', async () => {
    useEnv({ RETRY_QUEUE_URL: 'http://sqs/retry', DEAD_LETTER_QUEUE_URL: 'http://sqs/dlq', API_KEYS: 'unit-test-api-key-0123456789' });
    const base = getBaseRuntime();
    expect(getBaseRuntime()).toBe(base);
    expect(base.queue).toBeInstanceOf(MeteredRetryQueue);
    expect(base.queue?.urls).toEqual({ retry: 'http://sqs/retry', deadLetter: 'http://sqs/dlq' });
    expect(await base.credentials.apiKeyDigests()).toHaveLength(1);
  });

  it('has no queue without queue URLs, and reads the environment again after a reset', () => {
    useEnv({});
    expect(getBaseRuntime().queue).toBeUndefined();
    useEnv({ ATLAS_USER: 'other' });
    expect(getBaseRuntime().config.atlas.user).toBe('other');
  });
});
