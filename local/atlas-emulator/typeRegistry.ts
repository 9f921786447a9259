// Typedef storage, create/update validation and the resolved view of entity types (inheritance, relationship
// attributes, unique attributes) that the entity store works with.
// Rules follow AtlasTypeDefGraphStore, AtlasStructDefStoreV2.updateVertexPreUpdate, AtlasRelationshipType and
// AtlasEntityType in apache/atlas.

import { randomUUID } from 'node:crypto';
import type {
  AtlasAttributeDef,
  AtlasBaseTypeDef,
  AtlasRelationshipDef,
  AtlasRelationshipEndDef,
  AtlasTypesDef,
} from '../../lib/atlas/model.js';
import { AtlasError } from './errors.js';
import { PRIMITIVE_TYPE_NAMES, namedTypesIn, parseTypeName, type ParsedTypeName } from './typeNames.js';
import { isPlainObject } from './values.js';

export type TypeCategory = 'ENUM' | 'STRUCT' | 'CLASSIFICATION' | 'ENTITY' | 'RELATIONSHIP' | 'BUSINESS_METADATA';
export type TypeDefListName = keyof AtlasTypesDef;

/** The six lists of AtlasTypesDef and the category of the defs in each. */
export const TYPEDEF_LISTS: readonly (readonly [TypeDefListName, TypeCategory])[] = [
  ['enumDefs', 'ENUM'],
  ['structDefs', 'STRUCT'],
  ['classificationDefs', 'CLASSIFICATION'],
  ['entityDefs', 'ENTITY'],
  ['relationshipDefs', 'RELATIONSHIP'],
  ['businessMetadataDefs', 'BUSINESS_METADATA'],
];

/** A stored def: the JSON Atlas returns for it, server fields included. */
export type StoredTypeDef = AtlasBaseTypeDef & { category: TypeCategory };

export interface ResolvedAttribute {
  name: string;
  typeName: string;
  parsedType: ParsedTypeName;
  isOptional: boolean;
  isUnique: boolean;
  /** The type whose attributeDefs declare it (a supertype for inherited attributes). */
  declaringType: string;
}

/** An attribute that a relationshipDef end adds to an entity type. */
export interface RelationshipAttribute {
  name: string;
  relationshipType: string;
  /** Which end of the relationship the entity holding this attribute sits on. */
  end: 1 | 2;
  /** The end's entity type (a supertype of the holder for inherited relationship attributes). */
  declaringType: string;
  /** The entity type at the other end. */
  targetType: string;
  cardinality: 'SINGLE' | 'SET';
  isOptional: boolean;
  /** Container end of a COMPOSITION: the referenced entities belong to the holder (deleted with it, sent in referredEntities). */
  isOwnedRef: boolean;
  isLegacy: boolean;
  /** The type also lists it in attributeDefs (e.g. Process.inputs); GET then always shows it under `attributes`. */
  isDefinedAttribute: boolean;
  /** Cardinality of the attribute on the other end. */
  targetCardinality: 'SINGLE' | 'SET';
}

export interface EntityTypeInfo {
  name: string;
  def: StoredTypeDef;
  superTypes: string[];
  allSuperTypes: Set<string>;
  allSubTypes: Set<string>;
  directSubTypes: string[];
  /** Own and inherited attributes that are not relationship attributes, supertypes' first. */
  attributes: Map<string, ResolvedAttribute>;
  /** Own and inherited relationship attributes; a name can come from several relationship types. */
  relationshipAttributes: Map<string, RelationshipAttribute[]>;
  uniqueAttributes: ResolvedAttribute[];
  /** Attributes an AtlasEntityHeader carries: the unique ones, then name/description/owner/createTime. */
  headerAttributeNames: string[];
}

export interface StructTypeInfo {
  name: string;
  attributes: ResolvedAttribute[];
}

/** What GET /v2/types/typedefs accepts as filters (SearchFilter / FilterUtil). */
export interface TypeDefFilter {
  type?: string;
  name?: string;
  supertype?: string;
  notsupertype?: string;
  servicetype?: string;
  notservicetype?: string;
}

interface ResolvedTypes {
  entityTypes: Map<string, EntityTypeInfo>;
  structTypes: Map<string, StructTypeInfo>;
  enumValues: Map<string, string[]>;
}

const HEADER_ATTRIBUTE_NAMES = ['name', 'description', 'owner', 'createTime'];
const INT_MAX = 2147483647;

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

// ---- reading request bodies ----

/** Reads the six lists of a request body into normalized defs, dropping properties Atlas does not know. */
function readTypesDef(typesDef: AtlasTypesDef): StoredTypeDef[] {
  const result: StoredTypeDef[] = [];
  for (const [listName, category] of TYPEDEF_LISTS) {
    const list: unknown = typesDef[listName];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      throw new AtlasError('ATLAS-400-00-01A', `${listName} must be a list`);
    }
    for (const raw of list) {
      result.push(normalizeDef(category, raw));
    }
  }
  return result;
}

const BASE_FIELDS = ['name', 'description', 'typeVersion', 'serviceType', 'options'] as const;

function normalizeDef(category: TypeCategory, raw: unknown): StoredTypeDef {
  if (!isPlainObject(raw) || typeof raw['name'] !== 'string' || raw['name'] === '') {
    throw new AtlasError('ATLAS-400-00-01A', 'typedef without a name');
  }
  const def: StoredTypeDef = { category, name: raw['name'] };
  for (const field of BASE_FIELDS) {
    if (raw[field] !== undefined && raw[field] !== null) def[field] = raw[field] as never;
  }
  def.typeVersion ??= '1.0';
  switch (category) {
    case 'ENUM':
      def['elementDefs'] = normalizeEnumElements(raw['elementDefs']);
      if (typeof raw['defaultValue'] === 'string') def['defaultValue'] = raw['defaultValue'];
      break;
    case 'ENTITY':
    case 'CLASSIFICATION':
      def['superTypes'] = stringList(raw['superTypes']);
      def['attributeDefs'] = normalizeAttributeDefs(raw['attributeDefs']);
      if (category === 'CLASSIFICATION' && raw['entityTypes'] !== undefined) def['entityTypes'] = stringList(raw['entityTypes']);
      break;
    case 'RELATIONSHIP':
      def['relationshipCategory'] = typeof raw['relationshipCategory'] === 'string' ? raw['relationshipCategory'] : 'ASSOCIATION';
      def['propagateTags'] = typeof raw['propagateTags'] === 'string' ? raw['propagateTags'] : 'NONE';
      if (typeof raw['relationshipLabel'] === 'string') def['relationshipLabel'] = raw['relationshipLabel'];
      def['attributeDefs'] = normalizeAttributeDefs(raw['attributeDefs']);
      def['endDef1'] = normalizeEndDef(raw['endDef1']);
      def['endDef2'] = normalizeEndDef(raw['endDef2']);
      break;
    case 'STRUCT':
    case 'BUSINESS_METADATA':
      def['attributeDefs'] = normalizeAttributeDefs(raw['attributeDefs']);
      break;
  }
  return def;
}

function normalizeEnumElements(raw: unknown): { value: string; ordinal: number; description?: string }[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isPlainObject).map((element, index) => ({
    value: String(element['value']),
    ordinal: typeof element['ordinal'] === 'number' ? element['ordinal'] : index,
    ...(typeof element['description'] === 'string' ? { description: element['description'] } : {}),
  }));
}

function normalizeAttributeDefs(raw: unknown): AtlasAttributeDef[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isPlainObject).map((attr) => normalizeAttributeDef(attr as unknown as AtlasAttributeDef));
}

const OPTIONAL_ATTRIBUTE_FIELDS = ['defaultValue', 'description', 'indexType', 'constraints', 'options', 'displayName'] as const;

/** Fills AtlasAttributeDef defaults. A missing isOptional means mandatory, as with Jackson and AtlasAttributeDef(). */
function normalizeAttributeDef(raw: AtlasAttributeDef): AtlasAttributeDef {
  const isOptional = raw.isOptional === true;
  const cardinality = raw.cardinality ?? 'SINGLE';
  const def: AtlasAttributeDef = {
    name: String(raw.name),
    typeName: String(raw.typeName),
    isOptional,
    cardinality,
    valuesMinCount: validCount(raw.valuesMinCount) ?? (isOptional ? 0 : 1),
    valuesMaxCount: validCount(raw.valuesMaxCount) ?? (cardinality === 'SINGLE' ? 1 : INT_MAX),
    isUnique: raw.isUnique === true,
    isIndexable: raw.isIndexable === true,
    includeInNotification: raw['includeInNotification'] === true,
    searchWeight: typeof raw['searchWeight'] === 'number' ? raw['searchWeight'] : -1,
  };
  for (const field of OPTIONAL_ATTRIBUTE_FIELDS) {
    if (raw[field] !== undefined && raw[field] !== null) def[field] = raw[field] as never;
  }
  return def;
}

function validCount(value: unknown): number | undefined {
  return typeof value === 'number' && value >= 0 ? value : undefined;
}

function normalizeEndDef(raw: unknown): AtlasRelationshipEndDef | undefined {
  if (!isPlainObject(raw)) return undefined;
  return {
    type: String(raw['type']),
    name: String(raw['name']),
    cardinality: raw['cardinality'] === 'SET' || raw['cardinality'] === 'LIST' ? raw['cardinality'] : 'SINGLE',
    isContainer: raw['isContainer'] === true,
    isLegacyAttribute: raw['isLegacyAttribute'] === true,
    ...(typeof raw['description'] === 'string' ? { description: raw['description'] } : {}),
  };
}

// ---- validation ----

/** Every type a def refers to must exist (400 ATLAS-400-00-029); relationshipDefs must be well formed. */
function validateReferences(defs: StoredTypeDef[], all: Map<string, StoredTypeDef>): void {
  const invalid = (name: string): AtlasError => new AtlasError('ATLAS-400-00-029', `Given typename ${name} was invalid`);
  for (const def of defs) {
    if (def.category === 'ENTITY' || def.category === 'CLASSIFICATION') {
      for (const superType of stringList(def['superTypes'])) {
        if (all.get(superType)?.category !== def.category) throw invalid(superType);
      }
    }
    for (const attr of attributeDefsOf(def)) {
      for (const name of namedTypesIn(parseTypeName(attr.typeName))) {
        if (!isAttributeTypeName(name, all)) throw invalid(name);
      }
    }
    if (def.category === 'RELATIONSHIP') {
      validateRelationshipDef(def as unknown as AtlasRelationshipDef, all, invalid);
    }
  }
}

function isAttributeTypeName(name: string, all: Map<string, StoredTypeDef>): boolean {
  const category = all.get(name)?.category;
  return PRIMITIVE_TYPE_NAMES.has(name) || category === 'ENUM' || category === 'STRUCT' || category === 'ENTITY';
}

/** AtlasRelationshipType.validateAtlasRelationshipDef plus the end-type lookups of resolveReferences. */
function validateRelationshipDef(
  def: AtlasRelationshipDef,
  all: Map<string, StoredTypeDef>,
  invalid: (name: string) => AtlasError,
): void {
  const { endDef1, endDef2, name } = def;
  if (!endDef1 || !endDef2) throw new AtlasError('ATLAS-400-00-02C', name);
  for (const end of [endDef1, endDef2]) {
    if (all.get(end.type)?.category !== 'ENTITY') throw invalid(end.type);
  }
  if (endDef1.cardinality === 'LIST' || endDef2.cardinality === 'LIST') throw new AtlasError('ATLAS-400-00-034', name);
  if (endDef1.isContainer && endDef2.isContainer) throw new AtlasError('ATLAS-400-00-02D', name);
  const category = def.relationshipCategory ?? 'ASSOCIATION';
  const hasContainer = endDef1.isContainer || endDef2.isContainer;
  if (hasContainer && category === 'ASSOCIATION') throw new AtlasError('ATLAS-400-00-030', name);
  if (!hasContainer && category === 'COMPOSITION') throw new AtlasError('ATLAS-400-00-031', name);
  if (!hasContainer && category === 'AGGREGATION') throw new AtlasError('ATLAS-400-00-032', name);
  if (category === 'COMPOSITION') {
    for (const end of [endDef1, endDef2]) {
      if (end.cardinality === 'SET' && !end.isContainer) throw new AtlasError('ATLAS-400-00-033', name);
    }
  }
}

/** AtlasRelationshipDefStoreV2.preUpdateCheck: category and ends cannot change. */
function checkRelationshipUpdate(current: AtlasRelationshipDef, next: AtlasRelationshipDef): void {
  if (current.relationshipCategory !== next.relationshipCategory) {
    throw new AtlasError('ATLAS-400-00-039', current.name, String(next.relationshipCategory), String(current.relationshipCategory));
  }
  if (!sameEnd(current.endDef1, next.endDef1)) {
    throw new AtlasError('ATLAS-400-00-037', current.name, describeEnd(next.endDef1), describeEnd(current.endDef1));
  }
  if (!sameEnd(current.endDef2, next.endDef2)) {
    throw new AtlasError('ATLAS-400-00-038', current.name, describeEnd(next.endDef2), describeEnd(current.endDef2));
  }
}

function sameEnd(a: AtlasRelationshipEndDef | undefined, b: AtlasRelationshipEndDef | undefined): boolean {
  return a?.type === b?.type && a?.name === b?.name && a?.cardinality === b?.cardinality && a?.isContainer === b?.isContainer;
}

function describeEnd(end: AtlasRelationshipEndDef | undefined): string {
  if (!end) return 'null';
  return `AtlasRelationshipEndDef{type='${end.type}', name=='${end.name}', description=='${end.description ?? 'null'}', cardinality=='${end.cardinality}', isContainer=='${String(end.isContainer)}', isLegacyAttribute=='${String(end.isLegacyAttribute)}'}`;
}

// ---- resolution of the stored defs into the types the entity store uses ----

function resolveTypes(defs: Map<string, StoredTypeDef>): ResolvedTypes {
  const entityTypes = new Map<string, EntityTypeInfo>();
  const structTypes = new Map<string, StructTypeInfo>();
  const enumValues = new Map<string, string[]>();

  for (const def of defs.values()) {
    if (def.category === 'ENUM') {
      const elements = def['elementDefs'];
      enumValues.set(def.name, Array.isArray(elements) ? elements.map((e: { value: string }) => e.value) : []);
    } else if (def.category === 'STRUCT') {
      structTypes.set(def.name, { name: def.name, attributes: attributeDefsOf(def).map((a) => resolveAttribute(a, def.name)) });
    } else if (def.category === 'ENTITY') {
      entityTypes.set(def.name, newEntityTypeInfo(def, defs));
    }
  }
  linkSubTypes(entityTypes);
  for (const info of entityTypes.values()) {
    inheritAttributes(info, entityTypes);
  }
  for (const def of defs.values()) {
    if (def.category === 'RELATIONSHIP') {
      addRelationshipAttributes(def as unknown as AtlasRelationshipDef, entityTypes);
    }
  }
  for (const info of entityTypes.values()) {
    finishEntityType(info);
  }
  return { entityTypes, structTypes, enumValues };
}

function newEntityTypeInfo(def: StoredTypeDef, defs: Map<string, StoredTypeDef>): EntityTypeInfo {
  return {
    name: def.name,
    def,
    superTypes: stringList(def['superTypes']),
    allSuperTypes: collectSuperTypes(def.name, defs),
    allSubTypes: new Set(),
    directSubTypes: [],
    attributes: new Map(),
    relationshipAttributes: new Map(),
    uniqueAttributes: [],
    headerAttributeNames: [],
  };
}

function collectSuperTypes(name: string, defs: Map<string, StoredTypeDef>): Set<string> {
  const result = new Set<string>();
  const pending = [...stringList(defs.get(name)?.['superTypes'])];
  while (pending.length > 0) {
    const next = pending.shift() as string;
    if (result.has(next) || next === name) continue;
    result.add(next);
    pending.push(...stringList(defs.get(next)?.['superTypes']));
  }
  return result;
}

function linkSubTypes(entityTypes: Map<string, EntityTypeInfo>): void {
  for (const info of entityTypes.values()) {
    for (const superType of info.allSuperTypes) {
      entityTypes.get(superType)?.allSubTypes.add(info.name);
    }
    for (const superType of info.superTypes) {
      entityTypes.get(superType)?.directSubTypes.push(info.name);
    }
  }
}

/** Attributes in Atlas's order: each supertype's (recursively) first, then the type's own. */
function inheritAttributes(info: EntityTypeInfo, entityTypes: Map<string, EntityTypeInfo>): void {
  const visit = (typeName: string, seen: Set<string>): void => {
    if (seen.has(typeName)) return;
    seen.add(typeName);
    const type = entityTypes.get(typeName);
    if (!type) return;
    for (const superType of type.superTypes) visit(superType, seen);
    for (const attr of attributeDefsOf(type.def)) {
      if (!info.attributes.has(attr.name)) info.attributes.set(attr.name, resolveAttribute(attr, typeName));
    }
  };
  visit(info.name, new Set());
}

function resolveAttribute(attr: AtlasAttributeDef, declaringType: string): ResolvedAttribute {
  return {
    name: attr.name,
    typeName: attr.typeName,
    parsedType: parseTypeName(attr.typeName),
    isOptional: attr.isOptional === true,
    isUnique: attr.isUnique === true,
    declaringType,
  };
}

/** Each end adds an attribute to its entity type and that type's subtypes (AtlasRelationshipType.resolveReferencesPhase2). */
function addRelationshipAttributes(def: AtlasRelationshipDef, entityTypes: Map<string, EntityTypeInfo>): void {
  const ends: [1 | 2, AtlasRelationshipEndDef, AtlasRelationshipEndDef][] = [
    [1, def.endDef1, def.endDef2],
    [2, def.endDef2, def.endDef1],
  ];
  for (const [endNumber, end, otherEnd] of ends) {
    const endType = entityTypes.get(end.type);
    if (!endType || !end.name) continue;
    const definedAttribute = endType.attributes.get(end.name);
    const isComposition = def.relationshipCategory === 'COMPOSITION';
    const attribute: RelationshipAttribute = {
      name: end.name,
      relationshipType: def.name,
      end: endNumber,
      declaringType: end.type,
      targetType: otherEnd.type,
      cardinality: end.cardinality === 'SINGLE' || end.cardinality === undefined ? 'SINGLE' : 'SET',
      // A relationship attribute the type does not define itself is mandatory on the child end of a COMPOSITION.
      isOptional: definedAttribute ? definedAttribute.isOptional : !(isComposition && !end.isContainer),
      isOwnedRef: isComposition && end.isContainer === true,
      isLegacy: end.isLegacyAttribute === true,
      isDefinedAttribute: definedAttribute !== undefined,
      targetCardinality: otherEnd.cardinality === 'SINGLE' || otherEnd.cardinality === undefined ? 'SINGLE' : 'SET',
    };
    for (const holder of [endType.name, ...endType.allSubTypes]) {
      const info = entityTypes.get(holder);
      if (!info) continue;
      const list = info.relationshipAttributes.get(end.name) ?? [];
      list.push(attribute);
      info.relationshipAttributes.set(end.name, list);
    }
  }
}

function finishEntityType(info: EntityTypeInfo): void {
  // An attribute that is also a relationship end (e.g. Process.inputs) is handled as a relationship attribute.
  for (const name of info.relationshipAttributes.keys()) {
    info.attributes.delete(name);
  }
  info.uniqueAttributes = [...info.attributes.values()].filter((attr) => attr.isUnique);
  info.headerAttributeNames = [
    ...info.uniqueAttributes.map((attr) => attr.name),
    ...HEADER_ATTRIBUTE_NAMES.filter((name) => info.attributes.has(name) && !info.attributes.get(name)?.isUnique),
  ];
}

function renderRelationshipAttributeDefs(info: EntityTypeInfo): Record<string, unknown>[] {
  const result: Record<string, unknown>[] = [];
  for (const attributes of info.relationshipAttributes.values()) {
    for (const attr of attributes) {
      result.push({
        name: attr.name,
        typeName: attr.cardinality === 'SET' ? `array<${attr.targetType}>` : attr.targetType,
        isOptional: attr.isOptional,
        cardinality: attr.cardinality,
        valuesMinCount: attr.isOptional ? 0 : 1,
        valuesMaxCount: attr.cardinality === 'SET' ? INT_MAX : 1,
        isUnique: false,
        isIndexable: false,
        includeInNotification: false,
        searchWeight: -1,
        ...(attr.isOwnedRef ? { constraints: [{ type: 'ownedRef' }] } : {}),
        relationshipTypeName: attr.relationshipType,
        isLegacyAttribute: attr.isLegacy,
      });
    }
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

export function emptyTypesDef(): Required<AtlasTypesDef> {
  return { enumDefs: [], structDefs: [], classificationDefs: [], entityDefs: [], relationshipDefs: [], businessMetadataDefs: [] };
}

function addToList(typesDef: Required<AtlasTypesDef>, category: TypeCategory, def: AtlasBaseTypeDef): void {
  const entry = TYPEDEF_LISTS.find(([, c]) => c === category);
  if (entry) (typesDef[entry[0]] as AtlasBaseTypeDef[]).push(def);
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

function attributeDefsOf(def: AtlasBaseTypeDef): AtlasAttributeDef[] {
  const list = def['attributeDefs'];
  return Array.isArray(list) ? (list as AtlasAttributeDef[]) : [];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
