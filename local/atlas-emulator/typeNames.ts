// Attribute type names as Atlas writes them: primitives, `array<T>`, `map<K,V>`, and names of enums, structs
// and entity types (an entity type name means an object reference).

export const PRIMITIVE_TYPE_NAMES = new Set([
  'string',
  'int',
  'long',
  'boolean',
  'date',
  'float',
  'double',
  'byte',
  'short',
  'biginteger',
  'bigdecimal',
]);

export type ParsedTypeName =
  | { kind: 'array'; name: string; element: ParsedTypeName }
  | { kind: 'map'; name: string; key: ParsedTypeName; value: ParsedTypeName }
  /** A primitive, enum, struct or entity type; which one is decided by the type registry. */
  | { kind: 'named'; name: string };

export function parseTypeName(typeName: string): ParsedTypeName {
  const name = typeName.trim();
  const generic = /^(array|map)<(.*)>$/.exec(name);
  if (!generic) {
    return { kind: 'named', name };
  }
  const [, container, inner = ''] = generic;
  if (container === 'array') {
    return { kind: 'array', name, element: parseTypeName(inner) };
  }
  const [keyName, valueName] = splitAtTopLevelComma(inner);
  return { kind: 'map', name, key: parseTypeName(keyName), value: parseTypeName(valueName) };
}

/** The plain type names a (possibly nested) type name refers to, e.g. `map<string,array<DataSet>>` → string, DataSet. */
export function namedTypesIn(parsed: ParsedTypeName): string[] {
  switch (parsed.kind) {
    case 'array':
      return namedTypesIn(parsed.element);
    case 'map':
      return [...namedTypesIn(parsed.key), ...namedTypesIn(parsed.value)];
    case 'named':
      return [parsed.name];
  }
}

function splitAtTopLevelComma(text: string): [string, string] {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '<') depth++;
    else if (char === '>') depth--;
    else if (char === ',' && depth === 0) {
      return [text.slice(0, i), text.slice(i + 1)];
    }
  }
  // `map<string>` has no value type; an empty name is reported as an unknown type later.
  return [text, ''];
}
