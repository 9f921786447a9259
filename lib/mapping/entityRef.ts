import type { AtlasAttributes } from '../atlas/model.js';

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
