// What every qualifiedName the mapping builds depends on besides the event: the Atlas namespace, per dataset namespace.

export interface NamingContext {
  /** Atlas namespace (Atlas's `atlas.metadata.namespace`, default `primary`). */
  atlasNamespace: string;
  /** Dataset namespace (e.g. `kafka://broker-a:9092`) → the Atlas namespace its entities live under. */
  namespaceOverrides: Readonly<Record<string, string>>;
}
