import { ConfigError } from '../errors.js';
import { AUTH_VARIABLES, type AuthPolicy, type HttpRoute } from './authPolicy.js';
import type { SecretsConfig } from './secrets.js';

/** The part of the bridge's config a route's policy is read from (lib/config's BridgeConfig has it). */
export interface RouteAuthConfig {
  auth: Partial<Record<HttpRoute, AuthPolicy>>;
  secrets: Pick<SecretsConfig, 'webhookSecrets' | 'apiKeys'>;
}

/**
 * The policy of a route, or a ConfigError that names what to set: a route with no AUTH_* setting, or whose
 * modes need secrets that are not configured, serves nothing (every request 500, the reason logged).
 */
export const routeAuthPolicy = (config: RouteAuthConfig, route: HttpRoute): AuthPolicy => {
  const variable = AUTH_VARIABLES[route];
  const policy = config.auth[route];
  if (policy === undefined) {
    throw new ConfigError(
      `${variable} is not set: set it to signature, api-key or signature,api-key (with WEBHOOK_SECRETS_PARAM / API_KEYS_PARAM), or to none for a local run`,
    );
  }
  if (policy.kind === 'required' && policy.modes.includes('signature') && config.secrets.webhookSecrets === undefined) {
    throw new ConfigError(`${variable} takes signed webhooks but neither WEBHOOK_SECRETS_PARAM nor WEBHOOK_SECRETS is set`);
  }
  if (policy.kind === 'required' && policy.modes.includes('api-key') && config.secrets.apiKeys === undefined) {
    throw new ConfigError(`${variable} takes API keys but neither API_KEYS_PARAM nor API_KEYS is set`);
  }
  return policy;
};
