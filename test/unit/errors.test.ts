import { describe, expect, it } from 'vitest';
import { BridgeError, ConfigError, InputRejection, SecretError } from '../../lib/errors.js';

describe('the bridge errors', () => {
  it('expose only a 4xx message to the caller (middy rule)', () => {
    expect(new BridgeError(499, 'X', 'm').expose).toBe(true);
    expect(new BridgeError(500, 'X', 'm').expose).toBe(false);
    expect(new ConfigError('AUTH_OPENLINEAGE is not set').expose).toBe(false);
    expect(new SecretError('could not read').expose).toBe(false);
  });

  it('give configuration and secret failures a 500 and a stable code', () => {
    const cause = new Error('ssm down');
    const secret = new SecretError('could not read', { cause });
    expect(secret).toMatchObject({ status: 500, code: 'SECRETS_UNAVAILABLE', name: 'SecretError', cause });
    expect(new ConfigError('m')).toMatchObject({ status: 500, code: 'MISCONFIGURED', name: 'ConfigError' });
    expect(secret).toBeInstanceOf(BridgeError);
  });

  it('word an input rejection from its problems, naming where each is', () => {
    const rejection = new InputRejection(400, 'INVALID_EVENT', [
      { pointer: '', message: 'not JSON' },
      { pointer: '/0/job/id', message: 'must be a Flink JobID' },
    ], { 'retry-after': '1' });
    expect(rejection.message).toBe('(body): not JSON; /0/job/id: must be a Flink JobID');
    expect(rejection).toMatchObject({ status: 400, code: 'INVALID_EVENT', expose: true, headers: { 'retry-after': '1' }, name: 'InputRejection' });
    expect(new InputRejection(413, 'TOO_LARGE', []).headers).toEqual({});
  });
});
