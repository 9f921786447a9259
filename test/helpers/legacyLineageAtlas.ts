// MemoryAtlas with what Atlas's bulk read gives besides: a Process's inputs and outputs under `attributes`.
import type { AtlasEntity, AtlasObjectId } from '../../lib/atlas/index.js';
import { MemoryAtlas } from './memoryAtlas.js';

/**
 * Atlas's bulk read without relationships still lists a Process's inputs and outputs under `attributes`, as
 * object ids with uniqueAttributes (EntityGraphRetriever, legacy attributes). On Atlas they also keep relations removed
 * since, which is why the coalescer compares the job's lineageDigest instead (test/contract/fleetWrite.test.ts).
 */
export class LegacyLineageAtlas extends MemoryAtlas {
  override async getEntitiesByQualifiedNames(names: readonly string[], typeName: string): Promise<AtlasEntity[]> {
    const found = await super.getEntitiesByQualifiedNames(names, typeName);
    return found.map((entity) => {
      const held = this.entities.get(`${entity.typeName}|${entity.attributes.qualifiedName as string}`);
      const legacy: Record<string, unknown> = {};
      for (const name of ['inputs', 'outputs']) {
        const ids = held?.relationshipAttributes?.[name] as AtlasObjectId[] | undefined;
        if (ids !== undefined) legacy[name] = structuredClone(ids);
      }
      return { ...entity, attributes: { ...entity.attributes, ...legacy } };
    });
  }
}

