import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  describeSource, parsedOnChange, resolveSecret, SecretError, ssmParameterFetcher, type ParameterFetcher,
} from '../../../lib/security/secrets.js';

describe('resolveSecret', () => {
  it('returns an environment value as is and fetches an SSM one with the TTL', async () => {
    const asked: Array<[string, number]> = [];
    const fetch: ParameterFetcher = async (name, maxAge) => {
      asked.push([name, maxAge]);
      return `value of ${name}`;
    };
    expect(await resolveSecret({ from: 'env', value: 'plain' }, 60, fetch)).toBe('plain');
    expect(await resolveSecret({ from: 'ssm', name: '/bridge/key' }, 60, fetch)).toBe('value of /bridge/key');
    expect(asked).toEqual([['/bridge/key', 60]]);
  });
});

describe('describeSource', () => {
  it('names where a secret is, never its value', () => {
    expect(describeSource({ from: 'ssm', name: '/bridge/key' }, 'API_KEYS')).toBe('SSM parameter /bridge/key');
    expect(describeSource({ from: 'env', value: 'topsecret' }, 'API_KEYS')).toBe('the API_KEYS environment variable');
  });
});

describe('parsedOnChange', () => {
  it('parses again only when the raw value changed', () => {
    let parses = 0;
    const parse = parsedOnChange((raw: string) => {
      parses += 1;
      return raw.length;
    });
    expect(parse('abc')).toBe(3);
    expect(parse('abc')).toBe(3);
    expect(parses).toBe(1);
    expect(parse('abcd')).toBe(4);
    expect(parses).toBe(2);
  });
});

describe('ssmParameterFetcher', () => {
  const ssm = mockClient(SSMClient);
  afterEach(() => ssm.reset());

  it('reads a decrypted parameter', async () => {
    ssm.on(GetParameterCommand, { Name: '/unit/secrets/ok', WithDecryption: true }).resolves({ Parameter: { Value: 'the-value' } });
    expect(await ssmParameterFetcher('/unit/secrets/ok', 0)).toBe('the-value');
  });

  it('says which parameter could not be read, and that an empty one is missing', async () => {
    ssm.on(GetParameterCommand, { Name: '/unit/secrets/denied' }).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    ssm.on(GetParameterCommand, { Name: '/unit/secrets/empty' }).resolves({ Parameter: { Value: ' ' } });
    await expect(ssmParameterFetcher('/unit/secrets/denied', 0)).rejects.toThrow(SecretError);
    await expect(ssmParameterFetcher('/unit/secrets/denied', 0)).rejects.toThrow(/could not read SSM parameter \/unit\/secrets\/denied: \w+: not authorized$/);
    await expect(ssmParameterFetcher('/unit/secrets/empty', 0)).rejects.toThrow('SSM parameter /unit/secrets/empty is missing or empty');
  });
});
