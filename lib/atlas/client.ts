// The one Atlas REST v2 client. Every call Atlas answers with an error becomes an AtlasError.
// Plain node:http(s) with a keep-alive agent: the client needs nothing more, and an HTTP library (axios and
// what it brings: form-data, mime-db, proxy agents, follow-redirects) was two thirds of every function's bundle.
import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { AtlasError, atlasErrorFromNetwork, atlasErrorFromResponse } from './errors.js';
import type {
  AtlasBaseTypeDef, AtlasEntitiesWithExtInfo, AtlasEntity, AtlasEntityWithExtInfo, AtlasLineageInfo, AtlasSearchResult, AtlasTypesDef,
  EntityAuditEventV2, EntityMutationResponse,
} from './model.js';

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
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON, or the text when it is not JSON ('' when empty). */
  data: unknown;
}

/** A call that got no answer: the Node error code (ECONNRESET, ECONNREFUSED...), ETIMEDOUT for our own timeout. */
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

export class AtlasClient {
  readonly #url: URL;
  readonly #basePath: string;
  readonly #authorization: string;
  readonly #timeoutMs: number;
  readonly #agent: http.Agent;
  readonly #request: typeof http.request;

  constructor(options: AtlasClientOptions) {
    this.#url = new URL(options.baseUrl);
    this.#basePath = this.#url.pathname.replace(/\/+$/, '') + API;
    this.#authorization = `Basic ${Buffer.from(`${options.user}:${options.password}`, 'utf8').toString('base64')}`;
    this.#timeoutMs = options.timeoutMs;
    const secure = this.#url.protocol === 'https:';
    // Keep-alive: a warm Lambda reuses its connection to Atlas across invocations.
    this.#agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 16 }) : new http.Agent({ keepAlive: true, maxSockets: 16 });
    this.#request = secure ? https.request : http.request;
  }

  /** One HTTP exchange; every status comes back (no redirect is followed), and only a missing answer throws. */
  #send(config: CallConfig): Promise<CallResponse> {
    const query = config.params === undefined
      ? ''
      : new URLSearchParams(Object.entries(config.params).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const path = `${this.#basePath}${config.url}${query === '' ? '' : `${config.url.includes('?') ? '&' : '?'}${query}`}`;
    const body = config.data === undefined ? undefined : Buffer.from(JSON.stringify(config.data), 'utf8');
    const headers: OutgoingHttpHeaders = { 'User-Agent': USER_AGENT, Accept: 'application/json' };
    if (config.auth !== false) headers.Authorization = this.#authorization;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = body.length;
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: Error & { code?: string }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new NoAnswer(error.message, error.code, { cause: error }));
      };
      const request = this.#request(
        {
          protocol: this.#url.protocol,
          hostname: this.#url.hostname,
          port: this.#url.port,
          path,
          method: config.method,
          headers,
          agent: this.#agent,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', fail);
          response.on('aborted', () => fail(Object.assign(new Error('the answer was cut off'), { code: 'ECONNRESET' })));
          response.on('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({ status: response.statusCode ?? 0, headers: response.headers, data: parseBody(Buffer.concat(chunks).toString('utf8')) });
          });
        },
      );
      // The whole exchange, not just socket inactivity: a slow trickle must not eat the Lambda's budget either.
      const timer = setTimeout(() => {
        const error = Object.assign(new Error(`timeout of ${this.#timeoutMs}ms exceeded`), { code: 'ETIMEDOUT' });
        fail(error);
        request.destroy(error);
      }, this.#timeoutMs);
      request.on('error', fail);
      request.end(body);
    });
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
   * One read for many entities of any type: GET /v2/entity/bulk/uniqueAttribute/type/Referenceable
   * matches subtypes and silently skips names Atlas does not hold. Relationships are left out: a dataset
   * read by a thousand jobs would otherwise bring them all, and with them Atlas maps an entity already
   * met as a relationship target in its minimal form only (EntityGraphRetriever.mapVertexToAtlasEntity).
   */
  async getEntitiesByQualifiedNames(qualifiedNames: readonly string[]): Promise<AtlasEntity[]> {
    if (qualifiedNames.length === 0) return [];
    const params = new URLSearchParams({ minExtInfo: 'true', ignoreRelationships: 'true' });
    qualifiedNames.forEach((name, i) => params.append(`attr_${i}:qualifiedName`, name));
    const body = await this.#call<Partial<AtlasEntitiesWithExtInfo>>('read', {
      method: 'GET',
      url: `/v2/entity/bulk/uniqueAttribute/type/Referenceable?${params.toString()}`,
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
