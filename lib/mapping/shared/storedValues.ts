// What Atlas holds for an attribute nobody set. On create Atlas maps every attribute of the type, and a primitive
// without a value becomes its type's optional default (EntityGraphMapper.mapAttribute →
// AtlasBuiltInTypes.createOptionalDefaultValue): 0 for numbers, false for booleans, epoch 0 for dates; sending null
// on update writes that default again. Arrays of structs or references read back as [] (EntityGraphRetriever).
// So Atlas cannot tell 0 from "never set": the bridge reads those values as unset wherever it decides (registers,
// minimums, catalog times) and compares register values as Atlas would store them. Pure.

/** A date attribute read back from Atlas, or undefined when it holds none: epoch 0 is Atlas's default for unset dates. */
export const storedTime = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value !== 0 ? value : undefined;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value with what reads back as its default left out: undefined when the whole value is one. */
const withoutDefault = (value: unknown): unknown => {
  if (value === null || value === undefined || value === 0 || value === false) return undefined;
  if (Array.isArray(value)) {
    // Elements stay (a 0 in an array of numbers is a value); structs in it lose their own defaults.
    return value.length === 0 ? undefined : value.map((item) => (isPlainObject(item) ? withoutStoredDefaults(item) : item));
  }
  if (isPlainObject(value)) {
    const record = withoutStoredDefaults(value);
    return Object.keys(record).length === 0 ? undefined : record;
  }
  return value;
};

/**
 * Attributes as Atlas holds them once written, with every value that reads back as a default (0, false, null, [],
 * {}; inside structs too) left out: two values equal here are the same in Atlas.
 */
export const withoutStoredDefaults = (attributes: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const kept = withoutDefault(value);
    if (kept !== undefined) out[name] = kept;
  }
  return out;
};
