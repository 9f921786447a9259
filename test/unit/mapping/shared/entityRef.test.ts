// Reading a stored entity's related entities back, in the forms the Atlas versions return them.
import { describe, expect, it } from 'vitest';
import { activeEntity, activeRelatedRefs, type StoredEntities } from '../../../../lib/mapping/shared/entityRef.js';

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
});

describe('activeEntity', () => {
  const stored: StoredEntities = (ref) =>
    ref.qualifiedName === 'gone@primary'
      ? { typeName: ref.typeName, guid: 'g-gone', status: 'DELETED', attributes: { qualifiedName: ref.qualifiedName } }
      : ref.qualifiedName === 'here@primary'
        ? { typeName: ref.typeName, guid: 'g-here', status: 'ACTIVE', attributes: { qualifiedName: ref.qualifiedName } }
        : undefined;

  it('gives what Atlas holds ACTIVE, and counts a soft-deleted or missing entity as absent', () => {
    expect(activeEntity(stored, { typeName: 'flink_table', qualifiedName: 'here@primary' })?.guid).toBe('g-here');
    expect(activeEntity(stored, { typeName: 'flink_table', qualifiedName: 'gone@primary' })).toBeUndefined();
    expect(activeEntity(stored, { typeName: 'flink_table', qualifiedName: 'never@primary' })).toBeUndefined();
  });
});
