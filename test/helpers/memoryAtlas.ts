// A minimal in-memory AtlasWriter for unit tests of the write path: upsert by (type, qualifiedName),
// attributes sent replace stored ones, references resolved to related object ids as Atlas returns them.
// Contract behaviour (validation, errors, lineage) is tested against the real emulator instead.
import { randomUUID } from 'node:crypto';
import type { AtlasEntity, AtlasObjectId, EntityMutationResponse } from '../../lib/atlas/index.js';
import type { AtlasWriter } from '../../lib/ingest/index.js';

export class MemoryAtlas implements AtlasWriter {
  readonly entities = new Map<string, AtlasEntity>();
  reads = 0;
  writes = 0;

  async getEntitiesByQualifiedNames(names: readonly string[]): Promise<AtlasEntity[]> {
    this.reads += 1;
    const wanted = new Set(names);
    // Like the real read (ignoreRelationships=true): attributes only.
    return [...this.entities.values()]
      .filter((e) => wanted.has(e.attributes.qualifiedName as string))
      .map(({ relationshipAttributes: _relationships, ...e }) => structuredClone(e));
  }

  async bulkWrite(request: { entities: AtlasEntity[] }): Promise<EntityMutationResponse> {
    this.writes += 1;
    const guidAssignments: Record<string, string> = {};
    const byGuid = new Map<string, AtlasEntity>();
    for (const sent of request.entities) {
      const key = `${sent.typeName}|${sent.attributes.qualifiedName as string}`;
      const stored = this.entities.get(key) ?? { typeName: sent.typeName, guid: randomUUID(), attributes: {}, relationshipAttributes: {} };
      for (const [name, value] of Object.entries(sent.attributes)) {
        if (value === null) delete stored.attributes[name];
        else stored.attributes[name] = structuredClone(value);
      }
      this.entities.set(key, stored);
      if (sent.guid !== undefined) guidAssignments[sent.guid] = stored.guid!;
      byGuid.set(stored.guid!, stored);
    }
    const related = (id: AtlasObjectId) => {
      const guid = id.guid !== undefined ? (guidAssignments[id.guid] ?? id.guid) : undefined;
      const target = [...this.entities.values()].find((e) => e.guid === guid);
      return { guid, typeName: target?.typeName, uniqueAttributes: { qualifiedName: target?.attributes.qualifiedName } };
    };
    for (const sent of request.entities) {
      const stored = this.entities.get(`${sent.typeName}|${sent.attributes.qualifiedName as string}`)!;
      for (const [name, value] of Object.entries(sent.relationshipAttributes ?? {})) {
        stored.relationshipAttributes![name] = Array.isArray(value) ? value.map((v) => related(v as AtlasObjectId)) : related(value as AtlasObjectId);
      }
    }
    return { guidAssignments };
  }

  /** The state a reader sees, without guids (which differ between runs), keyed by type and qualifiedName. */
  snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, e] of [...this.entities.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const refs = Object.fromEntries(
        Object.entries(e.relationshipAttributes ?? {}).map(([name, v]) => [
          name,
          Array.isArray(v) ? v.map((x) => (x as { uniqueAttributes: { qualifiedName: string } }).uniqueAttributes.qualifiedName).sort() : (v as { uniqueAttributes: { qualifiedName: string } }).uniqueAttributes.qualifiedName,
        ]),
      );
      out[key] = { attributes: e.attributes, refs };
    }
    return out;
  }
}

/** Makes the next calls of a MemoryAtlas fail, to test what the write path does with Atlas failures. */
export const failingWith = (atlas: MemoryAtlas, error: () => Error, calls: 'read' | 'write' = 'write'): MemoryAtlas => {
  if (calls === 'read') atlas.getEntitiesByQualifiedNames = async () => { throw error(); };
  else atlas.bulkWrite = async () => { throw error(); };
  return atlas;
};
