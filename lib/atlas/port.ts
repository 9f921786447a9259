// The Atlas the ingest path writes through. Every implementation (the runtime's AtlasClient, its metered
// wrapper, the bench's stub, the test Atlases, the CLI's recording Atlas) implements all of it: no optional
// method, so a wrapper that forgets one (DROP's delete, the read of a dropped database) fails to compile
// instead of failing in production.
import type { AtlasEntity, AtlasEntityWithExtInfo, AtlasObjectId, EntityMutationResponse } from './model.js';

export interface AtlasPort {
  /**
   * Bulk read by qualifiedName of one type and its subtypes; names Atlas does not hold are left out. `Referenceable`
   * reads any type, but answers at most one entity per name: qualifiedName is unique per type only.
   */
  getEntitiesByQualifiedNames(qualifiedNames: readonly string[], typeName: string): Promise<AtlasEntity[]>;
  /** Create-or-update in one Atlas transaction. */
  bulkWrite(request: { entities: AtlasEntity[] }): Promise<EntityMutationResponse>;
  /** Soft delete by type and qualifiedName (a dropped Flink table, view or database); idempotent. */
  deleteByQualifiedName(typeName: string, qualifiedName: string): Promise<EntityMutationResponse>;
  /** One entity with its relationships (the tables of a database whose DROP arrived after its re-creation). */
  getEntityByQualifiedName(typeName: string, qualifiedName: string): Promise<AtlasEntityWithExtInfo | undefined>;
  /**
   * A new relationship between two existing entities (a lineage input or output removed and later re-added,
   * which a bulk write leaves DELETED: see lib/ingest/relinkLineage.ts); one that exists already is a no-op.
   */
  createRelationship(relationship: AtlasRelationshipRequest): Promise<void>;
}

export interface AtlasRelationshipRequest {
  typeName: string;
  end1: AtlasObjectId;
  end2: AtlasObjectId;
}
