// The REST routes under /api/atlas (EntityREST, TypesREST, LineageREST, DiscoveryREST, AdminResource),
// translated from HTTP parameters to backend calls.

import type { AtlasTypesDef } from '../../lib/atlas/model.js';
import type { AtlasBackend, UniqueAttributes } from './backend.js';
import type { RenderOptions } from './entityStore.js';
import type { MutationInput } from './entityMutation.js';
import { AtlasError, MalformedJsonError } from './errors.js';
import type { LineageDirection } from './lineage.js';
import type { TypeCategory, TypeDefFilter } from './typeRegistry.js';

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body, undefined when there was none. */
  body: unknown;
  user: string;
}

export interface Route {
  method: string;
  /** Path below /api/atlas with `{name}` placeholders; also the key in stats.byRoute. */
  pattern: string;
  handle(request: RouteRequest): unknown;
}

/** Thrown for parameters JAX-RS cannot convert (answered with a plain 404, like an unmatched resource). */
export class UnmatchedRouteError extends Error {}

export function atlasRoutes(backend: AtlasBackend): Route[] {
  return [
    ...adminRoutes(),
    ...typeRoutes(backend),
    ...entityRoutes(backend),
    ...lineageRoutes(backend),
    { method: 'POST', pattern: '/v2/relationship', handle: ({ body, user }) => backend.createRelationship(body, user) },
    {
      method: 'GET',
      pattern: '/v2/search/basic',
      handle: ({ query }) =>
        backend.basicSearch(query.get('typeName') ?? '', intParam(query, 'limit', 100), intParam(query, 'offset', 0)),
    },
  ];
}

function adminRoutes(): Route[] {
  return [{ method: 'GET', pattern: '/admin/version', handle: () => ({ Version: '2.4.0', Name: 'apache-atlas', Description: 'Atlas REST v2 emulator' }) }];
}

const TYPED_DEF_PATHS: [string, TypeCategory][] = [
  ['entitydef', 'ENTITY'],
  ['relationshipdef', 'RELATIONSHIP'],
  ['enumdef', 'ENUM'],
  ['structdef', 'STRUCT'],
  ['classificationdef', 'CLASSIFICATION'],
  ['businessmetadatadef', 'BUSINESS_METADATA'],
];

function typeRoutes(backend: AtlasBackend): Route[] {
  const registry = backend.registry;
  const getDef = (name: string, category?: TypeCategory): unknown => {
    const def = registry.get(name);
    if (!def || (category && def.category !== category)) throw new AtlasError('ATLAS-404-00-001', name);
    return registry.render(def);
  };
  return [
    { method: 'GET', pattern: '/v2/types/typedefs', handle: ({ query }) => registry.list(typeDefFilter(query)) },
    { method: 'GET', pattern: '/v2/types/typedefs/headers', handle: ({ query }) => registry.headers(typeDefFilter(query)) },
    { method: 'GET', pattern: '/v2/types/typedef/name/{name}', handle: ({ params }) => getDef(params['name'] ?? '') },
    ...TYPED_DEF_PATHS.map(
      ([path, category]): Route => ({
        method: 'GET',
        pattern: `/v2/types/${path}/name/{name}`,
        handle: ({ params }) => getDef(params['name'] ?? '', category),
      }),
    ),
    { method: 'POST', pattern: '/v2/types/typedefs', handle: ({ body, user }) => registry.create(typesDefBody(body), user) },
    { method: 'PUT', pattern: '/v2/types/typedefs', handle: ({ body, user }) => registry.update(typesDefBody(body), user) },
  ];
}

function entityRoutes(backend: AtlasBackend): Route[] {
  return [
    { method: 'POST', pattern: '/v2/entity/bulk', handle: ({ body, user }) => backend.createOrUpdate(bulkBody(body), user) },
    { method: 'POST', pattern: '/v2/entity', handle: ({ body, user }) => backend.createOrUpdate(singleEntityBody(body), user) },
    {
      method: 'GET',
      pattern: '/v2/entity/bulk',
      handle: ({ query }) => backend.getByGuids(query.getAll('guid'), renderOptions(query)),
    },
    { method: 'GET', pattern: '/v2/entity/guid/{guid}', handle: ({ params, query }) => backend.getByGuid(params['guid'] ?? '', renderOptions(query)) },
    { method: 'DELETE', pattern: '/v2/entity/guid/{guid}', handle: ({ params, user }) => backend.deleteByGuid(params['guid'] ?? '', user) },
    {
      method: 'GET',
      pattern: '/v2/entity/uniqueAttribute/type/{typeName}',
      handle: ({ params, query }) => backend.getByUniqueAttributes(params['typeName'] ?? '', uniqueAttributes(query), renderOptions(query)),
    },
    {
      method: 'GET',
      pattern: '/v2/entity/uniqueAttribute/type/{typeName}/header',
      handle: ({ params, query }) => backend.getHeaderByUniqueAttributes(params['typeName'] ?? '', uniqueAttributes(query)),
    },
    {
      method: 'PUT',
      pattern: '/v2/entity/uniqueAttribute/type/{typeName}',
      handle: ({ params, query, body, user }) =>
        backend.partialUpdateByUniqueAttributes(params['typeName'] ?? '', uniqueAttributes(query), body, user),
    },
    {
      method: 'DELETE',
      pattern: '/v2/entity/uniqueAttribute/type/{typeName}',
      handle: ({ params, query, user }) => backend.deleteByUniqueAttributes(params['typeName'] ?? '', uniqueAttributes(query), user),
    },
    {
      method: 'GET',
      pattern: '/v2/entity/bulk/uniqueAttribute/type/{typeName}',
      handle: ({ params, query }) =>
        backend.getEntitiesByUniqueAttributes(params['typeName'] ?? '', indexedUniqueAttributes(query), renderOptions(query)),
    },
    // EntityREST.getAuditEvents: count defaults to 100 (a short).
    { method: 'GET', pattern: '/v2/entity/{guid}/audit', handle: ({ params, query }) => backend.auditEvents(params['guid'] ?? '', intParam(query, 'count', 100)) },
  ];
}

function lineageRoutes(backend: AtlasBackend): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/v2/lineage/{guid}',
      handle: ({ params, query }) => backend.lineageByGuid(params['guid'] ?? '', lineageDirection(query), intParam(query, 'depth', 3)),
    },
    {
      method: 'GET',
      pattern: '/v2/lineage/uniqueAttribute/type/{typeName}',
      handle: ({ params, query }) =>
        backend.lineageByUniqueAttributes(params['typeName'] ?? '', uniqueAttributes(query), lineageDirection(query), intParam(query, 'depth', 3)),
    },
  ];
}

// ---- parameters ----

/** `attr:<name>=<value>`; EntityREST.getAttributes keeps the first value of each. */
function uniqueAttributes(query: URLSearchParams): UniqueAttributes {
  const result: UniqueAttributes = {};
  for (const [key, value] of query) {
    if (key.startsWith('attr:') && !(key.slice(5) in result)) result[key.slice(5)] = value;
  }
  return result;
}

/** `attr_<n>:<name>=<value>`, grouped by n (EntityREST.getAttributesList). */
function indexedUniqueAttributes(query: URLSearchParams): UniqueAttributes[] {
  const groups = new Map<string, UniqueAttributes>();
  for (const [key, value] of query) {
    const match = /^attr_([^:]*):(.+)$/.exec(key);
    if (!match) continue;
    const [, index = '', name = ''] = match;
    const group = groups.get(index) ?? {};
    if (!(name in group)) group[name] = value;
    groups.set(index, group);
  }
  return [...groups.entries()].sort(([a], [b]) => Number(a) - Number(b) || a.localeCompare(b)).map(([, group]) => group);
}

function renderOptions(query: URLSearchParams): RenderOptions {
  return { minExtInfo: booleanParam(query, 'minExtInfo'), ignoreRelationships: booleanParam(query, 'ignoreRelationships') };
}

function booleanParam(query: URLSearchParams, name: string): boolean {
  return query.get(name)?.toLowerCase() === 'true';
}

function intParam(query: URLSearchParams, name: string, fallback: number): number {
  const value = query.get(name);
  if (value === null || value === '') return fallback;
  if (!/^[+-]?\d+$/.test(value)) throw new UnmatchedRouteError(`${name}=${value}`);
  return Number(value);
}

function lineageDirection(query: URLSearchParams): LineageDirection {
  const value = query.get('direction') ?? 'BOTH';
  if (value === 'INPUT' || value === 'OUTPUT' || value === 'BOTH') return value;
  throw new UnmatchedRouteError(`direction=${value}`);
}

function typeDefFilter(query: URLSearchParams): TypeDefFilter {
  const filter: TypeDefFilter = {};
  for (const key of ['type', 'name', 'supertype', 'notsupertype', 'servicetype', 'notservicetype'] as const) {
    const value = query.get(key);
    if (value) filter[key] = value;
  }
  return filter;
}

// ---- bodies ----

/** Jackson cannot bind a JSON array, string or number to the model classes: 400 {"error": …}. */
function objectBody(body: unknown, className: string): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (!isRecord(body)) {
    throw new MalformedJsonError(`Cannot construct instance of \`org.apache.atlas.model.${className}\` from a non-object JSON value`);
  }
  return body;
}

function typesDefBody(body: unknown): AtlasTypesDef {
  return objectBody(body, 'typedef.AtlasTypesDef') as AtlasTypesDef;
}

function bulkBody(body: unknown): MutationInput {
  const value = objectBody(body, 'instance.AtlasEntity$AtlasEntitiesWithExtInfo') as { entities?: unknown; referredEntities?: unknown };
  return {
    entities: Array.isArray(value.entities) ? value.entities : [],
    referredEntities: isRecord(value.referredEntities) ? value.referredEntities : {},
  };
}

function singleEntityBody(body: unknown): MutationInput {
  const value = objectBody(body, 'instance.AtlasEntity$AtlasEntityWithExtInfo') as { entity?: unknown; referredEntities?: unknown };
  return {
    entities: value.entity === undefined || value.entity === null ? [] : [value.entity],
    referredEntities: isRecord(value.referredEntities) ? value.referredEntities : {},
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
