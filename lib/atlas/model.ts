// Shapes of the Atlas REST v2 JSON this project sends and reads (apache/atlas intg/.../model/**).
// Only the fields we use are typed; Atlas ignores unknown properties on input and drops nulls on output.

export type AtlasAttributes = Record<string, unknown>;

/** A reference to an entity: by guid (negative = placeholder in the same request) or by type + unique attributes. */
export interface AtlasObjectId {
  guid?: string;
  typeName?: string;
  uniqueAttributes?: Record<string, string>;
}

/** The form Atlas returns for relationship attributes on GET. */
export interface AtlasRelatedObjectId extends AtlasObjectId {
  entityStatus?: 'ACTIVE' | 'DELETED';
  displayText?: string;
  relationshipType?: string;
  relationshipGuid?: string;
  relationshipStatus?: 'ACTIVE' | 'DELETED';
  /** Atlas 2.3+ only; 2.1-2.2 name a related entity by guid alone. */
  qualifiedName?: string;
}

export interface AtlasEntity {
  typeName: string;
  guid?: string;
  attributes: AtlasAttributes;
  relationshipAttributes?: AtlasAttributes;
  status?: 'ACTIVE' | 'DELETED';
  createdBy?: string;
  updatedBy?: string;
  createTime?: number;
  updateTime?: number;
  version?: number;
  isIncomplete?: boolean;
}

export interface AtlasEntitiesWithExtInfo {
  entities: AtlasEntity[];
  referredEntities?: Record<string, AtlasEntity>;
}

export interface AtlasEntityWithExtInfo {
  entity: AtlasEntity;
  referredEntities?: Record<string, AtlasEntity>;
}

export interface AtlasEntityHeader {
  typeName: string;
  guid: string;
  status?: 'ACTIVE' | 'DELETED';
  displayText?: string;
  attributes?: AtlasAttributes;
  isIncomplete?: boolean;
  classificationNames?: string[];
  labels?: string[];
}

export type EntityOperation = 'CREATE' | 'UPDATE' | 'PARTIAL_UPDATE' | 'DELETE' | 'PURGE';

export interface EntityMutationResponse {
  mutatedEntities?: Partial<Record<EntityOperation, AtlasEntityHeader[]>>;
  guidAssignments?: Record<string, string>;
  partialUpdatedEntities?: AtlasEntityHeader[];
}

/** GET /v2/entity/{guid}/audit items (org.apache.atlas.model.audit.EntityAuditEventV2). */
export interface EntityAuditEventV2 {
  entityId: string;
  timestamp: number;
  user: string;
  action: 'ENTITY_CREATE' | 'ENTITY_UPDATE' | 'ENTITY_DELETE' | (string & {});
  /** "Created: {entity json}", "Updated: {entity json}", "Deleted entity". */
  details: string;
  eventKey?: string;
  entity?: AtlasEntity | null;
  type?: 'ENTITY_AUDIT_V1' | 'ENTITY_AUDIT_V2';
}

export interface AtlasLineageRelation {
  fromEntityId: string;
  toEntityId: string;
  relationshipId?: string;
}

export interface AtlasLineageInfo {
  baseEntityGuid: string;
  lineageDirection: 'INPUT' | 'OUTPUT' | 'BOTH';
  lineageDepth: number;
  guidEntityMap: Record<string, AtlasEntityHeader>;
  relations: AtlasLineageRelation[];
  relationsOnDemand?: Record<string, unknown>;
}

/** The answer of GET /v2/search/basic (AtlasSearchResult); `entities` is absent when nothing matched. */
export interface AtlasSearchResult {
  queryType?: string;
  entities?: AtlasEntityHeader[];
  approximateCount?: number;
}

/** `{errorCode, errorMessage}` body of AtlasBaseException responses. */
export interface AtlasErrorBody {
  errorCode: string;
  errorMessage: string;
  errorCause?: string;
}

export interface AtlasAttributeDef {
  name: string;
  typeName: string;
  isOptional?: boolean;
  cardinality?: 'SINGLE' | 'LIST' | 'SET';
  isUnique?: boolean;
  isIndexable?: boolean;
  valuesMinCount?: number;
  valuesMaxCount?: number;
  defaultValue?: string;
  description?: string;
  options?: Record<string, string>;
  constraints?: { type: string; params?: Record<string, unknown> }[];
  [extra: string]: unknown;
}

export interface AtlasBaseTypeDef {
  name: string;
  category?: string;
  guid?: string;
  description?: string;
  typeVersion?: string;
  serviceType?: string;
  options?: Record<string, string>;
  [extra: string]: unknown;
}

export interface AtlasStructDef extends AtlasBaseTypeDef {
  attributeDefs?: AtlasAttributeDef[];
}

export interface AtlasEntityDef extends AtlasStructDef {
  superTypes?: string[];
}

export interface AtlasRelationshipEndDef {
  type: string;
  name: string;
  cardinality?: 'SINGLE' | 'SET' | 'LIST';
  isContainer?: boolean;
  isLegacyAttribute?: boolean;
  description?: string;
}

export interface AtlasRelationshipDef extends AtlasStructDef {
  relationshipCategory?: 'ASSOCIATION' | 'AGGREGATION' | 'COMPOSITION';
  propagateTags?: 'NONE' | 'ONE_TO_TWO' | 'TWO_TO_ONE' | 'BOTH';
  endDef1: AtlasRelationshipEndDef;
  endDef2: AtlasRelationshipEndDef;
}

export interface AtlasEnumDef extends AtlasBaseTypeDef {
  elementDefs?: { value: string; ordinal?: number; description?: string }[];
  defaultValue?: string;
}

export interface AtlasTypesDef {
  enumDefs?: AtlasEnumDef[];
  structDefs?: AtlasStructDef[];
  classificationDefs?: AtlasEntityDef[];
  entityDefs?: AtlasEntityDef[];
  relationshipDefs?: AtlasRelationshipDef[];
  businessMetadataDefs?: AtlasStructDef[];
}
