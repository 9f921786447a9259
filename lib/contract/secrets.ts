// Secrets in Flink connector options and database properties never go further than the contract: they are
// replaced as soon as an event is validated, so neither Atlas, nor the retry queue, nor the dead-letter queue,
// nor a log line ever holds them. Pure.

/** What a redacted value becomes: Flink's own placeholder (ConfigurationUtils.hideSensitiveValues). */
export const REDACTED = '******';

/**
 * Parts of an option key that mark its value as a secret, matched on the lower-cased key. Flink's own list
 * (GlobalConfiguration.isSensitive: password, secret, fs.azure.account.key, apikey, token, jaas.config,
 * auth-params, basic-auth, ...) plus the names the connectors use for keys, key stores and credentials.
 */
const SECRET_KEY_PARTS = [
  'password', 'passwd', 'secret', 'token', 'jaas.config', 'apikey', 'api-key', 'api_key',
  'auth-params', 'authparams', 'basic-auth', 'basic.auth', 'user-info', 'user.info', 'userinfo',
  'private-key', 'private.key', 'privatekey', 'access-key', 'access.key', 'accesskey',
  'fs.azure.account.key', 'fs.azure.sas', 'keystore.key', 'keystore.certificate', 'http-headers', 'service-key',
  'credentials.json', 'keyfile',
] as const;

/** True when an option key names a secret (case-insensitive). */
export const isSecretKey = (key: string): boolean => {
  const lower = key.toLowerCase();
  return SECRET_KEY_PARTS.some((part) => lower.includes(part));
};

// `scheme://user:password@host`: the password part of a URL's user info.
const URL_USER_INFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^/:@\s?#]*:)([^@\s/?#]+)@/gi;
// `password=...` / `pwd=...` in a JDBC URL's query or property list (`;` or `&` separated).
const PASSWORD_PARAMETER = /([?&;](?:password|pwd|passwd|secret|token|sastoken|accesskey|secretkey)=)([^&;]*)/gi;

/** A value that is not secret by its key can still carry one: a password in a JDBC or MongoDB URL. */
export const redactValue = (value: string): string =>
  value.replace(URL_USER_INFO, `$1${REDACTED}@`).replace(PASSWORD_PARAMETER, `$1${REDACTED}`);

/** Options with every secret value replaced by `******` (keys are kept: a steward sees that one is set). */
export const redactOptions = (options: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(options).map(([key, value]) => [key, isSecretKey(key) ? REDACTED : redactValue(value)]));
