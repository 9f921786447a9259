import { describe, expect, it } from 'vitest';
import { ConfigError, type SecretsConfig } from '../../../lib/config/index.js';
import { digestApiKey } from '../../../lib/security/apiKeys.js';
import { createCredentials } from '../../../lib/security/credentials.js';
import type { ParameterFetcher } from '../../../lib/security/secrets.js';
import { parseWebhookSecret } from '../../../lib/security/standardWebhooks.js';

const SECRET_A = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SECRET_B = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const KEY = 'unit-test-api-key-0123456789';

const secrets = (extra: Partial<SecretsConfig>): SecretsConfig => ({ atlasPassword: { from: 'env', value: 'pw' }, ttlSeconds: 300, ...extra });

describe('createCredentials', () => {
  it('parses environment secrets into webhook keys and API key digests', async () => {
    const credentials = createCredentials(secrets({
      webhookSecrets: { from: 'env', value: `${SECRET_A} ${SECRET_B}` },
      apiKeys: { from: 'env', value: KEY },
    }));
    expect(await credentials.webhookKeys()).toEqual([parseWebhookSecret(SECRET_A), parseWebhookSecret(SECRET_B)]);
    expect(await credentials.apiKeyDigests()).toEqual([digestApiKey(KEY)]);
  });

  it('reads SSM secrets through the fetcher with the TTL on every use, picking up a rotation', async () => {
    let value = SECRET_A;
    const asked: Array<[string, number]> = [];
    const fetch: ParameterFetcher = async (name, maxAge) => {
      asked.push([name, maxAge]);
      return value;
    };
    const credentials = createCredentials(secrets({ webhookSecrets: { from: 'ssm', name: '/bridge/webhook' }, ttlSeconds: 30 }), fetch);
    expect(await credentials.webhookKeys()).toEqual([parseWebhookSecret(SECRET_A)]);
    value = `${SECRET_B},${SECRET_A}`;
    expect(await credentials.webhookKeys()).toEqual([parseWebhookSecret(SECRET_B), parseWebhookSecret(SECRET_A)]);
    expect(asked).toEqual([['/bridge/webhook', 30], ['/bridge/webhook', 30]]);
  });

  it('names the variable that a route needs but is unset', async () => {
    const credentials = createCredentials(secrets({}));
    await expect(credentials.apiKeyDigests()).rejects.toThrow(ConfigError);
    await expect(credentials.apiKeyDigests()).rejects.toThrow(/^API_KEYS \(or API_KEYS_PARAM\) is not set/);
    await expect(credentials.webhookKeys()).rejects.toThrow(/^WEBHOOK_SECRETS \(or WEBHOOK_SECRETS_PARAM\) is not set/);
  });

  it('says where an unusable secret is and why, never its value', async () => {
    const fetch: ParameterFetcher = async () => 'too-short';
    const ssm = createCredentials(secrets({ apiKeys: { from: 'ssm', name: '/bridge/keys' } }), fetch);
    const error = await ssm.apiKeyDigests().catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('SSM parameter /bridge/keys is not usable: API key #1 has 9 characters; at least 16 are required');
    const empty = createCredentials(secrets({ webhookSecrets: { from: 'env', value: ' , ' } }));
    await expect(empty.webhookKeys()).rejects.toThrow('the WEBHOOK_SECRETS environment variable is not usable: it holds no value');
  });
});
