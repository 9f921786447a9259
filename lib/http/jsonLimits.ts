// Bounds on the shape of a parsed body, checked before any schema sees it: nesting depth, string, key and
// array sizes, value count, and the keys that name prototypes. JSON.parse itself is safe here (V8's parser
// is not recursive, and a `__proto__` key becomes an own property, not a prototype); what comes after it
// (recursive validation, object spreads, zod records assigning keys) is what these limits protect.
import type { InputProblem } from '../errors.js';
import { toJsonPointer } from '../contract/index.js';

export interface JsonLimits {
  maxDepth: number;
  /** Characters in one string value (the longest contract field, a stack trace, takes 1,000,000). */
  maxStringChars: number;
  maxKeyChars: number;
  maxArrayItems: number;
  maxObjectKeys: number;
  /** Values in the whole body (objects, arrays, and scalars). */
  maxValues: number;
}

export const DEFAULT_JSON_LIMITS: Readonly<JsonLimits> = Object.freeze({
  maxDepth: 64,
  maxStringChars: 1_000_000,
  maxKeyChars: 1_000,
  maxArrayItems: 10_000,
  maxObjectKeys: 10_000,
  maxValues: 200_000,
});

/** Keys that reach prototypes when a parsed object is merged with `Object.assign`, `obj[key] = …` or lodash-like merges. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface JsonLimitProblem extends InputProblem {
  code: 'JSON_TOO_DEEP' | 'STRING_TOO_LONG' | 'KEY_TOO_LONG' | 'ARRAY_TOO_LONG' | 'TOO_MANY_KEYS' | 'TOO_MANY_VALUES' | 'FORBIDDEN_KEY';
}

interface Node {
  value: unknown;
  depth: number;
  parent: Node | undefined;
  key: string | number | undefined;
}

const pointerOf = (node: Node | undefined, extra: (string | number)[] = []): string => {
  const path: (string | number)[] = [...extra];
  for (let n = node; n !== undefined && n.key !== undefined; n = n.parent) path.unshift(n.key);
  return toJsonPointer(path);
};

const MAX_PROBLEMS = 20;

/**
 * Walks the value iteratively (an explicit stack: no recursion, whatever the depth) and returns the problems
 * found, at most 20; a limit on size stops the walk at once, so a hostile body costs one pass at most.
 */
export const checkJsonLimits = (root: unknown, limits: JsonLimits = DEFAULT_JSON_LIMITS): JsonLimitProblem[] => {
  const problems: JsonLimitProblem[] = [];
  const stack: Node[] = [{ value: root, depth: 0, parent: undefined, key: undefined }];
  let values = 0;
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const node = stack.pop() as Node;
    values += 1;
    if (values > limits.maxValues) {
      problems.push({ code: 'TOO_MANY_VALUES', pointer: pointerOf(node), message: `the body holds more than ${limits.maxValues} JSON values` });
      break;
    }
    const { value, depth } = node;
    if (typeof value === 'string') {
      if (value.length > limits.maxStringChars) {
        problems.push({ code: 'STRING_TOO_LONG', pointer: pointerOf(node), message: `a string of ${value.length} characters; at most ${limits.maxStringChars} are accepted` });
        break;
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= limits.maxDepth) {
      problems.push({ code: 'JSON_TOO_DEEP', pointer: pointerOf(node), message: `nested deeper than ${limits.maxDepth} levels` });
      break;
    }
    if (Array.isArray(value)) {
      if (value.length > limits.maxArrayItems) {
        problems.push({ code: 'ARRAY_TOO_LONG', pointer: pointerOf(node), message: `an array of ${value.length} items; at most ${limits.maxArrayItems} are accepted` });
        break;
      }
      for (let i = value.length - 1; i >= 0; i -= 1) stack.push({ value: value[i], depth: depth + 1, parent: node, key: i });
      continue;
    }
    const keys = Object.keys(value);
    if (keys.length > limits.maxObjectKeys) {
      problems.push({ code: 'TOO_MANY_KEYS', pointer: pointerOf(node), message: `an object with ${keys.length} keys; at most ${limits.maxObjectKeys} are accepted` });
      break;
    }
    const accepted = keys.filter((key) => {
      if (key.length > limits.maxKeyChars) {
        problems.push({ code: 'KEY_TOO_LONG', pointer: pointerOf(node), message: `a key of ${key.length} characters; at most ${limits.maxKeyChars} are accepted` });
        return false;
      }
      if (FORBIDDEN_KEYS.has(key)) {
        problems.push({ code: 'FORBIDDEN_KEY', pointer: pointerOf(node, [key]), message: `the key "${key}" is not accepted anywhere in a body (it names an object prototype)` });
        return false;
      }
      return true;
    });
    // Pushed last to first, so they are visited (and reported) in document order.
    for (let i = accepted.length - 1; i >= 0; i -= 1) {
      const key = accepted[i] as string;
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, parent: node, key });
    }
  }
  return problems.slice(0, MAX_PROBLEMS);
};
