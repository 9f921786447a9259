// Re-adding a removed array element, and POST /v2/relationship, as Atlas does them (EntityGraphMapper.mapArrayValue,
// AtlasRelationshipStoreV2.create; checked against a real Atlas 2.1.0 server, docs/real-atlas.md).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AtlasRelatedObjectId } from '../../lib/atlas/model.js';
import { flinkJob, getByQualifiedName, json, kafkaTopic, postBulk, registerBridgeTypes, startTestAtlas, type TestAtlas } from './helpers.js';

let atlas: TestAtlas;
beforeAll(async () => {
  atlas = await startTestAtlas();
  await registerBridgeTypes(atlas.http);
});
beforeEach(() => atlas.emulator.resetEntities());
afterAll(async () => atlas.close());

const topicRef = (name: string) => ({ typeName: 'kafka_topic', uniqueAttributes: { qualifiedName: `${name}@prod` } });
const writeJob = (inputs: string[]) => postBulk(atlas.http, [flinkJob('etl', '-1', { inputs: inputs.map(topicRef) })]);
const inputsOf = async () => {
  const { entity } = (await getByQualifiedName(atlas.http, 'flink_job', 'etl@cluster1')).body;
  const inputs = entity.relationshipAttributes?.inputs as AtlasRelatedObjectId[];
  return { guid: entity.guid, inputs: inputs.map((i) => `${i.displayText}:${i.relationshipStatus}`).sort() };
};

describe('a removed input sent again', () => {
  it('[a,b] -> [a] -> [a,b]: b, sent at the index of its old edge, stays DELETED', async () => {
    await postBulk(atlas.http, [kafkaTopic('a', '-1'), kafkaTopic('b', '-2')]);
    await writeJob(['a', 'b']);
    await writeJob(['a']);
    await writeJob(['a', 'b']);
    expect((await inputsOf()).inputs).toEqual(['a:ACTIVE', 'b:DELETED']);
  });

  it('[a,b] -> [a] -> [b,a]: b at another edge\'s index gets a new ACTIVE edge', async () => {
    await postBulk(atlas.http, [kafkaTopic('a', '-1'), kafkaTopic('b', '-2')]);
    await writeJob(['a', 'b']);
    await writeJob(['a']);
    await writeJob(['b', 'a']);
    expect((await inputsOf()).inputs).toEqual(['a:ACTIVE', 'b:ACTIVE', 'b:DELETED']);
  });
});

describe('POST /v2/relationship', () => {
  const post = (body: unknown) => atlas.http.post('/v2/relationship', body);

  it('links a DELETED pair anew, then refuses a second ACTIVE one with 409 ATLAS-409-00-004', async () => {
    const topics = (await postBulk(atlas.http, [kafkaTopic('a', '-1'), kafkaTopic('b', '-2')])).body;
    await writeJob(['a', 'b']);
    await writeJob(['a']);
    await writeJob(['a', 'b']);
    const { guid } = await inputsOf();
    const body = { typeName: 'dataset_process_inputs', end1: { guid, typeName: 'flink_job' }, end2: { guid: topics.guidAssignments?.['-2'], typeName: 'kafka_topic' } };
    const created = await post(body);
    expect(created.status).toBe(200);
    expect(json(created)).toMatchObject({ typeName: 'dataset_process_inputs', status: 'ACTIVE' });
    expect((await inputsOf()).inputs).toEqual(['a:ACTIVE', 'b:ACTIVE', 'b:DELETED']);
    const again = await post(body);
    expect(again.status).toBe(409);
    expect(json(again)).toMatchObject({ errorCode: 'ATLAS-409-00-004' });
  });

  it('404 for an end that does not exist, 400 for an unknown relationship type or ends of the wrong types', async () => {
    const topics = (await postBulk(atlas.http, [kafkaTopic('a', '-1'), flinkJob('etl', '-2')])).body;
    const [topic, job] = [topics.guidAssignments?.['-1'], topics.guidAssignments?.['-2']];
    expect((await post({ typeName: 'dataset_process_inputs', end1: { guid: job }, end2: { guid: 'no-such-guid' } })).status).toBe(404);
    expect(json(await post({ typeName: 'no_such_relationship', end1: { guid: job }, end2: { guid: topic } }))).toMatchObject({ errorCode: 'ATLAS-400-00-014' });
    expect(json(await post({ typeName: 'dataset_process_inputs', end1: { guid: topic }, end2: { guid: job } }))).toMatchObject({ errorCode: 'ATLAS-400-00-036' });
  });
});
