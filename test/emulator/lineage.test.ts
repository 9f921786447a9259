import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AtlasLineageInfo } from '../../lib/atlas/model.js';
import { flinkJob, hiveTable, json, kafkaTopic, postBulk, registerBridgeTypes, startTestAtlas, type TestAtlas } from './helpers.js';

let atlas: TestAtlas;
/** Stored guids of the kafka_topic → flink_job → hive_table chain. */
let guids: { topic: string; job: string; table: string };

beforeAll(async () => {
  atlas = await startTestAtlas();
  await registerBridgeTypes(atlas.http);
});

beforeEach(async () => {
  atlas.emulator.resetEntities();
  const { body } = await postBulk(atlas.http, [
    kafkaTopic('orders', '-1'),
    hiveTable('sales.orders@prod', '-3'),
    flinkJob('etl', '-2', { inputs: [{ guid: '-1' }], outputs: [{ guid: '-3' }] }),
  ]);
  const assigned = body.guidAssignments ?? {};
  guids = { topic: assigned['-1'] ?? '', job: assigned['-2'] ?? '', table: assigned['-3'] ?? '' };
});

afterAll(async () => {
  await atlas.close();
});

async function lineage(path: string) {
  const response = await atlas.http.get(path);
  return { status: response.status, body: json<AtlasLineageInfo & { errorCode?: string }>(response) };
}

const pairs = (info: AtlasLineageInfo) => info.relations.map((r) => [r.fromEntityId, r.toEntityId]);

describe('GET /v2/lineage', () => {
  it('relates kafka_topic → flink_job → hive_table for the job, with headers of all three', async () => {
    const { status, body } = await lineage(`/v2/lineage/${guids.job}`);

    expect(status).toBe(200);
    expect(body).toMatchObject({ baseEntityGuid: guids.job, lineageDirection: 'BOTH', lineageDepth: 3, relationsOnDemand: {} });
    expect(pairs(body)).toEqual([
      [guids.topic, guids.job],
      [guids.job, guids.table],
    ]);
    expect(Object.keys(body.guidEntityMap).sort()).toEqual([guids.topic, guids.job, guids.table].sort());
    expect(body.guidEntityMap[guids.topic]).toMatchObject({ typeName: 'kafka_topic', displayText: 'orders', status: 'ACTIVE' });
    expect(body.relations[0]?.relationshipId).toEqual(expect.any(String));
  });

  it('walks from a dataset through the process to its inputs for direction INPUT', async () => {
    const { body } = await lineage(`/v2/lineage/${guids.table}?direction=INPUT&depth=1`);

    expect(pairs(body)).toEqual([
      [guids.job, guids.table],
      [guids.topic, guids.job],
    ]);
  });

  it('finds the lineage by unique attribute', async () => {
    const { body } = await lineage('/v2/lineage/uniqueAttribute/type/flink_job?attr:qualifiedName=etl@cluster1&direction=OUTPUT');

    expect(pairs(body)).toEqual([[guids.job, guids.table]]);
  });

  it('keeps a replaced input in the lineage, because Atlas does not filter soft-deleted edges', async () => {
    const { body: write } = await postBulk(atlas.http, [kafkaTopic('payments', '-5'), flinkJob('etl', '-2', { inputs: [{ guid: '-5' }] })]);
    const payments = write.guidAssignments?.['-5'] ?? '';

    const { body } = await lineage(`/v2/lineage/${guids.job}?direction=INPUT`);

    expect(pairs(body)).toEqual([
      [guids.topic, guids.job],
      [payments, guids.job],
    ]);
  });

  it('answers an entity without lineage with 200, no relations and an empty guidEntityMap', async () => {
    const { body: created } = await postBulk(atlas.http, [kafkaTopic('lonely', '-1')]);

    const { status, body } = await lineage(`/v2/lineage/${created.guidAssignments?.['-1'] ?? ''}`);

    expect(status).toBe(200);
    expect(body.relations).toEqual([]);
    expect(body.guidEntityMap).toEqual({});
  });

  it('answers an entity that is neither DataSet nor Process with 404 ATLAS-404-00-011', async () => {
    const db = { typeName: 'hive_db', guid: '-1', attributes: { qualifiedName: 'sales@prod', name: 'sales', clusterName: 'prod' } };
    const { body: created } = await postBulk(atlas.http, [db]);
    const guid = created.guidAssignments?.['-1'] ?? '';

    const { status, body } = await lineage(`/v2/lineage/${guid}`);

    expect(status).toBe(404);
    expect(body).toEqual({
      errorCode: 'ATLAS-404-00-011',
      errorMessage: `Given instance guid ${guid} with type hive_db is not a valid lineage entity type.`,
    });
  });

  it('answers an unknown guid with 404 ATLAS-404-00-005', async () => {
    const { status, body } = await lineage('/v2/lineage/5e5e5e5e-0000-4000-8000-000000000000');

    expect(status).toBe(404);
    expect(body.errorCode).toBe('ATLAS-404-00-005');
  });

  it('answers an unknown unique attribute value with 404 ATLAS-404-00-009', async () => {
    const { status, body } = await lineage('/v2/lineage/uniqueAttribute/type/flink_job?attr:qualifiedName=ghost@cluster1');

    expect(status).toBe(404);
    expect(body.errorCode).toBe('ATLAS-404-00-009');
  });
});
