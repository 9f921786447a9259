// The datasets a write names: created identity-only when missing, referred to when Atlas holds them, and the Hive
// tables the bridge owns given the columns of the latest schema.
import { describe, expect, it } from 'vitest';
import { mapDataset } from '../../../../lib/mapping/dataset/naming.js';
import { planDatasetWrites } from '../../../../lib/mapping/dataset/plan.js';
import { naming, T0 } from '../../../helpers/events.js';
import { storedEntities } from '../../../helpers/storedEntities.js';

const topic = mapDataset({ namespace: 'kafka://kafka-1:9092', name: 'orders' }, naming);
const hive = mapDataset({ namespace: 'hive://hms:9083', name: 'sales.orders' }, naming);
const withSchema = (at: number, ...fields: string[]) => ({ ...hive, schema: { at, fields: fields.map((name) => ({ name, type: 'string' })) } });

describe('Function: planDatasetWrites', () => {
  it('sends each dataset entity once, parents included, when Atlas lacks it', () => {
    const writes = planDatasetWrites([topic, hive, topic], () => undefined);
    expect(writes.outgoing.map((e) => `${e.typeName}|${e.qualifiedName}`)).toEqual([
      'kafka_topic|orders@primary', 'hive_table|sales.orders@primary', 'hive_db|sales@primary',
    ]);
    expect(writes.untouched).toEqual([]);
  });

  it('only refers to a dataset Atlas holds, and sends one it soft-deleted again', () => {
    const stored = storedEntities(
      { typeName: 'kafka_topic', guid: 'g-t', status: 'ACTIVE', attributes: { qualifiedName: 'orders@primary' } },
      { typeName: 'hive_db', guid: 'g-db', status: 'DELETED', attributes: { qualifiedName: 'sales@primary' } },
    );
    const writes = planDatasetWrites([topic, hive], stored);
    expect(writes.untouched).toEqual([topic.entities[0]]);
    expect(writes.outgoing.map((e) => e.typeName)).toEqual(['hive_table', 'hive_db']);
  });

  it("writes a bridge-owned Hive table's columns from the latest schema reported, whatever the order", () => {
    for (const datasets of [[withSchema(T0, 'a'), withSchema(T0 + 1, 'a', 'b')], [withSchema(T0 + 1, 'a', 'b'), withSchema(T0, 'a')]]) {
      const writes = planDatasetWrites(datasets, () => undefined);
      expect(writes.outgoing.filter((e) => e.typeName === 'hive_column').map((e) => e.attributes['name'])).toEqual(['a', 'b']);
    }
  });

  it("leaves a Hive hook's table alone: referred to, its columns not written", () => {
    const stored = storedEntities({ typeName: 'hive_table', guid: 'g-h', status: 'ACTIVE', attributes: { qualifiedName: 'sales.orders@primary', parameters: {} } });
    const writes = planDatasetWrites([withSchema(T0, 'a')], stored);
    expect(writes.untouched).toContainEqual(hive.entities[0]);
    expect(writes.outgoing.map((e) => e.typeName)).toEqual(['hive_db']);
  });
});
