// `npm start` against an Atlas that fails its entity writes while the samples are posted (issue 15): each sample
// answered 202 is printed as queued, the stack comes up and stays up, and the retry worker writes the queued samples
// once Atlas takes writes again. Runs the real start.ts as a child process, pointed at an emulator of this test's own.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtlasClient } from '../../lib/atlas/index.js';
import { startAtlasEmulator, type AtlasEmulator } from '../../local/atlas-emulator/index.js';
import { loadSamples, sampleOutcome } from '../../local/samples.js';
import { waitFor } from '../helpers/waitFor.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX_CLI = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
const READY_TIMEOUT_MS = 180_000;
const READY = /flink-atlas-bridge ready: POST (http:\/\/\S+\/flink\/events)/;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

describe('sampleOutcome', () => {
  it('takes 200 as written, 202 as queued and every other status as refused', () => {
    expect([200, 202, 207, 400, 401, 500, 503].map(sampleOutcome)).toEqual(['written', 'queued', 'refused', 'refused', 'refused', 'refused', 'refused']);
  });
});

describe('npm start while Atlas fails entity writes', () => {
  let atlas: AtlasEmulator;
  let child: ChildProcess;
  let output = '';
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
    child = spawn(process.execPath, [TSX_CLI, 'local/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line within ${READY_TIMEOUT_MS / 1000} s:\n${output}`)), READY_TIMEOUT_MS);
      const check = () => {
        if (!READY.test(output)) return;
        clearTimeout(timer);
        resolve();
      };
      child.stdout?.on('data', check);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited (${signal ?? code}) before it was ready:\n${output}`));
      });
    });
  }, READY_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
    await atlas?.close();
  });

  it('prints every sample as queued, says how many, and stays up', () => {
    const samples = loadSamples();
    for (const { file } of samples) expect(output).toContain(`  202 ${file}  queued: Atlas failed the write, the retry worker will write it`);
    expect(output).toContain(`${samples.length} sample event(s) queued`);
    expect(output).toContain('not in Atlas yet');
    expect(child.exitCode).toBeNull();
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
    expect(child.exitCode).toBeNull();
  }, 100_000);
});
