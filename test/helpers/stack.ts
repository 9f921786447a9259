// The pieces contract and handler tests share: an Atlas emulator with the bridge's types registered, a
// client on it, and the environment the functions read.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { AtlasClient, registerTypes } from '../../lib/atlas/index.js';
import { resetRuntime } from '../../lib/runtime/index.js';
import { startAtlasEmulator, type AtlasEmulator } from '../../local/atlas-emulator/index.js';

export interface TestAtlas {
  emulator: AtlasEmulator;
  client: AtlasClient;
}

export const startTestAtlas = async (options: { register?: boolean; timeoutMs?: number } = {}): Promise<TestAtlas> => {
  const emulator = await startAtlasEmulator();
  const client = new AtlasClient({ baseUrl: emulator.url, user: 'admin', password: 'admin', timeoutMs: options.timeoutMs ?? 5000 });
  if (options.register ?? true) await registerTypes(client);
  return { emulator, client };
};

const BRIDGE_ENV_KEYS = [
  'ATLAS_URL', 'ATLAS_USER', 'ATLAS_PASSWORD', 'ATLAS_TIMEOUT_MS', 'ATLAS_NAMESPACE', 'ATLAS_NAMESPACE_MAP', 'MAX_BODY_BYTES',
  'RETRY_QUEUE_URL', 'DEAD_LETTER_QUEUE_URL', 'MAX_RECEIVE_COUNT', 'CONFIRM_DELAY_SECONDS', 'AWS_ENDPOINT_URL_SQS',
  'BACKOFF_BASE_SECONDS', 'BACKOFF_MAX_SECONDS', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION',
  'ATLAS_PASSWORD_PARAM', 'AUTH_FLINK_EVENTS', 'AUTH_OPENLINEAGE', 'AUTH_FLINK_JOBS', 'WEBHOOK_SECRETS', 'WEBHOOK_SECRETS_PARAM',
  'API_KEYS', 'API_KEYS_PARAM', 'SECRETS_TTL_SECONDS',
] as const;

/** Tests that are not about credentials post unsigned: every route explicitly open, as on the local stack. */
const NO_AUTH = { AUTH_FLINK_EVENTS: 'none', AUTH_OPENLINEAGE: 'none', AUTH_FLINK_JOBS: 'none' };

/** Points the functions at a test Atlas (and optionally queues); returns a function that undoes it. */
export const useBridgeEnv = (atlasUrl: string, extra: Partial<Record<(typeof BRIDGE_ENV_KEYS)[number], string>> = {}): (() => void) => {
  const saved = Object.fromEntries(BRIDGE_ENV_KEYS.map((k) => [k, process.env[k]]));
  Object.assign(process.env, { ATLAS_URL: atlasUrl, ATLAS_USER: 'admin', ATLAS_PASSWORD: 'admin', ATLAS_TIMEOUT_MS: '2000', ...NO_AUTH, ...extra });
  resetRuntime();
  return () => {
    for (const key of BRIDGE_ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    resetRuntime();
  };
};

export interface UsedTestAtlas extends TestAtlas {
  /**
   * Replaces, for the rest of the current test, the environment the file set with a fresh one (the file's `env`
   * no longer applies): for tests about a configuration, e.g. secrets missing.
   */
  replaceEnv(extra: Parameters<typeof useBridgeEnv>[1]): void;
}

/**
 * The usual setup of a test file that talks to Atlas: one emulator for the file (types registered), emptied
 * before each test, and, unless `env` is false, the functions' environment pointed at it for each test.
 * The returned object reads the live emulator and client, so `atlas.emulator` works inside tests.
 */
export const useTestAtlas = (options: { env?: Record<string, string> | false } = {}): UsedTestAtlas => {
  let current: TestAtlas | undefined;
  let restoreEnv: (() => void) | undefined;
  beforeAll(async () => {
    current = await startTestAtlas();
  });
  afterAll(() => current?.emulator.close());
  beforeEach(() => {
    current!.emulator.resetEntities();
    current!.emulator.resetStats();
    current!.emulator.setFault(undefined);
    if (options.env !== false) restoreEnv = useBridgeEnv(current!.emulator.url, options.env ?? {});
  });
  afterEach(() => restoreEnv?.());
  return {
    get emulator() {
      return current!.emulator;
    },
    get client() {
      return current!.client;
    },
    replaceEnv(extra) {
      restoreEnv?.();
      restoreEnv = useBridgeEnv(current!.emulator.url, extra);
    },
  };
};
