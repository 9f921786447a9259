// Typedef validation: references to unknown types (AtlasTypeDefGraphStore.tryTypeCreation turns them into
// 400 ATLAS-400-00-029), relationshipDef rules (AtlasRelationshipType.validateAtlasRelationshipDef) and the
// relationshipDef update check (AtlasRelationshipDefStoreV2.preUpdateCheck).

import type { AtlasRelationshipDef, AtlasRelationshipEndDef } from '../../lib/atlas/model.js';
import { AtlasError } from './errors.js';
import { attributeDefsOf, stringList, type StoredTypeDef } from './typeDefs.js';
import { collectSuperTypes } from './typeResolution.js';
import { PRIMITIVE_TYPE_NAMES, namedTypesIn, parseTypeName } from './typeNames.js';

/** Every type a def refers to must exist (400 ATLAS-400-00-029); relationshipDefs must be well formed. */
export function validateReferences(defs: StoredTypeDef[], all: Map<string, StoredTypeDef>): void {
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
  checkNoRedeclaredAttributes(defs, all);
}

/**
 * AtlasEntityType.collectTypeHierarchyInfo: an attribute name may be declared once in a type's hierarchy; a subtype
 * (or a second supertype) declaring it again is 400 ATLAS-400-00-09E. Checked for the defs written and for every
 * entity type below them, since a supertype gaining an attribute can clash with a subtype's.
 */
function checkNoRedeclaredAttributes(defs: StoredTypeDef[], all: Map<string, StoredTypeDef>): void {
  const written = new Set(defs.filter((def) => def.category === 'ENTITY').map((def) => def.name));
  if (written.size === 0) return;
  for (const def of all.values()) {
    if (def.category !== 'ENTITY') continue;
    const hierarchy = [def.name, ...collectSuperTypes(def.name, all)];
    if (!hierarchy.some((name) => written.has(name))) continue;
    const declaredBy = new Map<string, string>();
    const visit = (typeName: string, path: Set<string>): void => {
      const current = all.get(typeName);
      if (!current || path.has(typeName)) return;
      path.add(typeName);
      for (const superType of stringList(current['superTypes'])) visit(superType, path);
      path.delete(typeName);
      for (const attr of attributeDefsOf(current)) {
        const owner = declaredBy.get(attr.name);
        if (owner !== undefined && owner !== typeName) throw new AtlasError('ATLAS-400-00-09E', typeName, attr.name, owner);
        declaredBy.set(attr.name, typeName);
      }
    };
    visit(def.name, new Set());
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
export function checkRelationshipUpdate(current: AtlasRelationshipDef, next: AtlasRelationshipDef): void {
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
