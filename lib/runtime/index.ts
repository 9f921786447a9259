// The long-lived parts of a warm Lambda container, built once on first use: config and the Atlas client
// (whose keep-alive connection then serves every later invocation).
import { AtlasClient } from '../atlas/index.js';
import { loadConfig, type BridgeConfig } from '../config/index.js';

export interface Runtime {
  config: BridgeConfig;
  atlas: AtlasClient;
}

let runtime: Runtime | undefined;

export const getRuntime = (): Runtime => {
  if (runtime === undefined) {
    const config = loadConfig();
    runtime = { config, atlas: new AtlasClient(config.atlas) };
  }
  return runtime;
};

/** Tests and the local runner change the environment between cases. */
export const resetRuntime = (): void => {
  runtime = undefined;
};
