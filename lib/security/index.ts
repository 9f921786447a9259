export { AUTH_MODES, AUTH_VARIABLES, HTTP_ROUTES, describePolicy, parseAuthPolicy } from './authPolicy.js';
export type { AuthMode, AuthPolicy, HttpRoute } from './authPolicy.js';
export { checkBearer, digestApiKey, parseApiKeys, ApiKeyConfigError } from './apiKeys.js';
export {
  WEBHOOK_TOLERANCE_SECONDS, WebhookSecretError, checkWebhookHeaders, parseWebhookSecret, parseWebhookSecrets, signWebhook,
  verifyWebhookSignature,
} from './standardWebhooks.js';
export type { WebhookHeaders } from './standardWebhooks.js';
export type { AuthFailureReason, AuthVerdict } from './verdicts.js';
export { checkRequestHeaders, verifySignedBody } from './authenticate.js';
export type { HeaderCheck } from './authenticate.js';
export { createCredentials } from './credentials.js';
export type { Credentials } from './credentials.js';
export { SecretError, describeSource, parsedOnChange, resolveSecret, ssmParameterFetcher } from './secrets.js';
export type { ParameterFetcher, SecretSource } from './secrets.js';
export { ReplayCache, bodyDigest } from './replayCache.js';
export { routeAuthPolicy } from './routeAuth.js';
