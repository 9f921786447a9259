// A lineage input or output removed and later sent again: Atlas leaves its relationship DELETED on the bulk write
// (EntityGraphMapper.mapArrayValue; seen on Atlas 2.1.0), so the bridge links it again with POST /v2/relationship.
import { describe, expect, it } from 'vitest';
import type { AtlasRelatedObjectId } from '../../lib/atlas/model.js';
import type { LineageDataset } from '../../lib/contract/index.js';
import type { AtlasPort } from '../../lib/atlas/index.js';
import { writeEvents } from '../../lib/ingest/index.js';
import { activeRelatedRefs } from '../../lib/mapping/index.js';
import { naming, statusEvent, T0 } from '../helpers/events.js';
import { useTestAtlas } from '../helpers/stack.js';

const atlas = useTestAtlas({ env: false });
const JOB_QN = 'flink-prod/orders-enrichment@primary';
const topic = (name: string): LineageDataset => ({ namespace: 'kafka://kafka-1:9092', name });
const lineageAt = (at: number, sources: LineageDataset[], sinks: LineageDataset[]) =>
  [{ index: 0, event: statusEvent('RUNNING', at, { lineage: { sources, sinks } }) }];
const job = async () => (await atlas.client.getEntityByQualifiedName('flink_job', JOB_QN))!.entity;
const linked = async (attribute: 'inputs' | 'outputs') => activeRelatedRefs(await job(), attribute).map((r) => r.qualifiedName);

describe('lineage removed, then sent again', () => {
  it('inputs [a,b] -> [a] -> [a,b] and outputs [x,y] -> [x] -> [x,y]: all ACTIVE again, in Atlas lineage too', async () => {
    await writeEvents(lineageAt(T0, [topic('a'), topic('b')], [topic('x'), topic('y')]), atlas.client, naming);
    await writeEvents(lineageAt(T0 + 60_000, [topic('a')], [topic('x')]), atlas.client, naming);
    expect(await linked('inputs')).toEqual(['a@primary']);
    await writeEvents(lineageAt(T0 + 120_000, [topic('a'), topic('b')], [topic('x'), topic('y')]), atlas.client, naming);
    expect(await linked('inputs')).toEqual(['a@primary', 'b@primary']);
    expect(await linked('outputs')).toEqual(['x@primary', 'y@primary']);
    const lineage = await atlas.client.lineage('flink_job', JOB_QN, 'BOTH', 1);
    const names = Object.values(lineage.guidEntityMap).map((h) => h.attributes?.qualifiedName).sort();
    expect(names).toEqual(['a@primary', 'b@primary', JOB_QN, 'x@primary', 'y@primary']);
  });

  it('costs one read and one relationship create per re-added target, and nothing when a job keeps its lineage', async () => {
    await writeEvents(lineageAt(T0, [topic('a'), topic('b')], []), atlas.client, naming);
    await writeEvents(lineageAt(T0 + 60_000, [topic('a')], []), atlas.client, naming);
    atlas.emulator.resetStats();
    await writeEvents(lineageAt(T0 + 120_000, [topic('a'), topic('b')], []), atlas.client, naming);
    const relationshipPosts = atlas.emulator.stats.byRoute['POST /v2/relationship'] ?? 0;
    expect(relationshipPosts).toBe(1);
    const inputs = (await job()).relationshipAttributes?.inputs as AtlasRelatedObjectId[];
    // The DELETED edge Atlas kept stays beside the new one, as in Atlas.
    expect(inputs.map((i) => `${i.qualifiedName}:${i.relationshipStatus}`).sort()).toEqual(['a@primary:ACTIVE', 'b@primary:ACTIVE', 'b@primary:DELETED']);
    atlas.emulator.resetStats();
    await writeEvents(lineageAt(T0 + 180_000, [topic('a'), topic('b')], []), atlas.client, naming);
    expect(atlas.emulator.stats.byRoute['POST /v2/relationship'] ?? 0).toBe(0);
  });

  it('a re-link that keeps failing after the bulk write is made by a retry that verifies lineage', async () => {
    let failRelationship = true;
    const flaky: AtlasPort = {
      getEntitiesByQualifiedNames: (names, typeName) => atlas.client.getEntitiesByQualifiedNames(names, typeName),
      getEntityByQualifiedName: (type, name) => atlas.client.getEntityByQualifiedName(type, name),
      bulkWrite: (request) => atlas.client.bulkWrite(request),
      deleteByQualifiedName: (type, name) => atlas.client.deleteByQualifiedName(type, name),
      createRelationship: async (relationship) => {
        if (failRelationship) throw new Error('Atlas went away');
        return atlas.client.createRelationship(relationship);
      },
    };
    await writeEvents(lineageAt(T0, [topic('a'), topic('b')], []), flaky, naming);
    await writeEvents(lineageAt(T0 + 60_000, [topic('a')], []), flaky, naming);
    const readded = lineageAt(T0 + 120_000, [topic('a'), topic('b')], []);
    expect((await writeEvents(readded, flaky, naming))[0]?.outcome).toBe('failed');
    failRelationship = false;
    // A plain retry finds nothing to write: the bulk write was applied.
    await writeEvents(readded, flaky, naming);
    expect(await linked('inputs')).toEqual(['a@primary']);
    // The worker's retry checks the links the event's lineage holds.
    await writeEvents(readded, flaky, naming, { verifyLineage: true });
    expect(await linked('inputs')).toEqual(['a@primary', 'b@primary']);
  });
});
