export { loadConfig, ConfigError } from './loadConfig.js';
export type { BridgeConfig, DeliveryConfig, QueueConfig, SecretsConfig } from './loadConfig.js';
