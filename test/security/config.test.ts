// The security settings of the configuration: parsed strictly, refused loudly, never echoed.
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../lib/config/index.js';
import { getRuntime, loadRuntime, resetRuntime } from '../../lib/runtime/index.js';
import { routeAuthPolicy } from '../../lib/security/index.js';

const BASE = { ATLAS_URL: 'http://atlas:21000', ATLAS_USER: 'admin' };

const problem = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('Configuration of credentials and secrets', () => {
  it('reads the auth policy of each route, and leaves unset ones unset', () => {
    const config = loadConfig({ ...BASE, ATLAS_PASSWORD: 'pw', AUTH_FLINK_EVENTS: 'signature', AUTH_OPENLINEAGE: 'api-key', AUTH_FLINK_JOBS: '' });
    expect(config.auth).toEqual({ flinkEvents: { kind: 'required', modes: ['signature'] }, openLineage: { kind: 'required', modes: ['api-key'] } });
  });

  it('names a bad auth value and its variable', () => {
    expect(problem({ ...BASE, ATLAS_PASSWORD: 'pw', AUTH_FLINK_JOBS: 'hmac' })).toMatch(/AUTH_FLINK_JOBS must be signature, api-key, signature,api-key or none/);
  });

  it('takes the Atlas password from exactly one place, and never echoes it', () => {
    expect(loadConfig({ ...BASE, ATLAS_PASSWORD_PARAM: '/fab/prod/atlas-password' }).secrets.atlasPassword).toEqual({ from: 'ssm', name: '/fab/prod/atlas-password' });
    expect(loadConfig({ ...BASE, ATLAS_PASSWORD: 'pw', ATLAS_PASSWORD_PARAM: '' }).secrets.atlasPassword).toEqual({ from: 'env', value: 'pw' });
    const both = problem({ ...BASE, ATLAS_PASSWORD: 'hunter2-secret', ATLAS_PASSWORD_PARAM: '/fab/prod/atlas-password' });
    expect(both).toMatch(/not both/);
    expect(both).not.toContain('hunter2-secret');
    expect(problem({ ...BASE })).toMatch(/ATLAS_PASSWORD/);
    expect(problem({ ...BASE, ATLAS_PASSWORD_PARAM: 'no-leading-slash' })).toMatch(/ATLAS_PASSWORD_PARAM must be an SSM parameter name/);
  });

  it('refuses to serve a route with no policy, or a policy whose secrets are missing', () => {
    const config = loadConfig({ ...BASE, ATLAS_PASSWORD: 'pw', AUTH_FLINK_EVENTS: 'signature,api-key', WEBHOOK_SECRETS: 'whsec_x' });
    expect(() => routeAuthPolicy(config, 'openLineage')).toThrow(/AUTH_OPENLINEAGE is not set/);
    expect(() => routeAuthPolicy(config, 'flinkEvents')).toThrow(/takes API keys but neither API_KEYS_PARAM nor API_KEYS is set/);
    expect(routeAuthPolicy(loadConfig({ ...BASE, ATLAS_PASSWORD: 'pw', AUTH_FLINK_JOBS: 'none' }), 'flinkJobs')).toEqual({ kind: 'none' });
  });
});

describe('Runtime with the Atlas password in SSM', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetRuntime();
  });

  it('gives config and queue synchronously (all redrive needs), and Atlas only once loadRuntime() has read the password', async () => {
    Object.assign(process.env, { ...BASE, ATLAS_PASSWORD_PARAM: '/fab/test/atlas-password', RETRY_QUEUE_URL: 'http://sqs/retry', DEAD_LETTER_QUEUE_URL: 'http://sqs/dlq' });
    delete process.env.ATLAS_PASSWORD;
    resetRuntime();
    const runtime = getRuntime();
    expect(runtime.queue).toBeDefined();
    expect(() => runtime.atlas).toThrow(/loadRuntime/);
    // SSM refusing: loading fails naming the parameter and the error, and nothing else.
    const ssm = mockClient(SSMClient);
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('User is not authorized to perform: ssm:GetParameter'), { name: 'AccessDeniedException' }));
    process.env.AWS_REGION = 'eu-west-1';
    await expect(loadRuntime()).rejects.toThrow(/could not read SSM parameter \/fab\/test\/atlas-password: .*not authorized/);
    ssm.restore();
  });
});
