// Entity validation, after AtlasEntityType.validateValue (create and full update) and validateValueForUpdate
// (partial update). Messages follow Atlas; only the first becomes the {0} of ATLAS-404-00-007.

import { AtlasError } from './errors.js';
import type { EntityTypeInfo, RelationshipAttribute, TypeRegistry } from './typeRegistry.js';
import { INVALID, checkValue, type ValueCheckContext } from './valueChecker.js';
import { isPlainObject, javaString } from './values.js';

/** One entity of the request, after compactAttributes moved relationship values out of `attributes`. */
export interface RequestEntity {
  /** The guid the request uses for it (a placeholder "-n" when it sent none). */
  requestGuid: string;
  typeName: string;
  type: EntityTypeInfo;
  attributes: Record<string, unknown>;
  relationshipAttributes: Record<string, unknown>;
}

export type ReferenceResolver = ValueCheckContext['resolveReference'];

/** Full create/update: mandatory attributes and values of the entity as sent. Returns the normalized attributes. */
export function validateEntity(entity: RequestEntity, registry: TypeRegistry, resolveReference: ReferenceResolver): Record<string, unknown> {
  const ctx: ValueCheckContext = { registry, messages: [], resolveReference };
  const normalized: Record<string, unknown> = {};
  const visited = new Set<string>();
  // Supertypes first, each checking the attributes it declares, like Atlas; only the first message is reported.
  const visit = (typeName: string): void => {
    if (visited.has(typeName)) return;
    visited.add(typeName);
    const declaring = registry.entityType(typeName);
    declaring?.superTypes.forEach(visit);
    for (const attr of entity.type.attributes.values()) {
      if (attr.declaringType !== typeName) continue;
      const value = entity.attributes[attr.name];
      if (value === undefined || value === null) {
        if (!attr.isOptional) ctx.messages.push(missingMessage(entity, attr.name, typeName));
        if (value === null) normalized[attr.name] = null;
        continue;
      }
      const checked = checkValue(attr.parsedType, value, `${entity.typeName}.${attr.name}`, ctx);
      if (checked !== INVALID) normalized[attr.name] = checked;
    }
    for (const [name, candidates] of entity.type.relationshipAttributes) {
      const attr = candidates.find((candidate) => candidate.declaringType === typeName);
      if (attr) validateRelationshipValue(entity, attr, name, ctx);
    }
  };
  visit(entity.typeName);
  throwFirstMessage(ctx.messages);
  return normalized;
}

function validateRelationshipValue(entity: RequestEntity, attr: RelationshipAttribute, name: string, ctx: ValueCheckContext): void {
  const value = entity.relationshipAttributes[name];
  if (value === undefined || value === null) {
    if (!attr.isOptional) ctx.messages.push(missingMessage(entity, name, attr.declaringType));
    return;
  }
  const isValidShape = attr.cardinality === 'SINGLE' ? isPlainObject(value) : Array.isArray(value) && value.every(isPlainObject);
  if (!isValidShape) {
    const typeName = attr.cardinality === 'SINGLE' ? attr.targetType : `array<${attr.targetType}>`;
    ctx.messages.push(`${entity.typeName}.${name}=${javaString(value)}: invalid value for type ${typeName}`);
  }
}

/** Partial update: values of the attributes sent are checked; nothing is mandatory. */
export function validateEntityForPartialUpdate(
  entity: RequestEntity,
  registry: TypeRegistry,
  resolveReference: ReferenceResolver,
): Record<string, unknown> {
  const ctx: ValueCheckContext = { registry, messages: [], resolveReference };
  const normalized: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(entity.attributes)) {
    const attr = entity.type.attributes.get(name);
    if (!attr) continue;
    if (value === null || value === undefined) {
      normalized[name] = null;
      continue;
    }
    const checked = checkValue(attr.parsedType, value, `${entity.typeName}.${name}`, ctx);
    if (checked !== INVALID) normalized[name] = checked;
  }
  throwFirstMessage(ctx.messages);
  return normalized;
}

function missingMessage(entity: RequestEntity, attributeName: string, declaringType: string): string {
  return `${entity.typeName}.${attributeName}: mandatory attribute value missing in type ${declaringType}`;
}

function throwFirstMessage(messages: string[]): void {
  if (messages.length > 0) {
    throw new AtlasError('ATLAS-404-00-007', messages[0] as string);
  }
}
