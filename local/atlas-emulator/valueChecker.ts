// Validation and normalization of attribute values, after AtlasBuiltInTypes, AtlasArrayType, AtlasMapType,
// AtlasStructType and AtlasEnumType. Invalid values add Atlas's message to `messages`; the first message becomes
// the `{0}` of ATLAS-404-00-007.

import type { ResolvedAttribute } from './typeResolution.js';
import type { TypeRegistry } from './typeRegistry.js';
import { PRIMITIVE_TYPE_NAMES, type ParsedTypeName } from './typeNames.js';
import { isPlainObject, javaString } from './values.js';

/** Returned instead of a value when the value is invalid. */
export const INVALID = Symbol('invalid');
/** Internal: invalid, and a nested check has already added the (more precise) message. */
const REPORTED = Symbol('reported');

export interface ValueCheckContext {
  registry: TypeRegistry;
  messages: string[];
  /** Resolves an object reference held by a plain (non-relationship) attribute to the referenced guid. */
  resolveReference(objectId: Record<string, unknown>): string | undefined;
}

const INTEGER_RANGES: Record<string, [number, number]> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  int: [-2147483648, 2147483647],
  long: [Number.MIN_SAFE_INTEGER * 1024, Number.MAX_SAFE_INTEGER * 1024],
  biginteger: [-Infinity, Infinity],
};

/**
 * What Atlas writes for a PRIMITIVE attribute that has no value (EntityGraphMapper.mapAttribute): the attributeDef's
 * defaultValue if it has one, else createOptionalDefaultValue() for optional attributes (AtlasBuiltInTypes: 0, false,
 * Date(0); null for strings) and createDefaultValue() for mandatory ones (the same, "" for strings). `undefined` means
 * "no value stored". Enums, structs, arrays, maps and references get nothing.
 */
export function storedDefault(attr: ResolvedAttribute): unknown {
  const type = attr.parsedType;
  if (type.kind !== 'named' || !PRIMITIVE_TYPE_NAMES.has(type.name)) return undefined;
  if (attr.defaultValue !== undefined) {
    const value = normalizePrimitiveOrEnum(type.name, attr.defaultValue);
    return value === INVALID || value === null ? undefined : value;
  }
  switch (type.name) {
    case 'string':
      return attr.isOptional ? undefined : '';
    case 'boolean':
      return false;
    default:
      return 0;
  }
}

/** The value as it is stored, `null` for "no value", or INVALID (with a message added). */
export function checkValue(type: ParsedTypeName, value: unknown, path: string, ctx: ValueCheckContext): unknown {
  if (value === null || value === undefined) return null;
  const result = normalize(type, value, path, ctx);
  if (result === INVALID) {
    ctx.messages.push(`${path}=${javaString(value)}: invalid value for type ${type.name}`);
  }
  return result === REPORTED ? INVALID : result;
}

/** The normalized value, INVALID (the caller reports it) or REPORTED. */
function normalize(type: ParsedTypeName, value: unknown, path: string, ctx: ValueCheckContext): unknown {
  switch (type.kind) {
    case 'array':
      return normalizeArray(type, value, path, ctx);
    case 'map':
      return normalizeMap(type, value, path, ctx);
    case 'named':
      return normalizeNamed(type.name, value, path, ctx);
  }
}

function normalizeArray(type: Extract<ParsedTypeName, { kind: 'array' }>, value: unknown, path: string, ctx: ValueCheckContext): unknown {
  if (!Array.isArray(value)) return INVALID;
  const result: unknown[] = [];
  let valid = true;
  value.forEach((element, index) => {
    const normalized = checkValue(type.element, element, `${path}[${index}]`, ctx);
    if (normalized === INVALID) valid = false;
    else result.push(normalized);
  });
  return valid ? result : REPORTED;
}

function normalizeMap(type: Extract<ParsedTypeName, { kind: 'map' }>, value: unknown, path: string, ctx: ValueCheckContext): unknown {
  if (!isPlainObject(value)) return INVALID;
  const result: Record<string, unknown> = {};
  let valid = true;
  for (const [key, entry] of Object.entries(value)) {
    if (normalizePrimitiveOrEnum(type.key.name, key) === INVALID) {
      ctx.messages.push(`${path}.${key}: invalid key for type ${type.name}`);
      valid = false;
      continue;
    }
    const normalized = checkValue(type.value, entry, `${path}.${key}`, ctx);
    if (normalized === INVALID) valid = false;
    else result[key] = normalized;
  }
  return valid ? result : REPORTED;
}

function normalizeNamed(typeName: string, value: unknown, path: string, ctx: ValueCheckContext): unknown {
  const struct = ctx.registry.structType(typeName);
  if (struct) {
    return normalizeStruct(typeName, value, path, ctx);
  }
  if (ctx.registry.entityType(typeName)) {
    // Object references in plain attributes: the discovery step already rejected malformed ones.
    if (!isPlainObject(value)) return INVALID;
    return ctx.resolveReference(value) ?? INVALID;
  }
  return normalizePrimitiveOrEnum(typeName, value, ctx.registry);
}

/** A struct value is `{typeName, attributes}` or just the attribute map (AtlasTypeUtil.toStructAttributes). */
function normalizeStruct(typeName: string, value: unknown, path: string, ctx: ValueCheckContext): unknown {
  if (!isPlainObject(value)) return INVALID;
  const given = 'typeName' in value && isPlainObject(value['attributes']) ? value['attributes'] : value;
  const struct = ctx.registry.structType(typeName);
  const attributes: Record<string, unknown> = {};
  let valid = true;
  for (const attr of struct?.attributes ?? []) {
    const fieldPath = `${path}.${attr.name}`;
    const raw = given[attr.name];
    if (raw === null || raw === undefined) {
      if (!attr.isOptional) {
        ctx.messages.push(`${fieldPath}: mandatory attribute value missing in type ${typeName}`);
        valid = false;
      }
      continue;
    }
    const normalized = checkValue(attr.parsedType, raw, fieldPath, ctx);
    if (normalized === INVALID) valid = false;
    else attributes[attr.name] = normalized;
  }
  return valid ? { typeName, attributes } : REPORTED;
}

function normalizePrimitiveOrEnum(typeName: string, value: unknown, registry?: TypeRegistry): unknown {
  const range = INTEGER_RANGES[typeName];
  if (range) return normalizeInteger(value, range);
  switch (typeName) {
    case 'string':
      return javaString(value);
    case 'boolean':
      return normalizeBoolean(value);
    case 'float':
    case 'double':
    case 'bigdecimal':
      return normalizeDecimal(value);
    case 'date':
      return normalizeDate(value);
  }
  const enumValues = registry?.enumValues(typeName);
  if (enumValues) {
    // AtlasEnumType keys its elements lower-cased: any case matches, and the declared value is stored.
    const text = javaString(value).toLowerCase();
    return enumValues.find((declared) => declared.toLowerCase() === text) ?? INVALID;
  }
  return INVALID;
}

function normalizeInteger(value: unknown, [min, max]: [number, number]): unknown {
  let number: number;
  if (typeof value === 'number') {
    number = Math.trunc(value);
  } else if (typeof value === 'string' && /^[+-]?\d+$/.test(value)) {
    number = Number(value);
  } else {
    return INVALID;
  }
  return Number.isFinite(number) && number >= min && number <= max ? number : INVALID;
}

function normalizeBoolean(value: unknown): unknown {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return INVALID;
}

function normalizeDecimal(value: unknown): unknown {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$/.test(value.trim())) {
    return Number.parseFloat(value);
  }
  return INVALID;
}

/**
 * AtlasDateType: an epoch-ms number, a `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` string (UTC, read leniently from the start),
 * or a string of digits. An empty string is valid and means no value. Stored as epoch ms.
 */
function normalizeDate(value: unknown): unknown {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value !== 'string') return INVALID;
  if (value === '') return null;
  const match = /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)\.(\d+)Z/.exec(value);
  if (match) {
    const [year, month, day, hour, minute, second, millis] = match.slice(1).map(Number) as number[];
    return Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second, millis);
  }
  return /^[+-]?\d+$/.test(value) ? Number(value) : INVALID;
}
