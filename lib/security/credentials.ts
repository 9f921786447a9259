// The keys requests are checked against, read through the secret sources of the config on each use (the
// SSM fetcher caches them for the TTL) and parsed again only when a rotation changed them.
import { ConfigError } from '../errors.js';
import { parseApiKeys } from './apiKeys.js';
import { describeSource, parsedOnChange, resolveSecret, ssmParameterFetcher, type ParameterFetcher, type SecretSource, type SecretsConfig } from './secrets.js';
import { parseWebhookSecrets } from './standardWebhooks.js';

export interface Credentials {
  /** HMAC keys of the accepted `whsec_` secrets (several while one rotates). */
  webhookKeys(): Promise<Buffer[]>;
  /** SHA-256 digests of the accepted API keys. */
  apiKeyDigests(): Promise<Buffer[]>;
}

const loader = <T>(
  source: SecretSource | undefined,
  variable: string,
  parse: (raw: string) => T[],
  ttlSeconds: number,
  fetch: ParameterFetcher,
): (() => Promise<T[]>) => {
  const parsed = parsedOnChange((raw: string) => {
    try {
      const values = parse(raw);
      if (values.length === 0) throw new Error('it holds no value');
      return values;
    } catch (error) {
      // The parse errors name the problem (a length, a prefix), never the value.
      throw new ConfigError(`${source === undefined ? variable : describeSource(source, variable)} is not usable: ${(error as Error).message}`);
    }
  });
  return async () => {
    if (source === undefined) throw new ConfigError(`${variable} (or ${variable}_PARAM) is not set, and a route's AUTH_* setting needs it`);
    return parsed(await resolveSecret(source, ttlSeconds, fetch));
  };
};

export const createCredentials = (secrets: SecretsConfig, fetch: ParameterFetcher = ssmParameterFetcher): Credentials => ({
  webhookKeys: loader(secrets.webhookSecrets, 'WEBHOOK_SECRETS', parseWebhookSecrets, secrets.ttlSeconds, fetch),
  apiKeyDigests: loader(secrets.apiKeys, 'API_KEYS', parseApiKeys, secrets.ttlSeconds, fetch),
});
