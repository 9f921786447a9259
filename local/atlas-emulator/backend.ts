// The emulator's state (typedefs and entities) and the operations behind the REST routes.
// Every entity write runs on a copy of the graph that replaces the current one only when it succeeds,
// which gives Atlas's one-transaction-per-request atomicity.

import type {
  AtlasEntitiesWithExtInfo,
  AtlasEntity,
  AtlasEntityHeader,
  AtlasEntityWithExtInfo,
  AtlasLineageInfo,
  EntityAuditEventV2,
  EntityMutationResponse,
} from '../../lib/atlas/model.js';
import { randomUUID } from 'node:crypto';
import { createOrUpdate, softDeleteEntity, type MutationInput, type ObjectIdRef } from './entityMutation.js';
import { EntityGraph, EntityView, type RenderOptions, type StoredEntity } from './entityStore.js';
import { AtlasError } from './errors.js';
import { lineage, type LineageDirection } from './lineage.js';
import { TypeRegistry, type EntityTypeInfo } from './typeRegistry.js';
import { javaString } from './values.js';

export type UniqueAttributes = Record<string, string>;

export interface BasicSearchResult {
  queryType: 'BASIC';
  searchParameters: Record<string, unknown>;
  entities?: AtlasEntityHeader[];
  approximateCount: number;
}

export class AtlasBackend {
  readonly registry = new TypeRegistry();
  private graph = new EntityGraph();
  /** Entity audit (EntityAuditListenerV2 into an audit repository), by entity guid, oldest first. */
  private audit = new Map<string, EntityAuditEventV2[]>();

  view(): EntityView {
    return new EntityView(this.registry, this.graph);
  }

  private write<T>(change: (view: EntityView) => T, user: string): T {
    const before = new Map([...this.graph.entities.values()].map((e) => [e.guid, { status: e.status, version: e.version }]));
    const working = this.graph.clone();
    const result = change(new EntityView(this.registry, working));
    this.graph = working;
    this.recordAudit(before, user);
    return result;
  }

  /**
   * One audit event per entity the write created, updated (its version moved) or deleted, as Atlas's
   * EntityAuditListenerV2 writes them: details "Created: <entity json>", "Updated: <entity json>", "Deleted entity".
   */
  private recordAudit(before: Map<string, { status: string; version: number }>, user: string): void {
    const view = this.view();
    const now = Date.now();
    for (const entity of this.graph.entities.values()) {
      const previous = before.get(entity.guid);
      let action: 'ENTITY_CREATE' | 'ENTITY_UPDATE' | 'ENTITY_DELETE' | undefined;
      if (previous === undefined) action = 'ENTITY_CREATE';
      else if (previous.status === 'ACTIVE' && entity.status === 'DELETED') action = 'ENTITY_DELETE';
      else if (entity.status === 'ACTIVE' && previous.version !== entity.version) action = 'ENTITY_UPDATE';
      if (action === undefined) continue;
      const json = view.entityJson(entity);
      const details =
        action === 'ENTITY_DELETE' ? 'Deleted entity' : `${action === 'ENTITY_CREATE' ? 'Created' : 'Updated'}: ${JSON.stringify(json)}`;
      const events = this.audit.get(entity.guid) ?? [];
      // Row keys order events newest first, as Atlas's audit repositories scan them.
      const eventKey = `${entity.guid}:${now}:${events.length}`;
      events.push({ entityId: entity.guid, timestamp: now, user, action, details, eventKey, entity: null, type: 'ENTITY_AUDIT_V2' });
      this.audit.set(entity.guid, events);
    }
  }

  /** GET /v2/entity/{guid}/audit: newest first, at most `count`; a guid never stored is 404 ATLAS-404-00-005. */
  auditEvents(guid: string, count: number): EntityAuditEventV2[] {
    if (!this.graph.entities.has(guid)) throw new AtlasError('ATLAS-404-00-005', guid);
    return [...(this.audit.get(guid) ?? [])].reverse().slice(0, Math.max(0, count));
  }

  resetEntities(): void {
    this.graph = new EntityGraph();
    this.audit = new Map();
  }

  allEntities(): AtlasEntity[] {
    const view = this.view();
    return [...this.graph.entities.values()].map((entity) => structuredClone(view.entityJson(entity)));
  }

  // ---- entity writes ----

  createOrUpdate(input: MutationInput, user: string): EntityMutationResponse {
    return this.write((view) => createOrUpdate(view, input, { partial: false, user }), user);
  }

  /** PUT /v2/entity/uniqueAttribute/type/{t}: partial update of an existing entity; never creates. */
  partialUpdateByUniqueAttributes(typeName: string, unique: UniqueAttributes, body: unknown, user: string): EntityMutationResponse {
    const type = this.checkedEntityType(typeName);
    checkUniqueAttributeNames(type, unique);
    const info = body as Partial<AtlasEntityWithExtInfo> | null | undefined;
    if (!info || typeof info !== 'object' || !info.entity || typeof info.entity !== 'object') {
      throw new AtlasError('ATLAS-400-00-01A', 'no entity to update.');
    }
    const found = this.findByUniqueAttributesOrFail(type, unique);
    const entity = { ...info.entity, guid: found.guid };
    if (typeof entity.typeName !== 'string' || !this.registry.entityType(entity.typeName)) {
      throw new AtlasError('ATLAS-400-00-014', 'ENTITY', javaString(entity.typeName));
    }
    const input: MutationInput = { entities: [entity], referredEntities: info.referredEntities ?? {} };
    return this.write((view) => createOrUpdate(view, input, { partial: true, user }), user);
  }

  /** DELETE /v2/entity/guid/{guid}: an unknown or already deleted guid is not an error, nothing happens. */
  deleteByGuid(guid: string, user: string): EntityMutationResponse {
    return this.write((view) => {
      const entity = view.findByGuid(guid);
      return entity ? deleteResponse(view, entity, user) : {};
    }, user);
  }

  /**
   * DELETE /v2/entity/uniqueAttribute/type/{t}: AtlasEntityStoreV2.deleteByUniqueAttributes deletes only when
   * findByUniqueAttributes finds an ACTIVE entity, so a missing or already deleted one answers 200 `{}`.
   */
  deleteByUniqueAttributes(typeName: string, unique: UniqueAttributes, user: string): EntityMutationResponse {
    const type = this.checkedEntityType(typeName);
    checkUniqueAttributeNames(type, unique);
    return this.write((view) => {
      const found = view.findByUniqueAttributes(type.name, unique);
      return found ? deleteResponse(view, found, user) : {};
    }, user);
  }

  /**
   * POST /v2/relationship (AtlasRelationshipStoreV2.create): ends by guid, or by type and unique attributes;
   * both must exist (404 ATLAS-404-00-005) and fit the relationship's end types (400 ATLAS-400-00-036). Only an
   * ACTIVE relationship of the type between the same ends is refused (409 ATLAS-409-00-004): a DELETED one is
   * left as it is and a new edge made, which is how a lineage input Atlas left DELETED is linked again.
   */
  createRelationship(body: unknown, user: string): Record<string, unknown> {
    const request = (body ?? {}) as { typeName?: unknown; end1?: ObjectIdRef; end2?: ObjectIdRef };
    const typeName = typeof request.typeName === 'string' ? request.typeName : '';
    const def = this.registry.get(typeName);
    if (!def || def.category !== 'RELATIONSHIP') throw new AtlasError('ATLAS-400-00-014', 'RELATIONSHIP', typeName);
    return this.write((view) => {
      const end = (ref: ObjectIdRef | undefined): StoredEntity => {
        const found = ref?.guid !== undefined
          ? view.findByGuid(String(ref.guid))
          : typeof ref?.typeName === 'string' ? view.findByUniqueAttributes(ref.typeName, ref.uniqueAttributes ?? {}) : undefined;
        if (!found || found.status !== 'ACTIVE') throw new AtlasError('ATLAS-404-00-005', javaString(ref?.guid ?? null));
        return found;
      };
      const [end1, end2] = [end(request.end1), end(request.end2)];
      const endType = (n: 1 | 2) => ((def as Record<string, unknown>)[`endDef${n}`] as { type?: string } | undefined)?.type ?? '';
      if (!this.registry.isTypeOrSubType(end1.typeName, endType(1)) || !this.registry.isTypeOrSubType(end2.typeName, endType(2))) {
        throw new AtlasError('ATLAS-400-00-036', typeName, end1.typeName, end2.typeName, endType(1), endType(2));
      }
      const active = view.graph.relationshipsOf(end1.guid).some(
        (r) => r.typeName === typeName && r.status === 'ACTIVE' && r.end1Guid === end1.guid && r.end2Guid === end2.guid,
      );
      if (active) throw new AtlasError('ATLAS-409-00-004', typeName, end1.guid, end2.guid);
      const now = Date.now();
      const relationship = { guid: randomUUID(), typeName, end1Guid: end1.guid, end2Guid: end2.guid, status: 'ACTIVE' as const, createdBy: user, updatedBy: user, createTime: now, updateTime: now };
      view.graph.addRelationship(relationship);
      return {
        typeName, guid: relationship.guid, status: 'ACTIVE', version: 0, createdBy: user, updatedBy: user, createTime: now, updateTime: now,
        end1: view.objectId(end1), end2: view.objectId(end2), propagateTags: 'NONE', attributes: {},
      };
    }, user);
  }

  // ---- entity reads ----

  getByGuid(guid: string, options: RenderOptions): AtlasEntityWithExtInfo {
    const view = this.view();
    const entity = view.findByGuid(guid);
    if (!entity) throw new AtlasError('ATLAS-404-00-005', guid);
    return view.withExtInfo(entity, options);
  }

  /** GET /v2/entity/bulk?guid=…: every guid must exist. */
  getByGuids(guids: string[], options: RenderOptions): AtlasEntitiesWithExtInfo {
    const view = this.view();
    const entities = guids.map((guid) => {
      const entity = view.findByGuid(guid);
      if (!entity) throw new AtlasError('ATLAS-404-00-005', guid);
      return entity;
    });
    return collectEntities(view, entities, options);
  }

  getByUniqueAttributes(typeName: string, unique: UniqueAttributes, options: RenderOptions): AtlasEntityWithExtInfo {
    const type = this.checkedEntityType(typeName);
    checkUniqueAttributeNames(type, unique);
    return this.view().withExtInfo(this.findByUniqueAttributesOrFail(type, unique), options);
  }

  getHeaderByUniqueAttributes(typeName: string, unique: UniqueAttributes): AtlasEntityHeader {
    const type = this.checkedEntityType(typeName);
    checkUniqueAttributeNames(type, unique);
    return this.view().header(this.findByUniqueAttributesOrFail(type, unique));
  }

  /**
   * GET /v2/entity/bulk/uniqueAttribute/type/{t}: entities that are not found are skipped
   * (EntityGraphRetriever.getEntitiesByUniqueAttributes); with none found the body is `{}`.
   */
  getEntitiesByUniqueAttributes(typeName: string, uniqueList: UniqueAttributes[], options: RenderOptions): AtlasEntitiesWithExtInfo {
    const type = this.checkedEntityType(typeName);
    uniqueList.forEach((unique) => checkUniqueAttributeNames(type, unique));
    const view = this.view();
    const found = uniqueList
      .map((unique) => view.findByUniqueAttributes(type.name, unique))
      .filter((entity): entity is StoredEntity => entity !== undefined);
    return collectEntities(view, found, options);
  }

  /** GET /v2/search/basic with a typeName: ACTIVE entities of the type and its subtypes. */
  basicSearch(typeName: string, limit: number, offset: number): BasicSearchResult {
    if (!this.registry.entityType(typeName)) throw new AtlasError('ATLAS-400-00-00A', typeName);
    const view = this.view();
    const all = view.activeEntitiesOfType(typeName);
    const page = all.slice(offset, offset + limit).map((entity) => view.header(entity));
    return {
      queryType: 'BASIC',
      searchParameters: { typeName, excludeDeletedEntities: true, includeSubTypes: true, limit, offset },
      ...(page.length > 0 ? { entities: page } : {}),
      approximateCount: all.length,
    };
  }

  lineageByGuid(guid: string, direction: LineageDirection, depth: number): AtlasLineageInfo {
    return lineage(this.view(), guid, direction, depth);
  }

  lineageByUniqueAttributes(typeName: string, unique: UniqueAttributes, direction: LineageDirection, depth: number): AtlasLineageInfo {
    const type = this.checkedEntityType(typeName);
    checkUniqueAttributeNames(type, unique);
    const entity = this.findByUniqueAttributesOrFail(type, unique);
    return lineage(this.view(), entity.guid, direction, depth);
  }

  // ---- helpers ----

  /** EntityREST.ensureEntityType. */
  checkedEntityType(typeName: string): EntityTypeInfo {
    const type = this.registry.entityType(typeName);
    if (!type) throw new AtlasError('ATLAS-400-00-014', 'ENTITY', typeName);
    return type;
  }

  private findByUniqueAttributesOrFail(type: EntityTypeInfo, unique: UniqueAttributes): StoredEntity {
    const entity = this.view().findByUniqueAttributes(type.name, unique);
    if (!entity) throw new AtlasError('ATLAS-404-00-009', type.name, javaString(unique));
    return entity;
  }
}

/** EntityREST.validateUniqueAttribute: at least one name, each a unique attribute of the type (inherited ones count). */
function checkUniqueAttributeNames(type: EntityTypeInfo, unique: UniqueAttributes): void {
  const names = Object.keys(unique);
  if (names.length === 0) throw new AtlasError('ATLAS-400-00-013', type.name, '');
  for (const name of names) {
    if (!type.attributes.get(name)?.isUnique) throw new AtlasError('ATLAS-400-00-013', type.name, name);
  }
}

function deleteResponse(view: EntityView, entity: StoredEntity, user: string): EntityMutationResponse {
  const deleted = softDeleteEntity(view, entity, user, Date.now());
  if (deleted.length === 0) return {};
  return { mutatedEntities: { DELETE: deleted.map((guid) => view.header(view.findByGuid(guid) as StoredEntity)) } };
}

/** AtlasEntitiesWithExtInfo after compact(): referredEntities never repeat a top-level entity; empty parts are omitted. */
function collectEntities(view: EntityView, entities: StoredEntity[], options: RenderOptions): AtlasEntitiesWithExtInfo {
  const referred = new Map<string, AtlasEntity>();
  const result: AtlasEntity[] = [];
  for (const entity of entities) {
    result.push(referred.get(entity.guid) ?? view.entityJson(entity, options, referred));
  }
  for (const entity of entities) referred.delete(entity.guid);
  const body: Partial<AtlasEntitiesWithExtInfo> = {};
  if (referred.size > 0 || result.length > 0) body.referredEntities = Object.fromEntries(referred);
  if (result.length > 0) body.entities = result;
  return body as AtlasEntitiesWithExtInfo;
}
