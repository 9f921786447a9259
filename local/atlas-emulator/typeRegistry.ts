// Typedef storage with Atlas's create and update rules, boot-time patches, GET filters, and access to the
// resolved entity types (see typeResolution.ts).
// Rules follow AtlasTypeDefGraphStore, AtlasStructDefStoreV2.updateVertexPreUpdate and AtlasTypeDefStoreInitializer.

import { randomUUID } from 'node:crypto';
import type { AtlasAttributeDef, AtlasBaseTypeDef, AtlasRelationshipDef, AtlasTypesDef } from '../../lib/atlas/model.js';
import { AtlasError } from './errors.js';
import {
  addToList,
  attributeDefsOf,
  emptyTypesDef,
  normalizeAttributeDef,
  readTypesDef,
  stringList,
  TYPEDEF_LISTS,
  type StoredTypeDef,
  type TypeCategory,
} from './typeDefs.js';
import { checkRelationshipUpdate, validateReferences } from './typeDefValidation.js';
import {
  collectSuperTypes,
  renderRelationshipAttributeDefs,
  resolveTypes,
  type EntityTypeInfo,
  type ResolvedTypes,
  type StructTypeInfo,
} from './typeResolution.js';

export type { StoredTypeDef, TypeCategory } from './typeDefs.js';
export type { EntityTypeInfo, RelationshipAttribute, ResolvedAttribute, StructTypeInfo } from './typeResolution.js';

/** What GET /v2/types/typedefs accepts as filters (SearchFilter / FilterUtil). */
export interface TypeDefFilter {
  type?: string;
  name?: string;
  supertype?: string;
  notsupertype?: string;
  servicetype?: string;
  notservicetype?: string;
}

export class TypeRegistry {
  /** Every def by name, in creation order. */
  private readonly defs = new Map<string, StoredTypeDef>();
  private resolvedCache: ResolvedTypes | undefined;

  // ---- reads ----

  get(name: string): StoredTypeDef | undefined {
    return this.defs.get(name);
  }

  entityType(name: string): EntityTypeInfo | undefined {
    return this.resolved().entityTypes.get(name);
  }

  structType(name: string): StructTypeInfo | undefined {
    return this.resolved().structTypes.get(name);
  }

  enumValues(name: string): string[] | undefined {
    return this.resolved().enumValues.get(name);
  }

  /** `type` itself or one of its subtypes. */
  isTypeOrSubType(typeName: string, ofType: string): boolean {
    return typeName === ofType || (this.entityType(typeName)?.allSuperTypes.has(ofType) ?? false);
  }

  /** The def as GET returns it; entity defs gain subTypes and relationshipAttributeDefs. */
  render(def: StoredTypeDef): AtlasBaseTypeDef {
    const copy = structuredClone(def);
    if (def.category !== 'ENTITY') {
      return copy;
    }
    const info = this.entityType(def.name);
    copy['subTypes'] = info ? [...info.directSubTypes] : [];
    copy['relationshipAttributeDefs'] = info ? renderRelationshipAttributeDefs(info) : [];
    return copy;
  }

  list(filter: TypeDefFilter): AtlasTypesDef {
    const result = emptyTypesDef();
    for (const def of this.defs.values()) {
      if (this.matchesFilter(def, filter)) {
        addToList(result, def.category, this.render(def));
      }
    }
    return result;
  }

  headers(filter: TypeDefFilter): { guid?: string; name: string; category: TypeCategory; serviceType?: string }[] {
    return [...this.defs.values()]
      .filter((def) => this.matchesFilter(def, filter))
      .map((def) => ({ guid: def.guid, name: def.name, category: def.category, serviceType: def.serviceType }));
  }

  // ---- writes ----

  /** POST /v2/types/typedefs: all-or-nothing create. */
  create(typesDef: AtlasTypesDef, user: string): AtlasTypesDef {
    const incoming = readTypesDef(typesDef);
    const candidate = new Map(this.defs);
    for (const def of incoming) {
      if (!this.defs.has(def.name)) candidate.set(def.name, def);
    }
    // Unknown references are found first (tryTypeCreation), then existing names (preCreate in the def stores).
    validateReferences(incoming, candidate);
    const existing = incoming.find((def) => this.defs.has(def.name));
    if (existing) {
      throw new AtlasError('ATLAS-409-00-001', existing.name);
    }
    const now = Date.now();
    const result = emptyTypesDef();
    for (const def of incoming) {
      const stored = { ...def, guid: randomUUID(), createdBy: user, updatedBy: user, createTime: now, updateTime: now, version: 1 };
      this.defs.set(def.name, stored);
      addToList(result, def.category, stored);
    }
    this.invalidate();
    return renderAll(this, result);
  }

  /** PUT /v2/types/typedefs: updates existing defs; only compatible changes are allowed. */
  update(typesDef: AtlasTypesDef, user: string): AtlasTypesDef {
    const incoming = readTypesDef(typesDef);
    const candidate = new Map(this.defs);
    const updated: StoredTypeDef[] = [];
    for (const def of incoming) {
      const current = this.defs.get(def.name);
      if (!current || current.category !== def.category) {
        throw new AtlasError('ATLAS-400-00-029', `Given typename ${def.name} was invalid`);
      }
      const next = this.checkedUpdate(current, def);
      const stored = {
        ...next,
        guid: current.guid,
        createdBy: current.createdBy,
        createTime: current.createTime,
        updatedBy: user,
        updateTime: Date.now(),
        version: (typeof current['version'] === 'number' ? current['version'] : 1) + 1,
      };
      candidate.set(def.name, stored);
      updated.push(stored);
    }
    validateReferences(updated, candidate);
    const result = emptyTypesDef();
    for (const def of updated) {
      this.defs.set(def.name, def);
      addToList(result, def.category, def);
    }
    this.invalidate();
    return renderAll(this, result);
  }

  /**
   * Loads a typedef file at boot the way AtlasTypeDefStoreInitializer does: types that already exist are
   * left alone; the rest is validated and created.
   */
  bootstrap(typesDef: AtlasTypesDef): void {
    const fresh = readTypesDef(typesDef).filter((def) => !this.defs.has(def.name));
    if (fresh.length === 0) return;
    const list = emptyTypesDef();
    for (const def of fresh) addToList(list, def.category, def);
    this.create(list, 'admin');
  }

  /** Server-side typedef patch (models/**\/patches); true when applied. */
  applyPatch(patch: TypeDefPatch): boolean {
    const current = this.defs.get(patch.typeName);
    if (!current || !isPatchNeeded(current, patch)) {
      return false;
    }
    const next = structuredClone(current);
    switch (patch.action) {
      case 'ADD_ATTRIBUTE':
      case 'UPDATE_ATTRIBUTE':
        next['attributeDefs'] = upsertAttributes(attributeDefsOf(next), (patch.attributeDefs ?? []).map(normalizeAttributeDef));
        break;
      case 'ADD_SUPER_TYPES': {
        const superTypes = stringList(next['superTypes']);
        next['superTypes'] = [...superTypes, ...(patch.superTypes ?? []).filter((name) => !superTypes.includes(name))];
        break;
      }
      default:
        return false;
    }
    next.typeVersion = patch.updateToVersion ?? next.typeVersion;
    const candidate = new Map(this.defs).set(next.name, next);
    validateReferences([next], candidate);
    this.defs.set(next.name, next);
    this.invalidate();
    return true;
  }

  // ---- internals ----

  private checkedUpdate(current: StoredTypeDef, next: StoredTypeDef): StoredTypeDef {
    if (current.category === 'RELATIONSHIP') {
      checkRelationshipUpdate(current as unknown as AtlasRelationshipDef, next as unknown as AtlasRelationshipDef);
    }
    if (current.category === 'ENTITY' || current.category === 'CLASSIFICATION') {
      const newSuperTypes = stringList(next['superTypes']);
      if (stringList(current['superTypes']).some((name) => !newSuperTypes.includes(name))) {
        throw new AtlasError('ATLAS-400-00-00E');
      }
    }
    if (current.category === 'ENUM') {
      return next;
    }
    return { ...next, attributeDefs: this.checkedAttributeUpdate(current, next) };
  }

  private checkedAttributeUpdate(current: StoredTypeDef, next: StoredTypeDef): AtlasAttributeDef[] {
    const currentAttributes = attributeDefsOf(current);
    const nextAttributes = attributeDefsOf(next);
    const missing = currentAttributes.find((attr) => !nextAttributes.some((n) => n.name === attr.name));
    if (missing) {
      throw new AtlasError('ATLAS-400-00-00D', current.name, missing.name);
    }
    const kept: AtlasAttributeDef[] = [];
    for (const attr of nextAttributes) {
      const existing = currentAttributes.find((c) => c.name === attr.name);
      if (!existing) {
        // An attribute that a relationship already provides as legacy end is ignored, as Atlas does.
        if (this.isLegacyRelationshipEnd(current.name, attr.name)) continue;
        if (!attr.isOptional) {
          throw new AtlasError('ATLAS-400-00-00C', current.name, attr.name);
        }
      } else if (existing.typeName !== attr.typeName) {
        throw new AtlasError('ATLAS-400-00-029', 'Data type update for attribute is not supported');
      }
      kept.push(attr);
    }
    return kept;
  }

  private isLegacyRelationshipEnd(typeName: string, attributeName: string): boolean {
    for (const def of this.defs.values()) {
      if (def.category !== 'RELATIONSHIP') continue;
      const relationship = def as unknown as AtlasRelationshipDef;
      for (const end of [relationship.endDef1, relationship.endDef2]) {
        if (end.type === typeName && end.name === attributeName && end.isLegacyAttribute) return true;
      }
    }
    return false;
  }

  private matchesFilter(def: StoredTypeDef, filter: TypeDefFilter): boolean {
    if (filter.type && !categoryMatchesFilter(def.category, filter.type)) return false;
    if (filter.name && def.name !== filter.name) return false;
    if (filter.servicetype && def.serviceType !== filter.servicetype) return false;
    if (filter.notservicetype && def.serviceType === filter.notservicetype) return false;
    const superTypes = this.allSuperTypesOf(def);
    if (filter.supertype && !superTypes.has(filter.supertype)) return false;
    if (filter.notsupertype && superTypes.has(filter.notsupertype)) return false;
    return true;
  }

  private allSuperTypesOf(def: StoredTypeDef): Set<string> {
    if (def.category === 'ENTITY') return this.entityType(def.name)?.allSuperTypes ?? new Set();
    if (def.category === 'CLASSIFICATION') return collectSuperTypes(def.name, this.defs);
    return new Set();
  }

  private invalidate(): void {
    this.resolvedCache = undefined;
  }

  private resolved(): ResolvedTypes {
    this.resolvedCache ??= resolveTypes(this.defs);
    return this.resolvedCache;
  }
}

// ---- typedef patches ----

export interface TypeDefPatch {
  id?: string;
  action: string;
  typeName: string;
  applyToVersion?: string;
  updateToVersion?: string;
  attributeDefs?: AtlasAttributeDef[];
  superTypes?: string[];
}

/**
 * Atlas applies a patch only when the type's typeVersion equals its applyToVersion, which works because every
 * patch in the chain is shipped. Only some patches are copied here and the model files already contain the
 * result of several, so a patch is applied when the type has not yet reached the patch's updateToVersion.
 */
function isPatchNeeded(current: StoredTypeDef, patch: TypeDefPatch): boolean {
  if (!patch.updateToVersion || !current.typeVersion) return true;
  return compareVersions(current.typeVersion, patch.updateToVersion) < 0;
}

function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function upsertAttributes(current: AtlasAttributeDef[], changes: AtlasAttributeDef[]): AtlasAttributeDef[] {
  const result = [...current];
  for (const change of changes) {
    const index = result.findIndex((attr) => attr.name === change.name);
    if (index >= 0) result[index] = change;
    else result.push(change);
  }
  return result;
}

// ---- small helpers ----

function categoryMatchesFilter(category: TypeCategory, filterType: string): boolean {
  const wanted = filterType.toUpperCase();
  if (wanted === 'CLASS') return category === 'ENTITY';
  if (wanted === 'TRAIT') return category === 'CLASSIFICATION';
  return category === wanted;
}

function renderAll(registry: TypeRegistry, typesDef: Required<AtlasTypesDef>): AtlasTypesDef {
  const result = emptyTypesDef();
  for (const [listName, category] of TYPEDEF_LISTS) {
    for (const def of typesDef[listName] as AtlasBaseTypeDef[]) {
      addToList(result, category, registry.render({ ...def, category }));
    }
  }
  return result;
}
