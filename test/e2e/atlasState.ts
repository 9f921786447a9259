// What the Atlas emulator of a running stack holds, read over its REST API with plain HTTP (not through the
// bridge's own AtlasClient, which is part of what the matrix tests).
import axios, { type AxiosInstance } from 'axios';
import type { AtlasEntity, AtlasEntityWithExtInfo, AtlasRelatedObjectId } from '../../lib/atlas/index.js';
import type { StackInfo } from '../helpers/testStack.js';

export interface AtlasState {
  /** The ACTIVE entity of that type (or a subtype) and qualifiedName, with its relationships; undefined when none. */
  entity(typeName: string, qualifiedName: string): Promise<AtlasEntity | undefined>;
  /** Any entity by guid, a soft-deleted one too (Atlas finds those by guid only). */
  byGuid(guid: string): Promise<AtlasEntity | undefined>;
}

export const atlasState = (info: Pick<StackInfo, 'atlasUrl' | 'atlasUser' | 'atlasPassword'>): AtlasState => {
  const http: AxiosInstance = axios.create({
    baseURL: `${info.atlasUrl}/api/atlas/v2`,
    auth: { username: info.atlasUser, password: info.atlasPassword },
    validateStatus: (status) => status === 200 || status === 404,
    timeout: 10_000,
  });
  const read = async (path: string, params: Record<string, string>): Promise<AtlasEntity | undefined> => {
    const answer = await http.get<AtlasEntityWithExtInfo>(path, { params });
    return answer.status === 404 ? undefined : answer.data.entity;
  };
  return {
    entity: (typeName, qualifiedName) =>
      read(`/entity/uniqueAttribute/type/${encodeURIComponent(typeName)}`, { 'attr:qualifiedName': qualifiedName }),
    byGuid: (guid) => read(`/entity/guid/${encodeURIComponent(guid)}`, {}),
  };
};

/** The qualifiedNames a relationship attribute points at, live relationships only, sorted. */
export const related = (entity: AtlasEntity | undefined, attribute: string): string[] => {
  const value = entity?.relationshipAttributes?.[attribute];
  const refs = (Array.isArray(value) ? value : value == null ? [] : [value]) as AtlasRelatedObjectId[];
  return refs
    .filter((ref) => ref.relationshipStatus !== 'DELETED')
    .map((ref) => String(ref.qualifiedName))
    .sort();
};
