// What the read before a write returned, as the mapping's planners look it up: by type and qualifiedName.
import type { AtlasEntity } from '../../lib/atlas/index.js';
import { refKey, type StoredEntities } from '../../lib/mapping/index.js';

export const storedEntities = (...entities: AtlasEntity[]): StoredEntities => {
  const byKey = new Map(entities.map((e) => [refKey({ typeName: e.typeName, qualifiedName: String(e.attributes.qualifiedName) }), e]));
  return (ref) => byKey.get(refKey(ref));
};
