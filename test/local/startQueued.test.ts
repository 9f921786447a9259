// `npm start` against an Atlas that fails its entity writes while the samples are posted (issue 15): each sample
// answered 202 is printed as queued, the stack comes up and stays up, and the retry worker writes the queued samples
// once Atlas takes writes again. Runs the real start.ts as a child process, pointed at an emulator of this test's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtlasClient } from '../../lib/atlas/index.js';
import { startAtlasEmulator, type AtlasEmulator } from '../../local/atlas-emulator/index.js';
import { loadSamples, sampleOutcome } from '../../local/samples.js';
import { freePort, READY_TIMEOUT_MS, startLocalStart, type LocalStart } from '../helpers/localStart.js';
import { waitFor } from '../helpers/waitFor.js';

const READY = /flink-atlas-bridge ready: POST (http:\/\/\S+\/flink\/events)/;

describe('sampleOutcome', () => {
  it('takes 200 as written, 202 as queued and every other status as refused', () => {
    expect([200, 202, 207, 400, 401, 500, 503].map(sampleOutcome)).toEqual(['written', 'queued', 'refused', 'refused', 'refused', 'refused', 'refused']);
  });
});

describe('npm start while Atlas fails entity writes', () => {
  let atlas: AtlasEmulator;
  let stack: LocalStart;
  let writesFail = true;

  beforeAll(async () => {
    atlas = await startAtlasEmulator({ port: 0 });
    // Typedefs and reads pass, so start.ts registers its types; every entity write is answered 503.
    atlas.setFault((request) =>
      writesFail && request.method === 'POST' && request.path.includes('/entity/bulk') ? { kind: 'status', status: 503, body: 'Atlas is failing writes (test)' } : undefined,
    );
    const [port, lambdaPort, sqsPort, lineagePort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      LAMBDA_PORT: String(lambdaPort),
      SQS_PORT: String(sqsPort),
      LINEAGE_PORT: String(lineagePort),
      ATLAS_URL: atlas.url,
      ATLAS_USER: 'admin',
      ATLAS_PASSWORD: 'admin',
    };
    for (const name of ['ATLAS_NAMESPACE', 'ATLAS_NAMESPACE_MAP', 'RETRY_QUEUE_URL', 'DEAD_LETTER_QUEUE_URL', 'AWS_ENDPOINT_URL_SQS']) delete env[name];
    stack = await startLocalStart(env, READY);
  }, READY_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    stack?.kill();
    await atlas?.close();
  });

  it('prints every sample as queued, says how many, and stays up', () => {
    const samples = loadSamples();
    for (const { file } of samples) expect(stack.output()).toContain(`  202 ${file}  queued: Atlas failed the write, the retry worker will write it`);
    expect(stack.output()).toContain(`${samples.length} sample event(s) queued`);
    expect(stack.output()).toContain('not in Atlas yet');
    expect(stack.child.exitCode).toBeNull();
  });

  it('writes the queued samples once Atlas takes writes again', async () => {
    writesFail = false;
    const client = new AtlasClient({ baseUrl: atlas.url, user: 'admin', password: 'admin', timeoutMs: 10_000 });
    await waitFor(
      'the queued samples in Atlas',
      async () => (await client.getEntityByQualifiedName('flink_job', 'flink-prod/orders-enrichment@primary')) !== undefined,
      90_000,
      500,
    );
    expect(stack.child.exitCode).toBeNull();
  }, 100_000);
});
