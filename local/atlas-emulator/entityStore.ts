// Stored entities and relationships, and how they are rendered as Atlas JSON (EntityGraphRetriever).
// Relationships are stored once, as edges between two entities; each end's attribute is read from the edges.
// A soft delete only marks entities and edges DELETED, as Atlas's default SoftDeleteHandlerV1 does.

import type {
  AtlasEntity,
  AtlasEntityHeader,
  AtlasEntityWithExtInfo,
  AtlasObjectId,
  AtlasRelatedObjectId,
} from '../../lib/atlas/model.js';
import { AtlasInternalError } from './errors.js';
import type { EntityTypeInfo, RelationshipAttribute, TypeRegistry } from './typeRegistry.js';
import type { ParsedTypeName } from './typeNames.js';
import { isPlainObject, javaString } from './values.js';

export type EntityStatus = 'ACTIVE' | 'DELETED';

export interface StoredEntity {
  guid: string;
  typeName: string;
  status: EntityStatus;
  /** Plain (non-relationship) attributes that have a value, normalized; object references are stored as guids. */
  attributes: Record<string, unknown>;
  createdBy: string;
  updatedBy: string;
  createTime: number;
  updateTime: number;
  version: number;
}

/** The system fields both of Atlas's entity mappers (full and minimal, EntityGraphRetriever) put on an entity. */
const systemFields = (entity: StoredEntity) => ({
  guid: entity.guid,
  isIncomplete: false,
  status: entity.status,
  createdBy: entity.createdBy,
  updatedBy: entity.updatedBy,
  createTime: entity.createTime,
  updateTime: entity.updateTime,
  version: entity.version,
});

export interface StoredRelationship {
  guid: string;
  typeName: string;
  end1Guid: string;
  end2Guid: string;
  status: EntityStatus;
  createdBy: string;
  updatedBy: string;
  createTime: number;
  updateTime: number;
}

/** One value of a relationship attribute: the edge and the entity at its other end. */
export interface RelatedEntity {
  relationship: StoredRelationship;
  entity: StoredEntity;
}

/** All entity state. A write works on a clone and replaces the original only when it succeeds (atomic requests). */
export class EntityGraph {
  readonly entities = new Map<string, StoredEntity>();
  readonly relationships = new Map<string, StoredRelationship>();
  private readonly relationshipGuidsByEntity = new Map<string, string[]>();

  clone(): EntityGraph {
    const copy = new EntityGraph();
    for (const [guid, entity] of this.entities) copy.entities.set(guid, structuredClone(entity));
    for (const [guid, relationship] of this.relationships) copy.relationships.set(guid, { ...relationship });
    for (const [guid, list] of this.relationshipGuidsByEntity) copy.relationshipGuidsByEntity.set(guid, [...list]);
    return copy;
  }

  addRelationship(relationship: StoredRelationship): void {
    this.relationships.set(relationship.guid, relationship);
    for (const guid of new Set([relationship.end1Guid, relationship.end2Guid])) {
      const list = this.relationshipGuidsByEntity.get(guid) ?? [];
      list.push(relationship.guid);
      this.relationshipGuidsByEntity.set(guid, list);
    }
  }

  relationshipsOf(entityGuid: string): StoredRelationship[] {
    const guids = this.relationshipGuidsByEntity.get(entityGuid) ?? [];
    return guids.map((guid) => this.relationships.get(guid)).filter((r): r is StoredRelationship => r !== undefined);
  }
}

/** How much of the related data GET returns. */
export interface RenderOptions {
  minExtInfo?: boolean;
  ignoreRelationships?: boolean;
}

/** Read access to a graph: lookups, and the JSON forms Atlas returns. */
export class EntityView {
  constructor(
    readonly registry: TypeRegistry,
    readonly graph: EntityGraph,
  ) {}

  entityType(entity: StoredEntity): EntityTypeInfo {
    const type = this.registry.entityType(entity.typeName);
    if (!type) throw new AtlasInternalError(`entity ${entity.guid} has unknown type ${entity.typeName}`);
    return type;
  }

  findByGuid(guid: string): StoredEntity | undefined {
    return this.graph.entities.get(guid);
  }

  /**
   * AtlasGraphUtilsV2.findByUniqueAttributes: ACTIVE entities of the type or a subtype whose values match every
   * unique attribute given (values of other attributes are ignored). Deleted entities have left the unique index.
   */
  findByUniqueAttributes(typeName: string, values: Record<string, unknown>): StoredEntity | undefined {
    const type = this.registry.entityType(typeName);
    if (!type) return undefined;
    const given = type.uniqueAttributes.filter((attr) => values[attr.name] !== undefined && values[attr.name] !== null);
    if (given.length === 0) return undefined;
    let subTypeMatch: StoredEntity | undefined;
    for (const entity of this.graph.entities.values()) {
      if (entity.status !== 'ACTIVE') continue;
      const isSameType = entity.typeName === typeName;
      if (!isSameType && !type.allSubTypes.has(entity.typeName)) continue;
      if (!given.every((attr) => javaString(entity.attributes[attr.name]) === javaString(values[attr.name]))) continue;
      if (isSameType) return entity;
      subTypeMatch ??= entity;
    }
    return subTypeMatch;
  }

  activeEntitiesOfType(typeName: string): StoredEntity[] {
    const type = this.registry.entityType(typeName);
    if (!type) return [];
    return [...this.graph.entities.values()].filter(
      (entity) => entity.status === 'ACTIVE' && (entity.typeName === typeName || type.allSubTypes.has(entity.typeName)),
    );
  }

  /** Every edge (ACTIVE and DELETED) behind one relationship attribute of an entity, oldest first. */
  relatedEntities(entity: StoredEntity, attribute: RelationshipAttribute): RelatedEntity[] {
    const result: RelatedEntity[] = [];
    for (const relationship of this.graph.relationshipsOf(entity.guid)) {
      if (relationship.typeName !== attribute.relationshipType) continue;
      const [ownGuid, otherGuid] =
        attribute.end === 1 ? [relationship.end1Guid, relationship.end2Guid] : [relationship.end2Guid, relationship.end1Guid];
      if (ownGuid !== entity.guid) continue;
      const other = this.graph.entities.get(otherGuid);
      if (other) result.push({ relationship, entity: other });
    }
    return result;
  }

  activeRelatedEntities(entity: StoredEntity, attribute: RelationshipAttribute): RelatedEntity[] {
    return this.relatedEntities(entity, attribute).filter((related) => related.relationship.status === 'ACTIVE');
  }

  // ---- JSON forms ----

  /** AtlasEntityHeader as in mutation responses, lineage and search results. */
  header(entity: StoredEntity): AtlasEntityHeader & Record<string, unknown> {
    const type = this.entityType(entity);
    const attributes: Record<string, unknown> = {};
    for (const name of type.headerAttributeNames) {
      const value = this.plainAttributeValue(entity, type, name);
      attributes[name] = value ?? '';
    }
    const displayText = this.displayText(entity);
    return {
      typeName: entity.typeName,
      attributes,
      guid: entity.guid,
      status: entity.status,
      ...(displayText !== undefined ? { displayText } : {}),
      classificationNames: [],
      classifications: [],
      meaningNames: [],
      meanings: [],
      isIncomplete: false,
      labels: [],
    };
  }

  /** AtlasObjectId with every unique attribute (the form of plain references and legacy attributes). */
  objectId(entity: StoredEntity): AtlasObjectId {
    const type = this.entityType(entity);
    const uniqueAttributes: Record<string, string> = {};
    for (const attr of type.uniqueAttributes) {
      const value = entity.attributes[attr.name];
      if (value !== undefined) uniqueAttributes[attr.name] = value as string;
    }
    return { guid: entity.guid, typeName: entity.typeName, uniqueAttributes };
  }

  relatedObjectId(related: RelatedEntity): AtlasRelatedObjectId & Record<string, unknown> {
    const { entity, relationship } = related;
    const qualifiedName = entity.attributes['qualifiedName'];
    const displayText = this.displayText(entity);
    return {
      guid: entity.guid,
      typeName: entity.typeName,
      entityStatus: entity.status,
      ...(displayText !== undefined ? { displayText } : {}),
      relationshipType: relationship.typeName,
      relationshipGuid: relationship.guid,
      relationshipStatus: relationship.status,
      // AtlasStruct(typeName, null): a relationship type without attributes has no `attributes` (NON_NULL).
      relationshipAttributes: { typeName: relationship.typeName },
      // Atlas 2.3+ (EntityGraphRetriever.mapVertexToRelatedObjectId → setQualifiedName); no uniqueAttributes here.
      ...(qualifiedName !== undefined ? { qualifiedName: javaString(qualifiedName) } : {}),
    };
  }

  /** GET /v2/entity/guid/{guid}: the entity plus, in referredEntities, the entities it owns. */
  withExtInfo(entity: StoredEntity, options: RenderOptions): AtlasEntityWithExtInfo {
    const referred = new Map<string, AtlasEntity>();
    const json = this.entityJson(entity, options, referred);
    referred.delete(entity.guid);
    return { referredEntities: Object.fromEntries(referred), entity: json };
  }

  /** The AtlasEntity JSON; owned entities are added to `referred` (full, or minimal with minExtInfo). */
  entityJson(entity: StoredEntity, options: RenderOptions = {}, referred?: Map<string, AtlasEntity>): AtlasEntity {
    const type = this.entityType(entity);
    const json: AtlasEntity & Record<string, unknown> = {
      typeName: entity.typeName,
      attributes: this.attributesJson(entity, type, options.ignoreRelationships === true),
      ...systemFields(entity),
      provenanceType: 0,
    };
    // Registered before the relationships are walked, so that ownership cycles end.
    referred?.set(entity.guid, json);
    if (!options.ignoreRelationships) {
      json.relationshipAttributes = this.relationshipAttributesJson(entity, type, options, referred);
    }
    json['labels'] = [];
    json['proxy'] = false;
    return json;
  }

  /** mapVertexToAtlasEntityMin: system fields and header attributes only. */
  minimalEntityJson(entity: StoredEntity): AtlasEntity {
    const type = this.entityType(entity);
    const attributes: Record<string, unknown> = {};
    for (const name of type.headerAttributeNames) {
      const value = this.plainAttributeValue(entity, type, name);
      if (value !== null) attributes[name] = value;
    }
    return { typeName: entity.typeName, attributes, ...systemFields(entity) };
  }

  displayText(entity: StoredEntity): string | undefined {
    for (const name of ['name', 'displayName', 'qualifiedName']) {
      const value = entity.attributes[name];
      if (value !== undefined && value !== null) return javaString(value);
    }
    return undefined;
  }

  private attributesJson(entity: StoredEntity, type: EntityTypeInfo, ignoreRelationships: boolean): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const name of type.attributes.keys()) {
      result[name] = this.plainAttributeValue(entity, type, name);
    }
    // Legacy relationship attributes are repeated under `attributes` as AtlasObjectIds (toLegacyAttribute).
    for (const [name, candidates] of type.relationshipAttributes) {
      const first = candidates[0];
      if (!first || !(first.isLegacy || first.isDefinedAttribute)) continue;
      if (ignoreRelationships && !first.isDefinedAttribute) continue;
      // EntityGraphRetriever.mapVertexToArray reads these with ignoreInactive=false: removed relationships stay listed
      // (AtlasEntityStoreV2Test: "deleted columns are also included in columns attribute"). A single value is the
      // active edge, else the latest removed one (GraphHelper.getEdgeForLabel).
      const related = candidates.flatMap((attr) => this.relatedEntities(entity, attr));
      if (first.cardinality === 'SINGLE') {
        const chosen = currentOrLatestEdge(related);
        result[name] = chosen ? this.objectId(chosen.entity) : null;
      } else {
        result[name] = related.map((r) => this.objectId(r.entity));
      }
    }
    return result;
  }

  private relationshipAttributesJson(
    entity: StoredEntity,
    type: EntityTypeInfo,
    options: RenderOptions,
    referred: Map<string, AtlasEntity> | undefined,
  ): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [name, candidates] of type.relationshipAttributes) {
      const related = candidates.flatMap((attr) => this.relatedEntities(entity, attr));
      const isOwned = candidates.some((attr) => attr.isOwnedRef);
      if (isOwned && referred) {
        for (const { entity: owned } of related) this.addReferred(owned, options, referred);
      }
      if (candidates[0]?.cardinality === 'SINGLE') {
        const chosen = currentOrLatestEdge(related);
        result[name] = chosen ? this.relatedObjectId(chosen) : null;
      } else {
        result[name] = related.map((r) => this.relatedObjectId(r));
      }
    }
    return result;
  }

  private addReferred(entity: StoredEntity, options: RenderOptions, referred: Map<string, AtlasEntity>): void {
    if (referred.has(entity.guid)) return;
    if (options.minExtInfo) {
      referred.set(entity.guid, this.minimalEntityJson(entity));
    } else {
      this.entityJson(entity, options, referred);
    }
  }

  private plainAttributeValue(entity: StoredEntity, type: EntityTypeInfo, name: string): unknown {
    const attr = type.attributes.get(name);
    const value = entity.attributes[name];
    if (!attr) return null;
    if (value === undefined) return !attr.isSoftReference && this.isEdgeBackedArray(attr.parsedType) ? [] : null;
    return this.renderValue(attr.parsedType, value);
  }

  /**
   * Arrays of structs or entity references are read from edges (GraphHelper.getCollectionElementsUsingRelationship),
   * so an unset one reads back as [] rather than null; arrays of primitives are a vertex property and stay null, and so
   * do soft references (replicatedFrom/replicatedTo: EntityGraphRetriever.mapVertexToArrayForSoftRef; null on Atlas 2.1.0).
   */
  private isEdgeBackedArray(type: ParsedTypeName): boolean {
    if (type.kind !== 'array' || type.element.kind !== 'named') return false;
    const element = type.element.name;
    return this.registry.structType(element) !== undefined || this.registry.entityType(element) !== undefined;
  }

  /** Stored value → JSON: object references (stored as guids) become AtlasObjectIds, structs get all fields. */
  private renderValue(type: ParsedTypeName, value: unknown): unknown {
    if (value === null || value === undefined) return null;
    if (type.kind === 'array') {
      return Array.isArray(value) ? value.map((element) => this.renderValue(type.element, element)) : value;
    }
    if (type.kind === 'map') {
      if (!isPlainObject(value)) return value;
      return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, this.renderValue(type.value, entry)]));
    }
    const struct = this.registry.structType(type.name);
    if (struct && isPlainObject(value) && isPlainObject(value['attributes'])) {
      const stored = value['attributes'];
      const attributes = Object.fromEntries(
        struct.attributes.map((attr) => [attr.name, this.renderValue(attr.parsedType, stored[attr.name])]),
      );
      return { typeName: type.name, attributes };
    }
    if (this.registry.entityType(type.name) && typeof value === 'string') {
      const referenced = this.graph.entities.get(value);
      return referenced ? this.objectId(referenced) : { guid: value, typeName: type.name };
    }
    return value;
  }
}

/** GraphHelper.getEdgeForLabel: the active edge, else the most recently removed one. */
function currentOrLatestEdge(related: RelatedEntity[]): RelatedEntity | undefined {
  return related.find((r) => r.relationship.status === 'ACTIVE') ?? [...related].sort((a, b) => b.relationship.updateTime - a.relationship.updateTime)[0];
}
