// Typedef JSON as stored and returned: categories, the six lists of AtlasTypesDef, and reading request bodies
// into normalized defs (AtlasBaseTypeDef / AtlasStructDef.AtlasAttributeDef defaults; unknown properties dropped).

import type { AtlasAttributeDef, AtlasBaseTypeDef, AtlasRelationshipEndDef, AtlasTypesDef } from '../../lib/atlas/model.js';
import { AtlasError } from './errors.js';
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

/** Atlas's Integer.MAX_VALUE, the valuesMaxCount of collections. */
export const INT_MAX = 2147483647;

export function emptyTypesDef(): Required<AtlasTypesDef> {
  return { enumDefs: [], structDefs: [], classificationDefs: [], entityDefs: [], relationshipDefs: [], businessMetadataDefs: [] };
}

export function addToList(typesDef: Required<AtlasTypesDef>, category: TypeCategory, def: AtlasBaseTypeDef): void {
  const entry = TYPEDEF_LISTS.find(([, c]) => c === category);
  if (entry) (typesDef[entry[0]] as AtlasBaseTypeDef[]).push(def);
}

export function attributeDefsOf(def: AtlasBaseTypeDef): AtlasAttributeDef[] {
  const list = def['attributeDefs'];
  return Array.isArray(list) ? (list as AtlasAttributeDef[]) : [];
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Reads the six lists of a request body into normalized defs, dropping properties Atlas does not know. */
export function readTypesDef(typesDef: AtlasTypesDef): StoredTypeDef[] {
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
export function normalizeAttributeDef(raw: AtlasAttributeDef): AtlasAttributeDef {
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
