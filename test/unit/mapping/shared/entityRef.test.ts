// Reading a stored entity's related entities back, in the forms the Atlas versions return them.
import { describe, expect, it } from 'vitest';
import { activeRelatedRefs, decodeState, JOB_REGISTERS } from '../../../../lib/mapping/index.js';

const topicA = { guid: 'g-a', typeName: 'kafka_topic' };
const topicB = { guid: 'g-b', typeName: 'kafka_topic' };
const legacy = [
  { ...topicA, uniqueAttributes: { qualifiedName: 'a@primary' } },
  { ...topicB, uniqueAttributes: { qualifiedName: 'b@primary' } },
];
const related = (id: { guid: string; typeName: string }, status: 'ACTIVE' | 'DELETED', extra: Record<string, unknown> = {}) => ({
  ...id, entityStatus: 'ACTIVE', relationshipType: 'dataset_process_inputs', relationshipGuid: `r-${id.guid}`, relationshipStatus: status, ...extra,
});

describe('activeRelatedRefs', () => {
  it('Atlas 2.3+: the qualifiedName on each related object id; removed relations left out', () => {
    const entity = {
      attributes: { inputs: legacy },
      relationshipAttributes: { inputs: [related(topicB, 'DELETED', { qualifiedName: 'b@primary' }), related(topicA, 'ACTIVE', { qualifiedName: 'a@primary' })] },
    };
    expect(activeRelatedRefs(entity, 'inputs')).toEqual([{ typeName: 'kafka_topic', qualifiedName: 'a@primary' }]);
  });

  it('Atlas 2.1-2.2: related ids carry only a guid, named through the legacy attribute (which lists removed ones too)', () => {
    const entity = { attributes: { inputs: legacy }, relationshipAttributes: { inputs: [related(topicB, 'ACTIVE'), related(topicA, 'DELETED')] } };
    expect(activeRelatedRefs(entity, 'inputs')).toEqual([{ typeName: 'kafka_topic', qualifiedName: 'b@primary' }]);
  });

  it('a single related entity, and deleted entities left out when asked', () => {
    const entity = { attributes: {}, relationshipAttributes: { db: related(topicA, 'ACTIVE', { qualifiedName: 'a@primary', entityStatus: 'DELETED' }) } };
    expect(activeRelatedRefs(entity, 'db')).toHaveLength(1);
    expect(activeRelatedRefs(entity, 'db', { skipDeletedEntities: true })).toEqual([]);
  });

  it("decodeState reads a job's stored lineage in the 2.1 form (it read only uniqueAttributes before, so [] here)", () => {
    const job = {
      typeName: 'flink_job',
      attributes: { qualifiedName: 'flink-prod/etl@primary', lineageTime: 1000, inputs: legacy, outputs: [] },
      relationshipAttributes: { inputs: [related(topicA, 'ACTIVE'), related(topicB, 'ACTIVE')], outputs: [] },
    };
    expect(decodeState(job, JOB_REGISTERS).registers['lineage']?.value['inputs']).toEqual([
      { typeName: 'kafka_topic', qualifiedName: 'a@primary' },
      { typeName: 'kafka_topic', qualifiedName: 'b@primary' },
    ]);
  });
});
