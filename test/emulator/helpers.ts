// Shared setup for the emulator tests: an emulator on a free port and an axios client that never throws on status.

import { readFileSync } from 'node:fs';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { AtlasEntity, AtlasTypesDef, EntityMutationResponse } from '../../lib/atlas/model.js';
import { startAtlasEmulator, type AtlasEmulator, type AtlasEmulatorOptions } from '../../local/atlas-emulator/index.js';

export const BRIDGE_TYPEDEFS_FILE = new URL('../../lib/atlas/typedefs/flink-bridge-model.json', import.meta.url);

export function bridgeTypedefs(): AtlasTypesDef {
  return JSON.parse(readFileSync(BRIDGE_TYPEDEFS_FILE, 'utf8')) as AtlasTypesDef;
}

export interface TestAtlas {
  emulator: AtlasEmulator;
  /** Authenticated as admin/admin, base URL .../api/atlas, any status resolves. */
  http: AxiosInstance;
  close(): Promise<void>;
}

export async function startTestAtlas(options: AtlasEmulatorOptions = {}): Promise<TestAtlas> {
  const emulator = await startAtlasEmulator({ port: 0, ...options });
  const http = atlasClient(emulator.url, { username: 'admin', password: 'admin' });
  return { emulator, http, close: () => emulator.close() };
}

export function atlasClient(url: string, auth?: { username: string; password: string }): AxiosInstance {
  return axios.create({
    baseURL: `${url}/api/atlas`,
    ...(auth ? { auth } : {}),
    validateStatus: () => true,
    // Keep the raw text so tests can check non-JSON bodies too; `json()` parses.
    transformResponse: (data: unknown) => data,
    responseType: 'text',
  });
}

export function json<T = Record<string, unknown>>(response: AxiosResponse): T {
  return JSON.parse(String(response.data)) as T;
}

export async function registerBridgeTypes(http: AxiosInstance): Promise<void> {
  const response = await http.post('/v2/types/typedefs', bridgeTypedefs());
  if (response.status !== 200) throw new Error(`typedef registration failed: ${response.status} ${String(response.data)}`);
}

export async function postBulk(http: AxiosInstance, entities: AtlasEntity[], referredEntities?: Record<string, AtlasEntity>) {
  const response = await http.post('/v2/entity/bulk', { entities, ...(referredEntities ? { referredEntities } : {}) });
  return { status: response.status, body: json<EntityMutationResponse & { errorCode?: string; errorMessage?: string }>(response) };
}

export async function getByQualifiedName(http: AxiosInstance, typeName: string, qualifiedName: string, query = '') {
  const response = await http.get(
    `/v2/entity/uniqueAttribute/type/${typeName}?attr:qualifiedName=${encodeURIComponent(qualifiedName)}${query}`,
  );
  return { status: response.status, body: json<{ entity: AtlasEntity; referredEntities: Record<string, AtlasEntity>; errorCode?: string }>(response) };
}

// ---- sample entities ----

export function kafkaTopic(name: string, guid?: string, extra: Record<string, unknown> = {}): AtlasEntity {
  return {
    typeName: 'kafka_topic',
    ...(guid ? { guid } : {}),
    attributes: { qualifiedName: `${name}@prod`, name, topic: name, uri: 'broker:9092', ...extra },
  };
}

export function hiveTable(qualifiedName: string, guid?: string, extra: Record<string, unknown> = {}): AtlasEntity {
  return {
    typeName: 'hive_table',
    ...(guid ? { guid } : {}),
    attributes: { qualifiedName, name: qualifiedName.split('@')[0] ?? qualifiedName, ...extra },
  };
}

export function flinkJob(name: string, guid: string, extra: Record<string, unknown> = {}): AtlasEntity {
  return { typeName: 'flink_job', guid, attributes: { qualifiedName: `${name}@cluster1`, name, cluster: 'cluster1', ...extra } };
}

export function flinkJobRun(jobId: string, guid: string, job: Record<string, unknown>, extra: Record<string, unknown> = {}): AtlasEntity {
  return {
    typeName: 'flink_job_run',
    guid,
    attributes: { qualifiedName: `${jobId}@cluster1`, name: jobId, jobId, ...extra },
    relationshipAttributes: { job },
  };
}
