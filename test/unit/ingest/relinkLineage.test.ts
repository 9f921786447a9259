// The re-link of targets a bulk write may leave DELETED: which to check (planned before the write), the check and
// the relationship creates after it, and what a retry that may follow an applied write verifies.
import { describe, expect, it } from 'vitest';
import type { AtlasEntity, AtlasPort, AtlasRelationshipRequest } from '../../../lib/atlas/index.js';
import { definitionLinksToVerify, lineageToVerify, planRelinks, relinkLineage } from '../../../lib/ingest/relinkLineage.js';
import { eventToChanges, type HeldDefinitionLinks } from '../../../lib/mapping/index.js';
import { naming, statusEvent, T0 } from '../../helpers/events.js';
import { storedEntities } from '../../helpers/storedEntities.js';

const JOB_QN = 'flink-prod/orders-enrichment@primary';
const topicId = (guid: string, name: string) => ({ guid, typeName: 'kafka_topic', uniqueAttributes: { qualifiedName: `${name}@primary` } });
const topic = (guid: string, name: string, status: 'ACTIVE' | 'DELETED' = 'ACTIVE'): AtlasEntity =>
  ({ typeName: 'kafka_topic', guid, status, attributes: { qualifiedName: `${name}@primary` } });
/** A job as the bulk read returns it: relationships left out, the legacy inputs listing every edge it ever had. */
const storedJob = (inputs: string[], extra: Record<string, unknown> = {}): AtlasEntity =>
  ({ typeName: 'flink_job', guid: 'job-1', status: 'ACTIVE', attributes: { qualifiedName: JOB_QN, inputs: inputs.map((g) => ({ guid: g, typeName: 'kafka_topic' })), ...extra } });
const sentJob = (inputs: object[]): AtlasEntity =>
  ({ typeName: 'flink_job', guid: '-1', attributes: { qualifiedName: JOB_QN }, relationshipAttributes: { inputs } });

describe('Function: planRelinks', () => {
  it('plans the targets the entity was linked to before, by stored guid, and none for a new entity or new targets', () => {
    const stored = storedEntities(storedJob(['g-a', 'g-b']), topic('g-a', 'a'), topic('g-b', 'b'), topic('g-c', 'c'));
    const plan = planRelinks([sentJob([{ guid: 'g-a', typeName: 'kafka_topic' }, { guid: 'g-c', typeName: 'kafka_topic' }])], stored);
    expect(plan).toEqual([{ typeName: 'flink_job', qualifiedName: JOB_QN, candidates: [{ attribute: 'inputs', target: { guid: 'g-a', typeName: 'kafka_topic' } }] }]);
    expect(planRelinks([sentJob([{ guid: 'g-a', typeName: 'kafka_topic' }])], storedEntities())).toEqual([]);
  });

  it('resolves a held target sent under a placeholder guid, or by unique attributes, to its stored guid', () => {
    const stored = storedEntities(storedJob(['g-a', 'g-b']), topic('g-a', 'a'), topic('g-b', 'b'));
    const resentTopic: AtlasEntity = { typeName: 'kafka_topic', guid: '-2', attributes: { qualifiedName: 'b@primary' } };
    const byName = { typeName: 'kafka_topic', uniqueAttributes: { qualifiedName: 'a@primary' } };
    const plan = planRelinks([sentJob([byName, { guid: '-2', typeName: 'kafka_topic' }]), resentTopic], stored);
    expect(plan[0]?.candidates.map((c) => c.target.guid)).toEqual(['g-a', 'g-b']);
  });

  it('leaves out a placeholder of an entity Atlas lacks, and a name whose stored entity is soft-deleted', () => {
    const stored = storedEntities(storedJob(['g-a', 'g-b']), topic('g-a', 'a', 'DELETED'));
    const newTopic: AtlasEntity = { typeName: 'kafka_topic', guid: '-2', attributes: { qualifiedName: 'new@primary' } };
    const plan = planRelinks([sentJob([{ typeName: 'kafka_topic', uniqueAttributes: { qualifiedName: 'a@primary' } }, { guid: '-2', typeName: 'kafka_topic' }]), newTopic], stored);
    expect(plan).toEqual([]);
  });

  it("plans every held physical dataset of a flink_table: physicalDatasets has no legacy copy to tell", () => {
    const table: AtlasEntity = { typeName: 'flink_table', guid: 't-1', status: 'ACTIVE', attributes: { qualifiedName: 'c.d.t@primary' } };
    const sent: AtlasEntity = { typeName: 'flink_table', guid: '-1', attributes: { qualifiedName: 'c.d.t@primary' }, relationshipAttributes: { physicalDatasets: [{ guid: 'g-a', typeName: 'kafka_topic' }, { guid: '-9', typeName: 'kafka_topic' }] } };
    expect(planRelinks([sent], storedEntities(table, topic('g-a', 'a')))[0]?.candidates).toEqual([{ attribute: 'physicalDatasets', target: { guid: 'g-a', typeName: 'kafka_topic' } }]);
  });
});

/** An Atlas that answers one entity read and records the relationships created, failing the first `failures` creates. */
const relinkAtlas = (after: AtlasEntity | undefined, failures = 0) => {
  const created: AtlasRelationshipRequest[] = [];
  let reads = 0;
  let left = failures;
  const port: AtlasPort = {
    getEntitiesByQualifiedNames: async () => [],
    bulkWrite: async () => ({}),
    deleteByQualifiedName: async () => ({}),
    getEntityByQualifiedName: async () => {
      reads += 1;
      return after === undefined ? undefined : { entity: after };
    },
    createRelationship: async (relationship) => {
      if (left > 0) {
        left -= 1;
        throw new Error('Atlas went away');
      }
      created.push(relationship);
    },
  };
  return { port, created, reads: () => reads };
};

describe('Function: relinkLineage', () => {
  const relinks = [{ typeName: 'flink_job', qualifiedName: JOB_QN, candidates: [
    { attribute: 'inputs' as const, target: { guid: 'g-a', typeName: 'kafka_topic' } },
    { attribute: 'inputs' as const, target: { guid: 'g-b', typeName: 'kafka_topic' } },
  ] }];
  const jobAfter = (inputs: object[]): AtlasEntity =>
    ({ typeName: 'flink_job', guid: 'job-1', status: 'ACTIVE', attributes: { qualifiedName: JOB_QN }, relationshipAttributes: { inputs } });

  it('reads the entity once and creates a relationship for each target left DELETED or missing', async () => {
    const atlas = relinkAtlas(jobAfter([{ ...topicId('g-a', 'a'), relationshipStatus: 'ACTIVE' }, { ...topicId('g-b', 'b'), relationshipStatus: 'DELETED' }]));
    expect(await relinkLineage(relinks, atlas.port)).toBe(1);
    expect(atlas.reads()).toBe(1);
    expect(atlas.created).toEqual([{ typeName: 'dataset_process_inputs', end1: { guid: 'job-1', typeName: 'flink_job' }, end2: { guid: 'g-b', typeName: 'kafka_topic' } }]);
  });

  it('creates nothing when every target is ACTIVE, or when the entity is gone', async () => {
    const active = relinkAtlas(jobAfter([{ ...topicId('g-a', 'a'), relationshipStatus: 'ACTIVE' }, { ...topicId('g-b', 'b'), relationshipStatus: 'ACTIVE' }]));
    expect(await relinkLineage(relinks, active.port)).toBe(0);
    const gone = relinkAtlas(undefined);
    expect(await relinkLineage(relinks, gone.port)).toBe(0);
    expect(gone.created).toEqual([]);
  });

  it('tries a failing create up to eight times, then gives up with its error', async () => {
    const flaky = relinkAtlas(jobAfter([]), 7);
    expect(await relinkLineage(relinks.map((r) => ({ ...r, candidates: r.candidates.slice(0, 1) })), flaky.port)).toBe(1);
    const down = relinkAtlas(jobAfter([]), 8);
    await expect(relinkLineage(relinks, down.port)).rejects.toThrow('Atlas went away');
    expect(down.created).toEqual([]);
  });
});

describe('Function: lineageToVerify', () => {
  const sources = [{ namespace: 'kafka://kafka-1:9092', name: 'a' }, { namespace: 'kafka://kafka-1:9092', name: 'b' }];
  const { job } = eventToChanges(statusEvent('RUNNING', T0, { lineage: { sources, sinks: [] } }), naming);

  it("gives the job with the lineage it holds from this event, as stored ids, those Atlas holds only", () => {
    const stored = storedEntities(storedJob([], { lineageTime: T0 }), topic('g-a', 'a'));
    expect(lineageToVerify([job, job], stored, [])).toEqual([
      { typeName: 'flink_job', attributes: { qualifiedName: JOB_QN }, relationshipAttributes: { inputs: [{ guid: 'g-a', typeName: 'kafka_topic' }], outputs: [] } },
    ]);
  });

  it('gives nothing when the stored lineage is another event\'s, or the write sends the job with its lineage', () => {
    expect(lineageToVerify([job], storedEntities(storedJob([], { lineageTime: T0 + 1 }), topic('g-a', 'a')), [])).toEqual([]);
    const stored = storedEntities(storedJob([], { lineageTime: T0 }), topic('g-a', 'a'));
    expect(lineageToVerify([job], stored, [sentJob([{ guid: 'g-a', typeName: 'kafka_topic' }])])).toEqual([]);
  });
});

describe('Function: definitionLinksToVerify', () => {
  const table = { typeName: 'flink_table', qualifiedName: 'c.d.v@primary' };
  const query = { typeName: 'flink_view_query', qualifiedName: 'c.d.v/query@primary' };
  const held: HeldDefinitionLinks[] = [
    { table, entity: table, links: { physicalDatasets: [] } },
    { table, entity: query, links: { inputs: [{ typeName: 'flink_table', qualifiedName: 'c.d.t1@primary' }, { typeName: 'flink_table', qualifiedName: 'c.d.gone@primary' }] } },
  ];
  const stored = storedEntities(
    { typeName: 'flink_table', guid: 'v', status: 'ACTIVE', attributes: { qualifiedName: table.qualifiedName } },
    { typeName: 'flink_view_query', guid: 'q', status: 'ACTIVE', attributes: { qualifiedName: query.qualifiedName } },
    { typeName: 'flink_table', guid: 't1', status: 'ACTIVE', attributes: { qualifiedName: 'c.d.t1@primary' } },
  );

  it('gives the held links of the flagged tables only, as stored ids', () => {
    expect(definitionLinksToVerify(held, [table], stored, [])).toEqual([
      { typeName: 'flink_table', attributes: { qualifiedName: table.qualifiedName }, relationshipAttributes: { physicalDatasets: [] } },
      { typeName: 'flink_view_query', attributes: { qualifiedName: query.qualifiedName }, relationshipAttributes: { inputs: [{ guid: 't1', typeName: 'flink_table' }] } },
    ]);
    expect(definitionLinksToVerify(held, [{ typeName: 'flink_table', qualifiedName: 'c.d.other@primary' }], stored, [])).toEqual([]);
  });

  it('leaves out an entity this write sends with its links, and one Atlas does not hold', () => {
    const sentQuery: AtlasEntity = { typeName: 'flink_view_query', guid: '-1', attributes: { qualifiedName: query.qualifiedName }, relationshipAttributes: { inputs: [] } };
    expect(definitionLinksToVerify(held, [table], stored, [sentQuery]).map((e) => e.typeName)).toEqual(['flink_table']);
    expect(definitionLinksToVerify(held, [table], storedEntities(), [])).toEqual([]);
  });
});
