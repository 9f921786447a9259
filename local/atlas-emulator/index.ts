// An Apache Atlas REST v2 emulator for tests and local runs: a real HTTP server on 127.0.0.1 that loads Atlas's
// shipped typedefs and behaves like Atlas where the project depends on it (see /work/shared/reference/atlas.md).

import type { AddressInfo } from 'node:net';
import type { AtlasEntity } from '../../lib/atlas/model.js';
import { AtlasBackend } from './backend.js';
import { createAtlasHttpServer, type AtlasFault, type AtlasRequestInfo, type AtlasStats, type FaultDecider } from './http.js';
import { loadModelsDir, loadTypedefFile } from './modelLoader.js';
import { atlasRoutes } from './routes.js';

export type { AtlasFault, AtlasRequestInfo } from './http.js';

export interface AtlasEmulatorOptions {
  /** Default 0 (a free port); the host is always 127.0.0.1. */
  port?: number;
  /** Basic auth user → password; default { admin: 'admin' }. */
  users?: Record<string, string>;
  /** Typedef JSON files loaded after the shipped models (the project's own typedefs are not preloaded otherwise). */
  extraTypedefFiles?: string[];
  /** Adds `Server-Timing: emulator;dur=<ms>` to every answer: the emulator's own time, which the bench subtracts. */
  serverTiming?: boolean;
}

export interface AtlasEmulator {
  /** 'http://127.0.0.1:<port>'; the API is under /api/atlas/... */
  readonly url: string;
  readonly port: number;
  /** Counts /api/atlas/v2 calls that reached the store (not faulted ones); byRoute keys look like 'POST /v2/entity/bulk'. */
  readonly stats: { reads: number; writes: number; requests: number; byRoute: Record<string, number> };
  resetStats(): void;
  /** Fault injection, decided per request; undefined turns it off. */
  setFault(fn: ((req: AtlasRequestInfo) => AtlasFault | undefined) | undefined): void;
  /** Snapshot (deep copy) of every stored entity, ACTIVE and DELETED, in the same JSON form as GET /v2/entity/guid/{guid}'s `entity`. */
  entities(): AtlasEntity[];
  /** Clear all entities, keep typedefs. */
  resetEntities(): void;
  close(): Promise<void>;
}

export async function startAtlasEmulator(options: AtlasEmulatorOptions = {}): Promise<AtlasEmulator> {
  const backend = new AtlasBackend();
  loadModelsDir(backend.registry);
  for (const file of options.extraTypedefFiles ?? []) {
    loadTypedefFile(backend.registry, file);
  }

  const stats: AtlasStats = { reads: 0, writes: 0, requests: 0, byRoute: {} };
  let faultDecider: FaultDecider | undefined;
  const { server, cancelHangs } = createAtlasHttpServer({
    routes: atlasRoutes(backend),
    users: options.users ?? { admin: 'admin' },
    stats,
    faultDecider: () => faultDecider,
    serverTiming: options.serverTiming ?? false,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    resetStats() {
      stats.reads = 0;
      stats.writes = 0;
      stats.requests = 0;
      for (const key of Object.keys(stats.byRoute)) delete stats.byRoute[key];
    },
    setFault(fn) {
      faultDecider = fn;
    },
    entities: () => backend.allEntities(),
    resetEntities: () => backend.resetEntities(),
    close() {
      cancelHangs();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
