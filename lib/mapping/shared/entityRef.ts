import type { AtlasAttributes, AtlasEntity } from '../../atlas/model.js';

/** Names an entity by type and qualifiedName until the bulk request turns it into a guid reference. */
export interface EntityRef {
  typeName: string;
  qualifiedName: string;
}

/**
 * An entity the mapping wants in Atlas. `attributes` are plain values (qualifiedName included);
 * `references` are entity-valued attributes, resolved to guids when the bulk request is built.
 */
export interface DesiredEntity {
  typeName: string;
  qualifiedName: string;
  attributes: AtlasAttributes;
  references: Record<string, EntityRef | EntityRef[]>;
}

export const refKey = (ref: EntityRef): string => `${ref.typeName}|${ref.qualifiedName}`;

/** What one part of a plan asks of the bulk write: entities to send, and stored ones referred to as they are. */
export interface EntityWrites {
  outgoing: DesiredEntity[];
  untouched: EntityRef[];
}

/** Entities already in Atlas, as read before the write, looked up by type and qualifiedName. */
export type StoredEntities = (ref: EntityRef) => AtlasEntity | undefined;

/** The stored entity, unless Atlas soft-deleted it: a DELETED entity counts as absent. */
export const activeEntity = (stored: StoredEntities, ref: EntityRef): AtlasEntity | undefined => {
  const entity = stored(ref);
  return entity?.status === 'DELETED' ? undefined : entity;
};

type RelatedItem = {
  guid?: unknown; typeName?: unknown; qualifiedName?: unknown; uniqueAttributes?: { qualifiedName?: unknown };
  relationshipStatus?: unknown; entityStatus?: unknown;
};
const asItems = (value: unknown): RelatedItem[] =>
  (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).filter(
    (item): item is RelatedItem => typeof item === 'object' && item !== null,
  );

/**
 * The entities a stored entity is related to (relationship ACTIVE; entity ACTIVE too if asked) through one relationship attribute, by qualifiedName.
 * Where the name is depends on the Atlas version (EntityGraphRetriever.mapVertexToRelatedObjectId): 2.3+ puts
 * `qualifiedName` on each related object id, 2.1-2.2 give only its guid, so the name is then taken from the
 * legacy attribute of the same name, whose object ids carry `uniqueAttributes` (and list removed relations too,
 * which is why the relationship attribute decides what is ACTIVE). `uniqueAttributes` on a related id is read
 * as well: older emulator recordings and fixtures have it.
 */
export const activeRelatedRefs = (
  entity: { attributes: AtlasAttributes; relationshipAttributes?: AtlasAttributes },
  attribute: string,
  options: { skipDeletedEntities?: boolean } = {},
): EntityRef[] => {
  const namesByGuid = new Map<unknown, unknown>(asItems(entity.attributes[attribute]).map((id) => [id.guid, id.uniqueAttributes?.qualifiedName]));
  const related = entity.relationshipAttributes?.[attribute] ?? entity.attributes[attribute];
  const refs: EntityRef[] = [];
  for (const item of asItems(related)) {
    if (item.relationshipStatus === 'DELETED' || (options.skipDeletedEntities === true && item.entityStatus === 'DELETED')) continue;
    const qualifiedName = item.qualifiedName ?? item.uniqueAttributes?.qualifiedName ?? namesByGuid.get(item.guid);
    if (typeof item.typeName === 'string' && typeof qualifiedName === 'string') refs.push({ typeName: item.typeName, qualifiedName });
  }
  return refs.sort((a, b) => (a.qualifiedName < b.qualifiedName ? -1 : a.qualifiedName > b.qualifiedName ? 1 : 0));
};
