// Real-server scenarios (npm run test:atlas, via atlas-server/run.sh): the same handler calls against the
// emulator and a real Atlas at REAL_ATLAS_URL, with each side's stored entity compared after normalising
// what the server assigns (guids, timestamps, versions, users).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/flinkJobs.js';
import { AtlasClient, registerTypes } from '../../lib/atlas/index.js';
import { httpEvent, lambdaContext, parseResponse } from '../helpers/apiGateway.js';
import { REST_JOB_ID, restJob } from '../helpers/flinkRest.js';
import { startTestAtlas, useBridgeEnv, type TestAtlas } from '../helpers/stack.js';

const REAL_URL = process.env.REAL_ATLAS_URL;
if (REAL_URL === undefined) throw new Error('REAL_ATLAS_URL is not set: run these through npm run test:atlas');
const realAtlas = new AtlasClient({ baseUrl: REAL_URL, user: 'admin', password: 'admin', timeoutMs: 60_000 });
const RUN_QN = `flink-prod/orders-enrichment/${REST_JOB_ID}@primary`;

/** What both servers must agree on: drop what each assigns by itself. */
const SERVER_ASSIGNED = new Set(['guid', 'createTime', 'updateTime', 'version', 'createdBy', 'updatedBy', 'homeId', 'proxy']);
const normalise = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(normalise);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !SERVER_ASSIGNED.has(k)).map(([k, v]) => [k, normalise(v)]));
};

let emulator: TestAtlas;
beforeAll(async () => {
  emulator = await startTestAtlas();
  await registerTypes(realAtlas);
}, 600_000);
afterAll(async () => emulator.emulator.close());

const postJob = async (atlasUrl: string, body: unknown) => {
  const restore = useBridgeEnv(atlasUrl, { ATLAS_TIMEOUT_MS: '60000' });
  try {
    const query = { cluster: 'flink-prod' };
    const event = httpEvent(JSON.stringify(body), { path: '/flink/jobs' });
    return parseResponse(await handler({ ...event, rawQueryString: new URLSearchParams(query).toString(), queryStringParameters: query }, lambdaContext));
  } finally {
    restore();
  }
};

const storedRun = async (client: AtlasClient) => normalise((await client.getEntityByQualifiedName('flink_job_run', RUN_QN))?.entity);

describe('real Atlas beside the emulator', () => {
  it('stores a running job the same way, and a duplicate post is a no-op on both', async () => {
    for (const url of [emulator.emulator.url, REAL_URL]) {
      for (let i = 0; i < 2; i++) expect((await postJob(url, restJob('RUNNING'))).status).toBe(200);
    }
    expect(await storedRun(realAtlas)).toEqual(await storedRun(emulator.client));
  }, 120_000);
});
