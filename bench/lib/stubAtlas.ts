// The in-process Atlas of the throughput bench: an AtlasPort (the seam lib/ingest writes through) that does
// on the bridge's side what the real AtlasClient does around the network (build the read's query string,
// serialize the bulk request, parse Atlas's JSON answers), and keeps entities like Atlas so that later events
// of a run are joined against what earlier ones wrote. No network, no validation: Atlas's own work is not the
// bridge's cost.
import { randomUUID } from 'node:crypto';
import { bulkReadQuery } from '../../lib/atlas/client.js';
import type {
  AtlasEntity, AtlasEntityWithExtInfo, AtlasPort, AtlasRelationshipRequest, EntityMutationResponse,
} from '../../lib/atlas/index.js';

/**
 * What passed between the bridge and the stub, as the wire would carry it: the names each read asked for,
 * Atlas's answers as JSON text, and each bulk write's body. The throughput bench's floor replays it.
 */
export interface AtlasTraffic {
  readNames: string[][];
  readAnswers: string[];
  writeBodies: string[];
  writeAnswers: string[];
}

interface Stored {
  typeName: string;
  guid: string;
  status: 'ACTIVE' | 'DELETED';
  attributes: Record<string, unknown>;
}

export class StubAtlas implements AtlasPort {
  /** qualifiedName → type → entity: the bulk read matches any type (Referenceable). */
  #store = new Map<string, Map<string, Stored>>();
  reads = 0;
  writes = 0;
  deletes = 0;
  relationshipsCreated = 0;
  namesRead = 0;
  entitiesWritten = 0;
  /** Bytes the client would have put on the wire (query strings and JSON bodies). */
  requestBytes = 0;
  /** Set to record the traffic of the calls that follow. */
  traffic: AtlasTraffic | undefined;

  reset(): void {
    this.#store.clear();
    this.reads = 0;
    this.writes = 0;
    this.deletes = 0;
    this.relationshipsCreated = 0;
    this.namesRead = 0;
    this.entitiesWritten = 0;
    this.requestBytes = 0;
  }

  /** Referenceable reads every type; any other type only its own entities (the stub knows no subtypes). */
  async getEntitiesByQualifiedNames(qualifiedNames: readonly string[], typeName: string): Promise<AtlasEntity[]> {
    if (qualifiedNames.length === 0) return [];
    this.reads += 1;
    this.namesRead += qualifiedNames.length;
    // What AtlasClient builds for the read's URL.
    this.requestBytes += bulkReadQuery(qualifiedNames).length;
    const entities: AtlasEntity[] = [];
    for (const name of qualifiedNames) {
      for (const stored of this.#store.get(name)?.values() ?? []) {
        if (stored.status === 'DELETED' || (typeName !== 'Referenceable' && stored.typeName !== typeName)) continue;
        entities.push({ typeName: stored.typeName, guid: stored.guid, status: 'ACTIVE', attributes: stored.attributes });
      }
    }
    // Atlas answers JSON; the client parses it.
    const text = JSON.stringify({ entities });
    this.traffic?.readNames.push([...qualifiedNames]);
    this.traffic?.readAnswers.push(text);
    return (JSON.parse(text) as { entities: AtlasEntity[] }).entities;
  }

  async bulkWrite(request: { entities: AtlasEntity[] }): Promise<EntityMutationResponse> {
    this.writes += 1;
    this.entitiesWritten += request.entities.length;
    // What the client puts on the wire.
    const body = JSON.stringify(request);
    this.requestBytes += body.length;
    this.traffic?.writeBodies.push(body);
    const guidAssignments: Record<string, string> = {};
    const created: { typeName: string; guid: string; attributes: Record<string, unknown> }[] = [];
    const updated: typeof created = [];
    for (const sent of request.entities) {
      const qualifiedName = String(sent.attributes.qualifiedName);
      const byType = this.#store.get(qualifiedName) ?? new Map<string, Stored>();
      this.#store.set(qualifiedName, byType);
      let stored = byType.get(sent.typeName);
      // As Atlas: a write of a soft-deleted name makes a new entity.
      if (stored === undefined || stored.status === 'DELETED') {
        stored = { typeName: sent.typeName, guid: randomUUID(), status: 'ACTIVE', attributes: {} };
        byType.set(sent.typeName, stored);
        created.push({ typeName: stored.typeName, guid: stored.guid, attributes: { qualifiedName } });
      } else {
        updated.push({ typeName: stored.typeName, guid: stored.guid, attributes: { qualifiedName } });
      }
      for (const [name, value] of Object.entries(sent.attributes)) {
        if (value === null) delete stored.attributes[name];
        else stored.attributes[name] = value;
      }
      if (sent.guid !== undefined) guidAssignments[sent.guid] = stored.guid;
    }
    const answer = JSON.stringify({ mutatedEntities: { CREATE: created, UPDATE: updated }, guidAssignments });
    this.traffic?.writeAnswers.push(answer);
    return JSON.parse(answer) as EntityMutationResponse;
  }

  /** The unique-attribute read: the entity, its relationships left out (the bench's mix drops no re-created database). */
  async getEntityByQualifiedName(typeName: string, qualifiedName: string): Promise<AtlasEntityWithExtInfo | undefined> {
    this.reads += 1;
    this.requestBytes += typeName.length + qualifiedName.length;
    const stored = this.#store.get(qualifiedName)?.get(typeName);
    if (stored === undefined || stored.status === 'DELETED') return undefined;
    const text = JSON.stringify({ entity: { typeName, guid: stored.guid, status: stored.status, attributes: stored.attributes } });
    return JSON.parse(text) as AtlasEntityWithExtInfo;
  }

  /** Relationships are not modelled (a read gives no lineage back to re-link), so this is only counted. */
  async createRelationship(relationship: AtlasRelationshipRequest): Promise<void> {
    this.relationshipsCreated += 1;
    this.requestBytes += JSON.stringify(relationship).length;
  }

  /** Atlas's soft delete: the entity stays, DELETED, and is no longer read; deleting what is gone is a no-op. */
  async deleteByQualifiedName(typeName: string, qualifiedName: string): Promise<EntityMutationResponse> {
    this.deletes += 1;
    this.requestBytes += typeName.length + qualifiedName.length;
    const stored = this.#store.get(qualifiedName)?.get(typeName);
    if (stored === undefined || stored.status === 'DELETED') return {};
    stored.status = 'DELETED';
    const answer = JSON.stringify({ mutatedEntities: { DELETE: [{ typeName, guid: stored.guid, attributes: { qualifiedName } }] } });
    return JSON.parse(answer) as EntityMutationResponse;
  }
}
