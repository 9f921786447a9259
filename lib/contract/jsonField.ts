// Reading a value out of JSON that has not been validated yet (logging what a rejected event names, telling
// whether an OpenLineage event is Flink's before parsing it).

/** The value at an own-property path of a parsed JSON value; undefined past anything but an object, and for an
 * inherited key (a body's `{"__proto__": …}` is an own key, Object.prototype's members are not). */
export const ownField = (value: unknown, ...path: string[]): unknown => {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
};
