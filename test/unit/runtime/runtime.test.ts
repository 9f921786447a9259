import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtlasClient } from '../../../lib/atlas/index.js';
import { getRuntime, loadRuntime, resetRuntime } from '../../../lib/runtime/index.js';

const BASE = { ATLAS_URL: 'http://atlas:21000', ATLAS_USER: 'admin' };
const QUEUES = { RETRY_QUEUE_URL: 'http://sqs/retry', DEAD_LETTER_QUEUE_URL: 'http://sqs/dlq', AWS_REGION: 'eu-west-1' };

describe('runtime', () => {
  const saved = { ...process.env };
  const ssm = mockClient(SSMClient);
  const useEnv = (env: Record<string, string>) => {
    process.env = { ...saved, ...env };
    delete process.env.ATLAS_PASSWORD_PARAM;
    if (env.ATLAS_PASSWORD === undefined) delete process.env.ATLAS_PASSWORD;
    if (env.ATLAS_PASSWORD_PARAM !== undefined) process.env.ATLAS_PASSWORD_PARAM = env.ATLAS_PASSWORD_PARAM;
    resetRuntime();
  };
  beforeEach(() => ssm.reset());
  afterEach(() => {
    process.env = { ...saved };
    resetRuntime();
  });

  it('builds once per container from the environment password, with ingest deps on the queue', () => {
    useEnv({ ...BASE, ATLAS_PASSWORD: 'pw', ...QUEUES, CONFIRM_DELAY_SECONDS: '30' });
    const runtime = getRuntime();
    expect(getRuntime()).toBe(runtime);
    expect(runtime.atlas).toBeInstanceOf(AtlasClient);
    expect(runtime.queue?.urls).toEqual({ retry: 'http://sqs/retry', deadLetter: 'http://sqs/dlq' });
    expect(runtime.ingestDeps).toMatchObject({ naming: runtime.config.naming, queue: runtime.queue, confirmDelaySeconds: 30 });
  });

  it('has no queue and no confirmation delay without queue URLs', async () => {
    useEnv({ ...BASE, ATLAS_PASSWORD: 'pw' });
    const runtime = await loadRuntime();
    expect(runtime.queue).toBeUndefined();
    expect('confirmDelaySeconds' in runtime.ingestDeps).toBe(false);
  });

  it('gives config and queue synchronously with the password in SSM, and Atlas only once loadRuntime() has read it', async () => {
    useEnv({ ...BASE, ATLAS_PASSWORD_PARAM: '/unit/runtime/atlas-password', ...QUEUES });
    const runtime = getRuntime();
    expect(runtime.queue).toBeDefined();
    expect(() => runtime.atlas).toThrow(/loadRuntime/);
    expect(() => runtime.ingestDeps).toThrow(/loadRuntime/);
    ssm.on(GetParameterCommand, { Name: '/unit/runtime/atlas-password' }).resolves({ Parameter: { Value: 'from-ssm' } });
    const loaded = await loadRuntime();
    expect(loaded.atlas).toBeInstanceOf(AtlasClient);
    expect(getRuntime()).toBe(loaded);
  });

  it('fails to load naming the SSM parameter when SSM refuses', async () => {
    useEnv({ ...BASE, ATLAS_PASSWORD_PARAM: '/unit/runtime/denied', ...QUEUES });
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('User is not authorized to perform: ssm:GetParameter'), { name: 'AccessDeniedException' }));
    await expect(loadRuntime()).rejects.toThrow(/could not read SSM parameter \/unit\/runtime\/denied: .*not authorized/);
  });
});
