// The one Atlas REST v2 client (axios). Every call Atlas answers with an error becomes an AtlasError.
import http from 'node:http';
import https from 'node:https';
import axios, { isAxiosError, type AxiosInstance } from 'axios';
import { AtlasError, atlasErrorFromNetwork, atlasErrorFromResponse } from './errors.js';
import type {
  AtlasBaseTypeDef, AtlasEntitiesWithExtInfo, AtlasEntity, AtlasEntityWithExtInfo, AtlasLineageInfo, AtlasSearchResult, AtlasTypesDef,
  EntityAuditEventV2, EntityMutationResponse,
} from './model.js';
import type { AtlasPort, AtlasRelationshipRequest } from './port.js';

export interface AtlasClientOptions {
  /** e.g. http://atlas:21000 (the client adds /api/atlas). */
  baseUrl: string;
  user: string;
  password: string;
  /** Per-request timeout; a hung Atlas must not eat the Lambda's whole budget. */
  timeoutMs: number;
}

// A non-browser User-Agent: Atlas applies CSRF checks and login redirects to Mozilla/Chrome agents.
export const USER_AGENT = 'flink-atlas-bridge/0.1 (node)';

const API = '/api/atlas';

interface CallConfig {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Under /api/atlas; may carry its own query string. */
  url: string;
  params?: Record<string, string | number | boolean>;
  /** Sent as JSON. */
  data?: unknown;
  /** false: no credentials (the health check). */
  auth?: false;
}

interface CallResponse {
  status: number;
  headers: Record<string, unknown>;
  /** The body parsed as JSON, or the text when it is not JSON ('' when empty). */
  data: unknown;
}

/** A call that got no answer: the network error code (ECONNRESET, ECONNREFUSED...), ETIMEDOUT for our own timeout. */
class NoAnswer extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const parseBody = (text: string): unknown => {
  if (text === '') return '';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

/** The query string of the bulk read by qualifiedName (getEntitiesByQualifiedNames): no relationships, minimal extra info. */
export const bulkReadQuery = (qualifiedNames: readonly string[]): string => {
  const params = new URLSearchParams({ minExtInfo: 'true', ignoreRelationships: 'true' });
  qualifiedNames.forEach((name, i) => params.append(`attr_${i}:qualifiedName`, name));
  return params.toString();
};

export class AtlasClient implements AtlasPort {
  readonly #http: AxiosInstance;
  readonly #authorization: string;

  constructor(options: AtlasClientOptions) {
    this.#authorization = `Basic ${Buffer.from(`${options.user}:${options.password}`, 'utf8').toString('base64')}`;
    this.#http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, '') + API,
      timeout: options.timeoutMs,
      headers: { 'User-Agent': USER_AGENT, Accept: 'application/json' },
      // Keep-alive: a warm Lambda reuses its connection to Atlas across invocations.
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: 16 }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 16 }),
      // No redirect is followed, and the http adapter is the one used: the bundles leave out follow-redirects and
      // axios's fetch adapter (serverless.yml custom.esbuild, build/axiosStandIns.cjs).
      maxRedirects: 0,
      adapter: 'http',
      // Every status comes back to #call, which classifies it; bodies are read as text and parsed there.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (data: unknown) => data,
      transitional: { clarifyTimeoutError: true },
    });
  }

  /** One HTTP exchange; every status comes back (no redirect is followed), and only a missing answer throws. */
  async #send(config: CallConfig): Promise<CallResponse> {
    try {
      const response = await this.#http.request<string>({
        method: config.method,
        url: config.url,
        ...(config.params === undefined ? {} : { params: config.params }),
        ...(config.data === undefined ? {} : { data: config.data }),
        headers: config.auth === false ? {} : { Authorization: this.#authorization },
      });
      return { status: response.status, headers: response.headers as Record<string, unknown>, data: parseBody(response.data ?? '') };
    } catch (error) {
      throw new NoAnswer((error as Error).message, isAxiosError(error) ? error.code : undefined, { cause: error });
    }
  }

  async #call<T>(operation: string, config: CallConfig): Promise<T> {
    let response: CallResponse;
    try {
      response = await this.#send(config);
    } catch (error) {
      throw atlasErrorFromNetwork(operation, error instanceof NoAnswer ? error.code : undefined, error instanceof NoAnswer ? error.cause : error);
    }
    if (response.status >= 200 && response.status < 300) return response.data as T;
    throw atlasErrorFromResponse(operation, response.status, response.data, response.headers as Record<string, unknown>);
  }

  /** Unauthenticated health check (GET /admin/status): "ACTIVE" when Atlas serves requests. */
  async status(): Promise<string> {
    const body = await this.#call<{ Status?: string }>('status', { method: 'GET', url: '/admin/status', auth: false });
    return body.Status ?? 'UNKNOWN';
  }

  /**
   * One read for many entities: GET /v2/entity/bulk/uniqueAttribute/type/{typeName} matches subtypes and
   * silently skips names Atlas does not hold; `Referenceable` reads any type, one entity per name (qualifiedName
   * is unique per type: GraphBackedSearchIndexer, PER_TYPE_UNIQUE). Relationships are left out: a dataset
   * read by a thousand jobs would otherwise bring them all, and with them Atlas maps an entity already
   * met as a relationship target in its minimal form only (EntityGraphRetriever.mapVertexToAtlasEntity).
   */
  async getEntitiesByQualifiedNames(qualifiedNames: readonly string[], typeName: string): Promise<AtlasEntity[]> {
    if (qualifiedNames.length === 0) return [];
    const body = await this.#call<Partial<AtlasEntitiesWithExtInfo>>('read', {
      method: 'GET',
      url: `/v2/entity/bulk/uniqueAttribute/type/${encodeURIComponent(typeName)}?${bulkReadQuery(qualifiedNames)}`,
    });
    return body.entities ?? [];
  }

  async getEntityByQualifiedName(typeName: string, qualifiedName: string): Promise<AtlasEntityWithExtInfo | undefined> {
    try {
      return await this.#call<AtlasEntityWithExtInfo>('read', {
        method: 'GET',
        url: `/v2/entity/uniqueAttribute/type/${encodeURIComponent(typeName)}`,
        params: { 'attr:qualifiedName': qualifiedName },
      });
    } catch (error) {
      if (error instanceof AtlasError && error.details.atlasCode === 'ATLAS-404-00-009') return undefined;
      throw error;
    }
  }

  /**
   * POST /v2/relationship. Atlas refuses a second ACTIVE relationship of the type between the same ends
   * (409 ATLAS-409-00-004, AtlasRelationshipStoreV2.createRelationship): it is there already, which is what was asked.
   */
  async createRelationship(relationship: AtlasRelationshipRequest): Promise<void> {
    try {
      await this.#call<unknown>('relationship create', { method: 'POST', url: '/v2/relationship', data: relationship });
    } catch (error) {
      if (error instanceof AtlasError && error.details.status === 409) return;
      throw error;
    }
  }

  /** POST /v2/entity/bulk: create-or-update in one Atlas transaction. */
  bulkWrite(request: AtlasEntitiesWithExtInfo): Promise<EntityMutationResponse> {
    return this.#call<EntityMutationResponse>('bulk write', { method: 'POST', url: '/v2/entity/bulk', data: request });
  }

  /**
   * DELETE /v2/entity/uniqueAttribute/type/{type}?attr:qualifiedName=…: Atlas's soft delete (status DELETED, kept
   * with its history and audit; what the entity owns through COMPOSITION goes with it). An entity Atlas no longer
   * holds as ACTIVE (404 ATLAS-404-00-009) is already deleted: the call is idempotent.
   */
  async deleteByQualifiedName(typeName: string, qualifiedName: string): Promise<EntityMutationResponse> {
    try {
      return await this.#call<EntityMutationResponse>('delete', {
        method: 'DELETE',
        url: `/v2/entity/uniqueAttribute/type/${encodeURIComponent(typeName)}`,
        params: { 'attr:qualifiedName': qualifiedName },
      });
    } catch (error) {
      if (error instanceof AtlasError && error.details.atlasCode === 'ATLAS-404-00-009') return {};
      throw error;
    }
  }

  /** GET /v2/entity/{guid}/audit: the entity's audit events, newest first (EntityAuditEventV2). */
  getAuditEvents(guid: string, count = 100): Promise<EntityAuditEventV2[]> {
    return this.#call<EntityAuditEventV2[]>('audit read', {
      method: 'GET',
      url: `/v2/entity/${encodeURIComponent(guid)}/audit`,
      params: { count },
    });
  }

  lineage(typeName: string, qualifiedName: string, direction: 'INPUT' | 'OUTPUT' | 'BOTH' = 'BOTH', depth = 3): Promise<AtlasLineageInfo> {
    return this.#call<AtlasLineageInfo>('lineage', {
      method: 'GET',
      url: `/v2/lineage/uniqueAttribute/type/${encodeURIComponent(typeName)}`,
      params: { 'attr:qualifiedName': qualifiedName, direction, depth },
    });
  }

  /** GET /v2/search/basic: active entities of a type (and its subtypes), as headers, a page at a time. */
  searchBasic(typeName: string, options: { limit?: number; offset?: number } = {}): Promise<AtlasSearchResult> {
    return this.#call<AtlasSearchResult>('search', {
      method: 'GET',
      url: '/v2/search/basic',
      params: { typeName, limit: options.limit ?? 100, offset: options.offset ?? 0, excludeDeletedEntities: true },
    });
  }

  getTypedefs(params: Record<string, string> = {}): Promise<AtlasTypesDef> {
    return this.#call<AtlasTypesDef>('typedef read', { method: 'GET', url: '/v2/types/typedefs', params });
  }

  /** GET /v2/types/typedef/name/{name}; undefined when Atlas has no such type (404 ATLAS-404-00-001). */
  async getTypedefByName(name: string): Promise<(AtlasBaseTypeDef & Record<string, unknown>) | undefined> {
    try {
      return await this.#call<AtlasBaseTypeDef & Record<string, unknown>>('typedef read', {
        method: 'GET',
        url: `/v2/types/typedef/name/${encodeURIComponent(name)}`,
      });
    } catch (error) {
      if (error instanceof AtlasError && error.details.atlasCode === 'ATLAS-404-00-001') return undefined;
      throw error;
    }
  }

  createTypedefs(defs: AtlasTypesDef): Promise<AtlasTypesDef> {
    return this.#call<AtlasTypesDef>('typedef create', { method: 'POST', url: '/v2/types/typedefs', data: defs });
  }

  updateTypedefs(defs: AtlasTypesDef): Promise<AtlasTypesDef> {
    return this.#call<AtlasTypesDef>('typedef update', { method: 'PUT', url: '/v2/types/typedefs', data: defs });
  }
}
