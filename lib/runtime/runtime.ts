// The long-lived parts of a warm Lambda container, built once on first use: config, the Atlas client
// (whose keep-alive connection then serves every later invocation), the retry queue, and the credentials
// requests are checked against (config, queue and credentials are ./base.ts, which redrive uses alone).
// Secrets are read at first use and again after their TTL (SSM through Powertools Parameters,
// lib/security/secrets.ts): `await loadRuntime()` resolves them; the Atlas client is rebuilt only when the
// Atlas password it was built with has rotated.
import { AtlasClient } from '../atlas/index.js';
import { ConfigError, type BridgeConfig } from '../config/index.js';
import type { IngestDeps } from '../ingest/index.js';
import type { RetryQueue } from '../queue/index.js';
import { resolveSecret, type Credentials } from '../security/index.js';
import { instrumentAtlas } from '../telemetry/instruments.js';
import { getBaseRuntime, resetBaseRuntime, type BaseRuntime } from './base.js';


export interface Runtime {
  config: BridgeConfig;
  atlas: AtlasClient;
  queue?: RetryQueue;
  /** What every ingest path needs, ready to pass on (its Atlas calls are timed for the metrics). */
  ingestDeps: IngestDeps;
  /** Webhook keys and API key digests, read through their TTL cache on each call. */
  credentials: Credentials;
}

let built: { password: string; runtime: Runtime } | undefined;

const withPassword = (b: BaseRuntime, password: string): Runtime => {
  if (built === undefined || built.password !== password) {
    const { config, queue } = b;
    const atlas = new AtlasClient({ ...config.atlas, password });
    built = {
      password,
      runtime: {
        config,
        atlas,
        ...(queue === undefined ? {} : { queue }),
        credentials: b.credentials,
        ingestDeps: {
          atlas: instrumentAtlas(atlas),
          naming: config.naming,
          ...(queue === undefined ? {} : { queue, confirmDelaySeconds: config.queue?.confirmDelaySeconds ?? 0 }),
          ...(config.delivery.mode === 'fleet'
            ? { fleet: { checkpointIntervalMs: config.delivery.checkpointIntervalSeconds * 1000, maxConcurrency: config.delivery.maxConcurrency } }
            : {}),
        },
      },
    };
  }
  return built.runtime;
};

/** The runtime with every secret it needs resolved (from the TTL cache when fresh). */
export const loadRuntime = async (): Promise<Runtime> => {
  const b = getBaseRuntime();
  return withPassword(b, await resolveSecret(b.config.secrets.atlasPassword, b.config.secrets.ttlSeconds));
};

/**
 * The runtime, synchronously: for an Atlas password given in the environment, or once loadRuntime() has
 * resolved it. With ATLAS_PASSWORD_PARAM and nothing loaded yet, the Atlas parts throw a ConfigError when
 * touched; config and queue (all redrive needs) are there.
 */
export const getRuntime = (): Runtime => {
  const b = getBaseRuntime();
  const source = b.config.secrets.atlasPassword;
  if (source.from === 'env') return withPassword(b, source.value);
  if (built !== undefined) return built.runtime;
  const notLoaded = (): never => {
    throw new ConfigError('the Atlas password comes from ATLAS_PASSWORD_PARAM: call await loadRuntime() before using Atlas');
  };
  return {
    config: b.config,
    ...(b.queue === undefined ? {} : { queue: b.queue }),
    credentials: b.credentials,
    get atlas() {
      return notLoaded();
    },
    get ingestDeps() {
      return notLoaded();
    },
  };
};

/** Tests and the local runner change the environment between cases. */
export const resetRuntime = (): void => {
  resetBaseRuntime();
  built = undefined;
};
