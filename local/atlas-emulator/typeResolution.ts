// The resolved view of the stored defs that the entity store works with: inheritance, attributes in Atlas's
// order, relationship attributes added by relationshipDef ends (AtlasRelationshipType.resolveReferencesPhase2)
// and the header attributes (AtlasEntityType).

import type { AtlasAttributeDef, AtlasRelationshipDef, AtlasRelationshipEndDef } from '../../lib/atlas/model.js';
import { INT_MAX, attributeDefsOf, stringList, type StoredTypeDef } from './typeDefs.js';
import { parseTypeName, type ParsedTypeName } from './typeNames.js';

export interface ResolvedAttribute {
  name: string;
  typeName: string;
  parsedType: ParsedTypeName;
  isOptional: boolean;
  isUnique: boolean;
  /** The attributeDef's defaultValue (a string, as Atlas keeps it), if any. */
  defaultValue?: string;
  /** The type whose attributeDefs declare it (a supertype for inherited attributes). */
  declaringType: string;
  /** options.isSoftReference: entity references kept as guids in a vertex property, not as edges. */
  isSoftReference: boolean;
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

export interface ResolvedTypes {
  entityTypes: Map<string, EntityTypeInfo>;
  structTypes: Map<string, StructTypeInfo>;
  enumValues: Map<string, string[]>;
}

const HEADER_ATTRIBUTE_NAMES = ['name', 'description', 'owner', 'createTime'];

export function resolveTypes(defs: Map<string, StoredTypeDef>): ResolvedTypes {
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

export function collectSuperTypes(name: string, defs: Map<string, StoredTypeDef>): Set<string> {
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
    ...(typeof attr.defaultValue === 'string' ? { defaultValue: attr.defaultValue } : {}),
    declaringType,
    isSoftReference: (attr.options as Record<string, unknown> | undefined)?.['isSoftReference'] === 'true',
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

export function renderRelationshipAttributeDefs(info: EntityTypeInfo): Record<string, unknown>[] {
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
