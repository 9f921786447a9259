// Secrets (the Atlas password, webhook signing secrets, API keys) come from SSM Parameter Store through
// Powertools Parameters, cached for a TTL, or from plain environment variables for local runs. A Secrets
// Manager secret is read through SSM's own pass-through name, `/aws/reference/secretsmanager/<secret-id>`,
// so one client and one code path serve both stores. Nothing here logs a value or puts one in an error.
import { SecretError } from '../errors.js';

/** Where a secret comes from: a plain environment value (local runs), or an SSM parameter name. */
export type SecretSource = { from: 'env'; value: string } | { from: 'ssm'; name: string };

/** Secrets are named here, never held for long: lib/runtime resolves them (SSM through Powertools, TTL-cached). */
export interface SecretsConfig {
  atlasPassword: SecretSource;
  webhookSecrets?: SecretSource;
  apiKeys?: SecretSource;
  /** How long a value read from SSM is used before it is read again (rotation is picked up within this). */
  ttlSeconds: number;
}

/** Fetches a parameter's decrypted value, cached by the fetcher for at most `maxAgeSeconds`. */
export type ParameterFetcher = (name: string, maxAgeSeconds: number) => Promise<string>;

export { SecretError };

/** Powertools Parameters' SSM provider: GetParameter WithDecryption, cached in the container for maxAge. */
export const ssmParameterFetcher: ParameterFetcher = async (name, maxAgeSeconds) => {
  // Loaded on first use only: local runs with plain environment values never build an SSM client.
  const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
  let value: unknown;
  try {
    value = await getParameter(name, { decrypt: true, maxAge: maxAgeSeconds });
  } catch (error) {
    // The SDK's messages name the parameter and the caller's role, never the value.
    throw new SecretError(`could not read SSM parameter ${name}: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
  }
  if (typeof value !== 'string' || value.trim() === '') throw new SecretError(`SSM parameter ${name} is missing or empty`);
  return value;
};

export const resolveSecret = (source: SecretSource, maxAgeSeconds: number, fetch: ParameterFetcher = ssmParameterFetcher): Promise<string> =>
  source.from === 'env' ? Promise.resolve(source.value) : fetch(source.name, maxAgeSeconds);

/** Where a source can be found, for messages: the parameter's name or the variable's, never the value. */
export const describeSource = (source: SecretSource, variable: string): string =>
  source.from === 'ssm' ? `SSM parameter ${source.name}` : `the ${variable} environment variable`;

/**
 * A parsed view of a secret (keys, digests) recomputed only when the raw value changes, i.e. after a rotation
 * the TTL cache has picked up.
 */
export const parsedOnChange = <T>(parse: (raw: string) => T): ((raw: string) => T) => {
  let last: { raw: string; parsed: T } | undefined;
  return (raw) => {
    if (last === undefined || last.raw !== raw) last = { raw, parsed: parse(raw) };
    return last.parsed;
  };
};
