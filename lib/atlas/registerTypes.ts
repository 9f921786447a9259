// Idempotent registration of the bridge's typedefs: create what is missing, add missing optional
// attributes to what exists, leave everything else alone. Atlas's PUT cannot remove attributes or add
// mandatory ones, so a desired change of that kind is reported as a conflict, never forced.
import type { AtlasClient } from './client.js';
import type { AtlasAttributeDef, AtlasBaseTypeDef, AtlasStructDef, AtlasTypesDef } from './model.js';
import bridgeModel from './typedefs/flink-bridge-model.json' with { type: 'json' };

export const BRIDGE_TYPEDEFS = bridgeModel as AtlasTypesDef;

const LISTS = ['enumDefs', 'structDefs', 'classificationDefs', 'entityDefs', 'relationshipDefs', 'businessMetadataDefs'] as const;
type TypeList = (typeof LISTS)[number];

export interface TypeRegistrationPlan {
  create: AtlasTypesDef;
  update: AtlasTypesDef;
  /** `type.attribute` added to an existing type, for the report. */
  addedAttributes: string[];
  unchanged: string[];
  /** Desired changes Atlas cannot apply in place (type change, new mandatory attribute). */
  conflicts: string[];
}

export interface TypeRegistrationReport {
  created: string[];
  updated: string[];
  addedAttributes: string[];
  unchanged: string[];
  conflicts: string[];
}

const attributesOf = (def: AtlasBaseTypeDef): AtlasAttributeDef[] => (def as AtlasStructDef).attributeDefs ?? [];

/** Pure: what to send, given the desired defs and those Atlas already holds (by name). */
export const planTypeRegistration = (
  desired: AtlasTypesDef,
  existing: ReadonlyMap<string, AtlasBaseTypeDef>,
): TypeRegistrationPlan => {
  const plan: TypeRegistrationPlan = { create: {}, update: {}, addedAttributes: [], unchanged: [], conflicts: [] };
  const push = (target: AtlasTypesDef, list: TypeList, def: AtlasBaseTypeDef): void => {
    ((target[list] ??= []) as AtlasBaseTypeDef[]).push(def);
  };
  for (const list of LISTS) {
    for (const def of (desired[list] ?? []) as AtlasBaseTypeDef[]) {
      const current = existing.get(def.name);
      if (current === undefined) {
        push(plan.create, list, def);
        continue;
      }
      if (list === 'relationshipDefs' || list === 'enumDefs') {
        plan.unchanged.push(def.name);
        continue;
      }
      const currentAttributes = new Map(attributesOf(current).map((a) => [a.name, a]));
      const missing: AtlasAttributeDef[] = [];
      for (const attribute of attributesOf(def)) {
        const held = currentAttributes.get(attribute.name);
        if (held === undefined) {
          if (attribute.isOptional === false) plan.conflicts.push(`${def.name}.${attribute.name}: Atlas cannot add a mandatory attribute to an existing type`);
          else missing.push(attribute);
        } else if (held.typeName !== attribute.typeName) {
          plan.conflicts.push(`${def.name}.${attribute.name}: Atlas holds type ${held.typeName}, the bridge wants ${attribute.typeName}`);
        }
      }
      if (missing.length === 0) {
        plan.unchanged.push(def.name);
        continue;
      }
      // PUT must resend every existing attribute: leaving one out is a delete, which Atlas refuses.
      push(plan.update, list, { ...current, attributeDefs: [...attributesOf(current), ...missing] } as AtlasBaseTypeDef);
      plan.addedAttributes.push(...missing.map((a) => `${def.name}.${a.name}`));
    }
  }
  return plan;
};

/** Every type name in a set of typedefs. */
export const typedefNames = (defs: AtlasTypesDef): string[] =>
  LISTS.flatMap((list) => ((defs[list] ?? []) as AtlasBaseTypeDef[]).map((d) => d.name));

/** The typedefs Atlas holds under the desired names (read only): with planTypeRegistration, what a registration would do. */
export const readRegisteredTypedefs = async (
  client: Pick<AtlasClient, 'getTypedefByName'>,
  desired: AtlasTypesDef = BRIDGE_TYPEDEFS,
): Promise<Map<string, AtlasBaseTypeDef>> => {
  const existing = new Map<string, AtlasBaseTypeDef>();
  for (const name of typedefNames(desired)) {
    const def = await client.getTypedefByName(name);
    if (def !== undefined) existing.set(name, def);
  }
  return existing;
};

export const registerTypes = async (
  client: AtlasClient,
  desired: AtlasTypesDef = BRIDGE_TYPEDEFS,
): Promise<TypeRegistrationReport> => {
  const plan = planTypeRegistration(desired, await readRegisteredTypedefs(client, desired));
  const created = typedefNames(plan.create);
  const updated = typedefNames(plan.update);
  if (created.length > 0) await client.createTypedefs(plan.create);
  if (updated.length > 0) await client.updateTypedefs(plan.update);
  return { created, updated, addedAttributes: plan.addedAttributes, unchanged: plan.unchanged, conflicts: plan.conflicts };
};
