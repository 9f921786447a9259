// createOrUpdate for POST /v2/entity(/bulk) and the partial PUT, after AtlasEntityStoreV2.createOrUpdate:
// discover references (AtlasEntityGraphDiscoveryV2), resolve them (IDBasedEntityResolver, then
// UniqAttrBasedEntityResolver against the store as it was before the request), validate, then map attributes
// and relationships (EntityGraphMapper). Runs on a cloned graph, so any error leaves the store untouched.

import { randomUUID } from 'node:crypto';
import type { AtlasEntityHeader, EntityMutationResponse, EntityOperation } from '../../lib/atlas/model.js';
import { AtlasError, AtlasInternalError, MalformedJsonError } from './errors.js';
import type { EntityView, StoredEntity, StoredRelationship } from './entityStore.js';
import { validateEntity, validateEntityForPartialUpdate, type RequestEntity } from './entityValidation.js';
import type { RelationshipAttribute } from './typeRegistry.js';
import type { ParsedTypeName } from './typeNames.js';
import { storedDefault } from './valueChecker.js';
import { deepEqual, isPlainObject, javaString } from './values.js';

export interface MutationInput {
  entities: unknown[];
  referredEntities?: Record<string, unknown>;
}

export interface MutationOptions {
  /** Partial update (PUT by unique attribute): no mandatory checks, reported as PARTIAL_UPDATE. */
  partial: boolean;
  user: string;
}

/** A request entity to create, with its validated, normalized plain attributes. */
interface PlannedCreate {
  entity: RequestEntity;
  attributes: Record<string, unknown>;
}

/** A request entity matched to a stored one; `attributes` holds only what was sent (null = clear). */
interface PlannedUpdate extends PlannedCreate {
  stored: StoredEntity;
}

export interface ObjectIdRef {
  guid?: string;
  typeName?: string;
  uniqueAttributes?: Record<string, unknown>;
  relationshipType?: string;
}

let nextPlaceholder = process.hrtime.bigint();

/** AtlasEntity.nextInternalId(): entities posted without a guid get "-<number>". */
function newPlaceholderGuid(): string {
  nextPlaceholder += 1n;
  return `-${nextPlaceholder.toString()}`;
}

export function isAssignedGuid(guid: unknown): guid is string {
  return typeof guid === 'string' && guid !== '' && !guid.startsWith('-');
}

function isUnassignedGuid(guid: unknown): guid is string {
  return typeof guid === 'string' && guid.startsWith('-');
}

/** AtlasObjectId.toString(), as it appears in error messages. */
export function objectIdString(objectId: ObjectIdRef): string {
  const unique = Object.entries(objectId.uniqueAttributes ?? {})
    .map(([key, value]) => `${key}:${javaString(value)}`)
    .join(', ');
  return `AtlasObjectId{guid='${objectId.guid ?? 'null'}', typeName='${objectId.typeName ?? 'null'}', uniqueAttributes={${unique}}}`;
}

/** Runs one createOrUpdate request against `view.graph` (a working copy). */
export function createOrUpdate(view: EntityView, input: MutationInput, options: MutationOptions): EntityMutationResponse {
  return new Mutation(view, options).run(input);
}

class Mutation {
  private readonly now = Date.now();
  /** The request's entities by request guid (top-level entities and referredEntities). */
  private readonly stream = new Map<string, RequestEntity>();
  private readonly topLevel: RequestEntity[] = [];
  /** Request guids in discovery order (AtlasEntityGraphDiscoveryV2.referencedGuids). */
  private readonly referencedGuids: string[] = [];
  private readonly uniqueAttributeRefs: ObjectIdRef[] = [];
  /** Request guid → stored guid, for everything that resolved or will be created. */
  private readonly resolvedGuids = new Map<string, string>();
  /** uniqueAttributes reference (by refKey) → stored guid. */
  private readonly resolvedUniqueRefs = new Map<string, string>();
  private readonly guidAssignments: Record<string, string> = {};
  private readonly created: string[] = [];
  /** Entities whose stored state changed, in the order Atlas records them (request entities and side effects). */
  private readonly updated = new Set<string>();
  private readonly deleted: string[] = [];

  constructor(
    private readonly view: EntityView,
    private readonly options: MutationOptions,
  ) {}

  run(input: MutationInput): EntityMutationResponse {
    this.readRequest(input);
    this.discover();
    this.resolveGuidReferences();
    this.resolveUniqueAttributeReferences();
    this.assignGuidsToNewEntities();
    const { creates, updates } = this.validateAll();
    this.applyCreates(creates);
    this.applyUpdates(updates);
    this.finishTouchedEntities();
    this.checkUniqueValues();
    return this.response();
  }

  /** Validates every request entity in discovery order (the first error wins) and sorts them into creates and updates. */
  private validateAll(): { creates: PlannedCreate[]; updates: PlannedUpdate[] } {
    const creates: PlannedCreate[] = [];
    const updates: PlannedUpdate[] = [];
    for (const requestGuid of this.referencedGuids) {
      const entity = this.stream.get(requestGuid);
      if (!entity) continue;
      this.moveRelationshipValuesOutOfAttributes(entity);
      const storedGuid = this.resolvedGuids.get(requestGuid) as string;
      const stored = this.view.findByGuid(storedGuid);
      if (stored) {
        const attributes = this.options.partial ? this.validateForPartialUpdate(entity) : this.validateFully(entity);
        if (storedGuid !== requestGuid) this.guidAssignments[requestGuid] = storedGuid;
        updates.push({ entity, stored, attributes });
      } else {
        const attributes = this.validateFully(entity);
        this.guidAssignments[requestGuid] = storedGuid;
        creates.push({ entity, attributes });
      }
    }
    return { creates, updates };
  }

  // ---- reading the request ----

  private readRequest(input: MutationInput): void {
    if (!Array.isArray(input.entities) || input.entities.length === 0) {
      throw new AtlasError('ATLAS-400-00-01A', 'no entities to create/update.');
    }
    for (const raw of input.entities) {
      const entity = this.readEntity(raw, undefined);
      this.topLevel.push(entity);
      if (!this.stream.has(entity.requestGuid)) this.stream.set(entity.requestGuid, entity);
    }
    for (const [key, raw] of Object.entries(input.referredEntities ?? {})) {
      if (!this.stream.has(key)) this.stream.set(key, this.readEntity(raw, key));
    }
  }

  private readEntity(raw: unknown, referredKey: string | undefined): RequestEntity {
    if (!isPlainObject(raw)) {
      throw new MalformedJsonError('Cannot deserialize value of type `AtlasEntity` from a non-object value');
    }
    const typeName = raw['typeName'];
    const type = typeof typeName === 'string' ? this.view.registry.entityType(typeName) : undefined;
    if (!type) {
      throw new AtlasError('ATLAS-400-00-014', 'ENTITY', javaString(typeName));
    }
    const guid = raw['guid'];
    const attributes = isPlainObject(raw['attributes']) ? { ...raw['attributes'] } : {};
    const relationshipAttributes = isPlainObject(raw['relationshipAttributes']) ? { ...raw['relationshipAttributes'] } : {};
    return {
      requestGuid: referredKey ?? (typeof guid === 'string' && guid !== '' ? guid : newPlaceholderGuid()),
      typeName: type.name,
      type,
      attributes,
      relationshipAttributes,
    };
  }

  // ---- discovery: which guids and uniqueAttributes references the request uses ----

  private discover(): void {
    const walked = new Set<string>();
    for (const entity of this.topLevel) {
      this.walk(entity);
      walked.add(entity.requestGuid);
    }
    // referencedGuids grows while referred entities are walked.
    for (let i = 0; i < this.referencedGuids.length; i++) {
      const guid = this.referencedGuids[i] as string;
      const entity = this.stream.get(guid);
      if (entity && !walked.has(guid)) {
        this.walk(entity);
        walked.add(guid);
      }
    }
  }

  private walk(entity: RequestEntity): void {
    this.addReferencedGuid(entity.requestGuid);
    const visited = new Set<string>();
    for (const [name, candidates] of entity.type.relationshipAttributes) {
      const value = name in entity.relationshipAttributes ? entity.relationshipAttributes[name] : entity.attributes[name];
      if (value === undefined || value === null) continue;
      visited.add(name);
      if (candidates[0]?.cardinality === 'SINGLE') this.visitReference(value);
      else if (Array.isArray(value)) value.forEach((element) => this.visitReference(element));
    }
    for (const attr of entity.type.attributes.values()) {
      if (!visited.has(attr.name)) this.visitAttribute(attr.parsedType, entity.attributes[attr.name]);
    }
  }

  /** Object references inside plain attributes (arrays, maps, structs of entity types). */
  private visitAttribute(type: ParsedTypeName, value: unknown): void {
    if (value === undefined || value === null) return;
    if (type.kind === 'array') {
      if (Array.isArray(value)) value.forEach((element) => this.visitAttribute(type.element, element));
    } else if (type.kind === 'map') {
      if (isPlainObject(value)) Object.values(value).forEach((entry) => this.visitAttribute(type.value, entry));
    } else if (this.view.registry.entityType(type.name)) {
      this.visitReference(value);
    } else {
      const struct = this.view.registry.structType(type.name);
      if (struct && isPlainObject(value)) {
        const fields = isPlainObject(value['attributes']) ? value['attributes'] : value;
        struct.attributes.forEach((attr) => this.visitAttribute(attr.parsedType, fields[attr.name]));
      }
    }
  }

  private visitReference(value: unknown): void {
    if (!isPlainObject(value)) {
      throw new AtlasError('ATLAS-400-00-021', javaString(value));
    }
    const objectId = toObjectIdRef(value);
    if (isAssignedGuid(objectId.guid) || isUnassignedGuid(objectId.guid)) {
      this.addReferencedGuid(objectId.guid);
    } else if (objectId.typeName && objectId.uniqueAttributes && Object.keys(objectId.uniqueAttributes).length > 0) {
      this.uniqueAttributeRefs.push(objectId);
    } else {
      throw new AtlasError('ATLAS-400-00-021', objectIdString(objectId));
    }
  }

  private addReferencedGuid(guid: string): void {
    if (!this.referencedGuids.includes(guid)) this.referencedGuids.push(guid);
  }

  // ---- resolution ----

  /** IDBasedEntityResolver: assigned guids must exist; request entities are matched by guid, then unique attributes. */
  private resolveGuidReferences(): void {
    for (const guid of this.referencedGuids) {
      const byGuid = isAssignedGuid(guid) ? this.view.findByGuid(guid) : undefined;
      const entity = this.stream.get(guid);
      const found = byGuid ?? (entity ? this.view.findByUniqueAttributes(entity.typeName, entity.attributes) : undefined);
      if (found) {
        this.resolvedGuids.set(guid, found.guid);
      } else if (isAssignedGuid(guid) || !entity) {
        // Outside import, Atlas never creates an entity under a guid the client chose.
        throw new AtlasError('ATLAS-404-00-00A', guid);
      }
    }
  }

  /** UniqAttrBasedEntityResolver: only entities stored before this request count (no shell entities over REST). */
  private resolveUniqueAttributeReferences(): void {
    for (const objectId of this.uniqueAttributeRefs) {
      const typeName = objectId.typeName as string;
      if (!this.view.registry.entityType(typeName)) {
        throw new AtlasError('ATLAS-400-00-014', 'ENTITY', typeName);
      }
      const found = this.view.findByUniqueAttributes(typeName, objectId.uniqueAttributes ?? {});
      if (!found) {
        throw new AtlasError('ATLAS-404-00-00A', objectIdString(objectId));
      }
      this.resolvedUniqueRefs.set(refKey(objectId), found.guid);
    }
  }

  private assignGuidsToNewEntities(): void {
    for (const guid of this.referencedGuids) {
      if (this.stream.has(guid) && !this.resolvedGuids.has(guid)) {
        const newGuid = randomUUID();
        this.resolvedGuids.set(guid, newGuid);
        this.created.push(newGuid);
      }
    }
  }

  /** The stored guid an object reference in the request points to (the guid wins over uniqueAttributes). */
  private resolveObjectId(value: unknown): string | undefined {
    if (!isPlainObject(value)) return undefined;
    const objectId = toObjectIdRef(value);
    if (objectId.guid) {
      return this.resolvedGuids.get(objectId.guid) ?? (isAssignedGuid(objectId.guid) ? objectId.guid : undefined);
    }
    return this.resolvedUniqueRefs.get(refKey(objectId));
  }

  /** AtlasEntityStoreV2.compactAttributes: relationship values sent under `attributes` count as relationshipAttributes. */
  private moveRelationshipValuesOutOfAttributes(entity: RequestEntity): void {
    for (const name of entity.type.relationshipAttributes.keys()) {
      if (!(name in entity.attributes)) continue;
      const value = entity.attributes[name];
      delete entity.attributes[name];
      const alreadySent = entity.relationshipAttributes[name];
      if (value !== null && value !== undefined && (alreadySent === null || alreadySent === undefined)) {
        entity.relationshipAttributes[name] = value;
      }
    }
  }

  private validateFully(entity: RequestEntity): Record<string, unknown> {
    return validateEntity(entity, this.view.registry, (value) => this.resolveObjectId(value));
  }

  private validateForPartialUpdate(entity: RequestEntity): Record<string, unknown> {
    return validateEntityForPartialUpdate(entity, this.view.registry, (value) => this.resolveObjectId(value));
  }

  // ---- mapping (EntityGraphMapper) ----

  private applyCreates(creates: PlannedCreate[]): void {
    // All new entities exist before any relationship is mapped, so they can refer to each other.
    for (const { entity, attributes } of creates) {
      const guid = this.resolvedGuids.get(entity.requestGuid) as string;
      this.view.graph.entities.set(guid, {
        guid,
        typeName: entity.typeName,
        status: 'ACTIVE',
        attributes: withStoredDefaults(entity, attributes),
        createdBy: this.options.user,
        updatedBy: this.options.user,
        createTime: this.now,
        updateTime: this.now,
        version: 0,
      });
    }
    for (const { entity } of creates) {
      const stored = this.view.findByGuid(this.resolvedGuids.get(entity.requestGuid) as string) as StoredEntity;
      this.mapRelationships(entity, stored);
    }
  }

  private applyUpdates(updates: PlannedUpdate[]): void {
    for (const { entity, stored, attributes } of updates) {
      const before = stored.attributes;
      const after = { ...before };
      for (const [name, value] of Object.entries(attributes)) {
        // A null clears strings and non-primitives; numbers, booleans and dates get their stored default again.
        const attr = entity.type.attributes.get(name);
        const written = value === null && attr ? storedDefault(attr) : value;
        if (written === null || written === undefined) delete after[name];
        else after[name] = written;
      }
      stored.attributes = after;
      const relationshipsChanged = this.mapRelationships(entity, stored);
      if (relationshipsChanged || !deepEqual(before, after)) this.updated.add(stored.guid);
    }
  }

  /** Applies every relationship attribute the request sent; true when an edge was added or removed. */
  private mapRelationships(entity: RequestEntity, stored: StoredEntity): boolean {
    let changed = false;
    for (const [name, value] of Object.entries(entity.relationshipAttributes)) {
      const candidates = entity.type.relationshipAttributes.get(name);
      if (!candidates || candidates.length === 0) continue;
      const attr = pickRelationshipAttribute(candidates, value);
      const values = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
      const targets = values.map((v) => this.resolveObjectId(v)).filter((guid): guid is string => guid !== undefined);
      if (this.replaceEdges(stored, attr, [...new Set(targets)])) changed = true;
    }
    return changed;
  }

  /**
   * A relationship value sent replaces the stored set: new edges are created, missing ones soft-deleted.
   * For an array, EntityGraphMapper.mapArrayValue pairs the i-th value with the i-th current edge, soft-deleted ones
   * included (getCollectionElementsUsingRelationship), and updateRelationship keeps an edge that already points at
   * that entity as it is: a value removed earlier and sent again at the index of its old edge stays DELETED (seen on
   * Atlas 2.1.0, docs/real-atlas.md). Current edges are in creation order here; Atlas's order is its graph's.
   */
  private replaceEdges(holder: StoredEntity, attr: RelationshipAttribute, targetGuids: string[]): boolean {
    const current = this.view.activeRelatedEntities(holder, attr);
    const everyEdge = attr.cardinality === 'SET' ? this.view.relatedEntities(holder, attr) : [];
    const keptDeleted = new Set(targetGuids.filter((guid, i) => everyEdge[i]?.entity.guid === guid && everyEdge[i]?.relationship.status === 'DELETED'));
    const toRemove = current.filter((related) => !targetGuids.includes(related.entity.guid));
    const toAdd = targetGuids.filter((guid) => !keptDeleted.has(guid) && !current.some((related) => related.entity.guid === guid));
    for (const related of toRemove) {
      this.deleteRelationship(related.relationship, related.entity);
      // Removing a child from its container's COMPOSITION attribute deletes the child.
      if (attr.isOwnedRef) this.deleteEntity(related.entity);
    }
    for (const guid of toAdd) {
      const target = this.view.findByGuid(guid) as StoredEntity;
      this.createRelationship(holder, attr, target);
    }
    return toRemove.length > 0 || toAdd.length > 0;
  }

  private createRelationship(holder: StoredEntity, attr: RelationshipAttribute, target: StoredEntity): void {
    const [end1, end2] = attr.end === 1 ? [holder, target] : [target, holder];
    this.checkEndTypes(attr, end1, end2);
    if (attr.targetCardinality === 'SINGLE') {
      // The target can have only one such edge (e.g. a run belongs to one job): its previous one ends.
      const targetAttribute = { ...attr, end: attr.end === 1 ? 2 : 1, cardinality: 'SINGLE' } as RelationshipAttribute;
      for (const previous of this.view.activeRelatedEntities(target, targetAttribute)) {
        this.deleteRelationship(previous.relationship, previous.entity);
      }
    }
    const relationship: StoredRelationship = {
      guid: randomUUID(),
      typeName: attr.relationshipType,
      end1Guid: end1.guid,
      end2Guid: end2.guid,
      status: 'ACTIVE',
      createdBy: this.options.user,
      updatedBy: this.options.user,
      createTime: this.now,
      updateTime: this.now,
    };
    this.view.graph.addRelationship(relationship);
    // EntityGraphMapper.recordEntityUpdate: the other end gained an edge.
    this.updated.add(target.guid);
  }

  /** AtlasRelationshipStoreV2.validateRelationship: both entities must fit the relationship's end types. */
  private checkEndTypes(attr: RelationshipAttribute, end1: StoredEntity, end2: StoredEntity): void {
    const def = this.view.registry.get(attr.relationshipType);
    const end1Type = (def?.['endDef1'] as { type: string } | undefined)?.type ?? '';
    const end2Type = (def?.['endDef2'] as { type: string } | undefined)?.type ?? '';
    const registry = this.view.registry;
    if (!registry.isTypeOrSubType(end1.typeName, end1Type) || !registry.isTypeOrSubType(end2.typeName, end2Type)) {
      throw new AtlasError('ATLAS-400-00-036', attr.relationshipType, end1.typeName, end2.typeName, end1Type, end2Type);
    }
  }

  private deleteRelationship(relationship: StoredRelationship, otherEnd: StoredEntity): void {
    relationship.status = 'DELETED';
    relationship.updateTime = this.now;
    relationship.updatedBy = this.options.user;
    this.updated.add(otherEnd.guid);
  }

  /** Soft delete of an entity and, through COMPOSITION, the entities it owns. */
  private deleteEntity(entity: StoredEntity): void {
    for (const guid of softDeleteEntity(this.view, entity, this.options.user, this.now)) {
      if (!this.deleted.includes(guid)) this.deleted.push(guid);
    }
  }

  /** Updated entities get a new version and update time (requests and side effects alike). */
  private finishTouchedEntities(): void {
    for (const guid of this.updated) {
      if (this.created.includes(guid) || this.deleted.includes(guid)) continue;
      const entity = this.view.findByGuid(guid);
      if (!entity) continue;
      entity.version += 1;
      entity.updateTime = this.now;
      entity.updatedBy = this.options.user;
    }
  }

  /**
   * Unique attributes are indexed per type (GraphBackedSearchIndexer, UniqueKind.PER_TYPE_UNIQUE on the
   * __u_ property): only an ACTIVE entity of the same type with the same value clashes, as a graph exception (500).
   * hive_db and hbase_namespace "default@primary" coexist.
   */
  private checkUniqueValues(): void {
    const touched = [...this.created, ...this.updated].map((guid) => this.view.findByGuid(guid));
    for (const entity of touched) {
      if (!entity || entity.status !== 'ACTIVE') continue;
      for (const attr of this.view.entityType(entity).uniqueAttributes) {
        const value = entity.attributes[attr.name];
        if (value === undefined) continue;
        const clash = this.view
          .activeEntitiesOfType(entity.typeName)
          .find(
            (other) =>
              other.typeName === entity.typeName && other.guid !== entity.guid && javaString(other.attributes[attr.name]) === javaString(value),
          );
        if (clash) {
          throw new AtlasInternalError(`unique index clash on ${entity.typeName}.${attr.name}=${javaString(value)}`);
        }
      }
    }
  }

  private response(): EntityMutationResponse {
    const headers = (guids: string[]): AtlasEntityHeader[] =>
      guids.map((guid) => this.view.header(this.view.findByGuid(guid) as StoredEntity));
    const mutated: Partial<Record<EntityOperation, AtlasEntityHeader[]>> = {};
    const updated = [...this.updated].filter((guid) => !this.created.includes(guid) && !this.deleted.includes(guid));
    if (this.created.length > 0) mutated.CREATE = headers(this.created);
    if (updated.length > 0) mutated[this.options.partial ? 'PARTIAL_UPDATE' : 'UPDATE'] = headers(updated);
    if (this.deleted.length > 0) mutated.DELETE = headers(this.deleted);
    const response: EntityMutationResponse = {};
    if (Object.keys(mutated).length > 0) response.mutatedEntities = mutated;
    response.guidAssignments = this.guidAssignments;
    // EntityMutationResponse.getPartialUpdatedEntities() lacks @JsonIgnore, so Atlas serializes it too.
    if (mutated.PARTIAL_UPDATE) response.partialUpdatedEntities = mutated.PARTIAL_UPDATE;
    return response;
  }
}

/**
 * Marks an entity, the entities it owns through COMPOSITION, and all their edges DELETED.
 * Returns the guids that changed status (DeleteHandlerV1 with the soft-delete handler).
 */
export function softDeleteEntity(view: EntityView, entity: StoredEntity, user: string, now: number): string[] {
  if (entity.status === 'DELETED') return [];
  const deleted = [entity.guid];
  entity.status = 'DELETED';
  entity.updateTime = now;
  entity.updatedBy = user;
  for (const candidates of view.entityType(entity).relationshipAttributes.values()) {
    for (const attr of candidates.filter((candidate) => candidate.isOwnedRef)) {
      for (const owned of view.activeRelatedEntities(entity, attr)) {
        deleted.push(...softDeleteEntity(view, owned.entity, user, now));
      }
    }
  }
  for (const relationship of view.graph.relationshipsOf(entity.guid)) {
    if (relationship.status === 'ACTIVE') {
      relationship.status = 'DELETED';
      relationship.updateTime = now;
      relationship.updatedBy = user;
    }
  }
  return deleted;
}

function toObjectIdRef(value: Record<string, unknown>): ObjectIdRef {
  return {
    ...(value['guid'] !== undefined && value['guid'] !== null ? { guid: javaString(value['guid']) } : {}),
    ...(typeof value['typeName'] === 'string' && value['typeName'] !== '' ? { typeName: value['typeName'] } : {}),
    ...(isPlainObject(value['uniqueAttributes']) ? { uniqueAttributes: value['uniqueAttributes'] } : {}),
    ...(typeof value['relationshipType'] === 'string' ? { relationshipType: value['relationshipType'] } : {}),
  };
}

function refKey(objectId: ObjectIdRef): string {
  return JSON.stringify([objectId.typeName, objectId.uniqueAttributes]);
}

/** With several relationship types behind one attribute name, `relationshipType` in the value picks one. */
function pickRelationshipAttribute(candidates: RelationshipAttribute[], value: unknown): RelationshipAttribute {
  const first = Array.isArray(value) ? value[0] : value;
  const wanted = isPlainObject(first) ? first['relationshipType'] : undefined;
  return candidates.find((candidate) => candidate.relationshipType === wanted) ?? (candidates[0] as RelationshipAttribute);
}

/**
 * On create Atlas maps every attribute of the type (EntityGraphMapper.mapAttributes with CREATE): what was not sent,
 * or sent as null, is stored as its default when it has one (storedDefault), so GET returns it.
 */
function withStoredDefaults(entity: RequestEntity, attributes: Record<string, unknown>): Record<string, unknown> {
  const stored: Record<string, unknown> = {};
  for (const attr of entity.type.attributes.values()) {
    const sent = attributes[attr.name];
    const value = sent === null || sent === undefined ? storedDefault(attr) : sent;
    if (value !== undefined) stored[attr.name] = value;
  }
  return stored;
}
