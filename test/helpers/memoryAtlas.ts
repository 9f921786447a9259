// A minimal in-memory AtlasPort for unit tests of the write path: upsert by (type, qualifiedName),
// attributes sent replace stored ones, references resolved to related object ids as Atlas returns them.
// Soft delete as Atlas does it for the Flink catalog types: DELETED entities are not read, a new write of the
// same name makes a new entity, and what an entity owns (COMPOSITION children: `OWNED_BY` below, and children
// dropped from an owned set such as `columns`) is deleted with it.
// Contract behaviour (validation, errors, lineage) is tested against the real emulator instead.
import { randomUUID } from 'node:crypto';
import type { AtlasEntity, AtlasEntityWithExtInfo, AtlasObjectId, EntityMutationResponse } from '../../lib/atlas/index.js';
import type { AtlasPort, AtlasRelationshipRequest } from '../../lib/atlas/index.js';

/** Child → parent relationship attributes of the COMPOSITIONs whose parent's delete takes the child along. */
const OWNED_BY = ['catalog', 'database', 'table', 'view'];
/** Parent attributes holding owned children: a child left out of a new value is deleted. */
const OWNED_SETS = ['columns'];

const isDeleted = (e: AtlasEntity | undefined): boolean => e?.status === 'DELETED';

export class MemoryAtlas implements AtlasPort {
  readonly entities = new Map<string, AtlasEntity>();
  reads = 0;
  writes = 0;
  deletes = 0;

  /** Referenceable reads every type; any other type only its own entities (no subtypes here). */
  async getEntitiesByQualifiedNames(names: readonly string[], typeName: string): Promise<AtlasEntity[]> {
    this.reads += 1;
    const wanted = new Set(names);
    // Like the real read (ignoreRelationships=true): attributes only.
    return [...this.entities.values()]
      .filter((e) => wanted.has(e.attributes.qualifiedName as string) && !isDeleted(e) && (typeName === 'Referenceable' || e.typeName === typeName))
      .map(({ relationshipAttributes: _relationships, ...e }) => structuredClone(e));
  }

  async bulkWrite(request: { entities: AtlasEntity[] }): Promise<EntityMutationResponse> {
    this.writes += 1;
    const guidAssignments: Record<string, string> = {};
    const byGuid = new Map<string, AtlasEntity>();
    for (const sent of request.entities) {
      const key = `${sent.typeName}|${sent.attributes.qualifiedName as string}`;
      const held = this.entities.get(key);
      const stored = held && !isDeleted(held) ? held : { typeName: sent.typeName, guid: randomUUID(), attributes: {}, relationshipAttributes: {} };
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
        const previous = stored.relationshipAttributes![name];
        stored.relationshipAttributes![name] = Array.isArray(value) ? value.map((v) => related(v as AtlasObjectId)) : related(value as AtlasObjectId);
        if (OWNED_SETS.includes(name) && Array.isArray(previous)) {
          const kept = new Set((value as AtlasObjectId[]).map((v) => related(v).guid));
          for (const child of previous as { guid?: string }[]) if (!kept.has(child.guid)) this.deleteGuid(child.guid);
        }
      }
    }
    return { guidAssignments };
  }

  /** GET by unique attribute with relationships; a database's `tables` are the tables that point at it. */
  async getEntityByQualifiedName(typeName: string, qualifiedName: string): Promise<AtlasEntityWithExtInfo | undefined> {
    this.reads += 1;
    const entity = this.entities.get(`${typeName}|${qualifiedName}`);
    if (!entity || isDeleted(entity)) return undefined;
    const tables = [...this.entities.values()]
      .filter((e) => !isDeleted(e) && (e.relationshipAttributes?.database as { guid?: string } | undefined)?.guid === entity.guid)
      .map((e) => ({ guid: e.guid, typeName: e.typeName, uniqueAttributes: { qualifiedName: e.attributes.qualifiedName as string }, entityStatus: 'ACTIVE' }));
    return { entity: { ...structuredClone(entity), relationshipAttributes: { ...entity.relationshipAttributes, tables } } };
  }

  /** Adds the link where the Process holds it (MemoryAtlas keeps no relationship statuses: nothing is ever left DELETED). */
  async createRelationship(relationship: AtlasRelationshipRequest): Promise<void> {
    this.writes += 1;
    const holder = [...this.entities.values()].find((e) => e.guid === relationship.end1.guid);
    const attribute = relationship.typeName === 'dataset_process_inputs' ? 'inputs' : 'outputs';
    const list = (holder?.relationshipAttributes?.[attribute] ?? []) as AtlasObjectId[];
    if (holder && !list.some((id) => id.guid === relationship.end2.guid)) holder.relationshipAttributes![attribute] = [...list, { ...relationship.end2 }];
  }

  async deleteByQualifiedName(typeName: string, qualifiedName: string): Promise<EntityMutationResponse> {
    this.deletes += 1;
    const entity = this.entities.get(`${typeName}|${qualifiedName}`);
    if (entity && !isDeleted(entity)) this.deleteGuid(entity.guid);
    return {};
  }

  private deleteGuid(guid: string | undefined): void {
    const entity = [...this.entities.values()].find((e) => e.guid === guid);
    if (!entity || isDeleted(entity)) return;
    entity.status = 'DELETED';
    for (const child of this.entities.values()) {
      const owners = OWNED_BY.map((name) => child.relationshipAttributes?.[name] as { guid?: string } | undefined);
      if (owners.some((owner) => owner?.guid === guid)) this.deleteGuid(child.guid);
    }
  }

  /** The state a reader sees, without guids (which differ between runs), keyed by type and qualifiedName. */
  snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    // Deleted entities, and references to them (Atlas marks those relationships DELETED), are left out.
    const deletedGuids = new Set([...this.entities.values()].filter(isDeleted).map((e) => e.guid));
    const live = (x: unknown) => !deletedGuids.has((x as { guid?: string }).guid);
    for (const [key, e] of [...this.entities.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (isDeleted(e)) continue;
      const refs = Object.fromEntries(
        Object.entries(e.relationshipAttributes ?? {}).map(([name, v]) => [
          name,
          Array.isArray(v)
            ? v.filter(live).map((x) => (x as { uniqueAttributes: { qualifiedName: string } }).uniqueAttributes.qualifiedName).sort()
            : live(v) ? (v as { uniqueAttributes: { qualifiedName: string } }).uniqueAttributes.qualifiedName : undefined,
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
