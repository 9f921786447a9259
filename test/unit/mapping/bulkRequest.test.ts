// The one read and the one bulk write composed from the domains: what is read, the order entities are sent in,
// how references become guids, and what a catalog drop adds.
import { describe, expect, it } from 'vitest';
import { planBulkWrite, refsToRead } from '../../../lib/mapping/bulkRequest.js';
import { catalogEventToChanges } from '../../../lib/mapping/catalog/model.js';
import { mapDataset } from '../../../lib/mapping/dataset/naming.js';
import { eventToChanges } from '../../../lib/mapping/job/model.js';
import { refKey } from '../../../lib/mapping/shared/entityRef.js';
import { CT0, id, kafkaTable, tableEvent } from '../../helpers/catalogEvents.js';
import { naming, ordersLineage, statusEvent, T0 } from '../../helpers/events.js';
import { storedEntities } from '../../helpers/storedEntities.js';

const running = eventToChanges(statusEvent('RUNNING', T0, { lineage: ordersLineage }), naming);
describe('Function: refsToRead', () => {
  it('reads the job, the run, every dataset entity, catalog objects and extra datasets, each once', () => {
    const extra = mapDataset({ namespace: 'kafka://kafka-1:9092', name: 'orders' }, naming);
    const catalog = catalogEventToChanges(tableEvent('DROP', id('orders'), CT0), naming);
    const refs = refsToRead([running, running], [catalog], [extra]);
    const keys = refs.map(refKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining([
      `flink_job|${running.job.qualifiedName}`, `flink_job_run|${running.run!.qualifiedName}`, 'kafka_topic|orders@primary',
      'hive_table|sales.customers_dim@primary', 'hive_db|sales@primary', 'flink_table|default_catalog.default_database.orders@primary',
    ]));
  });
});

describe('Function: planBulkWrite', () => {
  it('sends jobs and runs, then catalog objects, then datasets, linked by negative guids in one request', () => {
    const catalog = catalogEventToChanges(tableEvent('CREATE', id('orders'), CT0, kafkaTable('orders')), naming);
    const plan = planBulkWrite([running], () => undefined, [catalog]);
    const types = plan.request.entities.map((e) => e.typeName);
    expect(types.slice(0, 2)).toEqual(['flink_job', 'flink_job_run']);
    expect(types.indexOf('flink_table')).toBeLessThan(types.indexOf('kafka_topic'));
    expect(plan.request.entities.map((e) => e.guid)).toEqual(plan.request.entities.map((_, i) => `-${i + 1}`));
    const run = plan.request.entities[1];
    expect(run?.relationshipAttributes?.['job']).toEqual({ guid: '-1', typeName: 'flink_job' });
    expect([...plan.entities.values()].every((e) => e.sent)).toBe(true);
  });

  it('refers to stored entities by their guid, sends nothing when Atlas holds everything', () => {
    const first = planBulkWrite([running], () => undefined);
    const stored = storedEntities(...first.request.entities.map((e, i) => ({ ...e, guid: `g-${i}`, status: 'ACTIVE' as const })));
    // The read leaves relationships out, so the job's lineage register reads opaque: equal keys count as the same.
    const again = planBulkWrite([running], stored);
    expect(again.request.entities).toEqual([]);
    expect(again.entities.get(`flink_job|${running.job.qualifiedName}`)).toMatchObject({ guid: 'g-0', sent: false });
  });

  it('does not link a job to a Flink table the same write leaves dropped, and passes the deletes on', () => {
    const lineage = {
      sources: [{ namespace: 'kafka://kafka-1:9092', name: 'orders', symlinks: [{ namespace: 'kafka://kafka-1:9092', name: 'default_catalog.default_database.orders', type: 'TABLE' }] }],
      sinks: [],
    };
    const job = eventToChanges(statusEvent('RUNNING', T0, { lineage }), naming);
    const drop = catalogEventToChanges(tableEvent('DROP', id('orders'), T0 + 1000), naming);
    const table = { typeName: 'flink_table', guid: 'g-t', status: 'ACTIVE' as const, attributes: { qualifiedName: 'default_catalog.default_database.orders@primary', existenceTime: T0 - 1000 } };
    const plan = planBulkWrite([job], storedEntities(table), [drop]);
    const inputs = plan.request.entities.find((e) => e.typeName === 'flink_job')?.relationshipAttributes?.['inputs'] as { typeName: string }[];
    expect(inputs.map((i) => i.typeName)).toEqual(['kafka_topic']);
    expect(plan.deletes).toEqual([{ typeName: 'flink_table', qualifiedName: 'default_catalog.default_database.orders@primary' }]);

    const linked = planBulkWrite([job], storedEntities(table));
    const linkedInputs = linked.request.entities.find((e) => e.typeName === 'flink_job')?.relationshipAttributes?.['inputs'] as { typeName: string; guid?: string }[];
    expect(linkedInputs.map((i) => i.typeName).sort()).toEqual(['flink_table', 'kafka_topic']);
    // The job saw the table later than Atlas did: the table is sent too (its existence time), and linked in the request.
    const sentTable = linked.request.entities.find((e) => e.typeName === 'flink_table');
    expect(sentTable?.attributes).toMatchObject({ existenceTime: T0 });
    expect(linkedInputs.find((i) => i.typeName === 'flink_table')?.guid).toBe(sentTable?.guid);
  });
});
