// `npm run sign` prints a curl line; run as printed, it is accepted by the real handler behind HTTP.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/flinkEvents.js';
import { serveHandler } from '../helpers/handlerServer.js';
import { TEST_WEBHOOK_SECRET } from '../helpers/signing.js';
import { startTestAtlas, useBridgeEnv, type TestAtlas } from '../helpers/stack.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = `${ROOT}node_modules/.bin/tsx`;

let atlas: TestAtlas;
let server: { url: string; close(): Promise<void> };
let restoreEnv: () => void;

beforeAll(async () => {
  atlas = await startTestAtlas();
  restoreEnv = useBridgeEnv(atlas.emulator.url, { AUTH_FLINK_EVENTS: 'signature', WEBHOOK_SECRETS: TEST_WEBHOOK_SECRET });
  server = await serveHandler(handler as never);
});
afterAll(async () => {
  await server.close();
  restoreEnv();
  await atlas.emulator.close();
});

/** Runs a shell line without blocking the event loop: the server answering it lives in this process. */
const shell = async (line: string): Promise<string> => (await promisify(execFile)('bash', ['-c', line], { encoding: 'utf8', timeout: 30_000 })).stdout;

const sign = (body: string, args: string[], env: NodeJS.ProcessEnv = process.env): string =>
  execFileSync(TSX, ['scripts/sign.ts', ...args], { cwd: ROOT, input: body, env, encoding: 'utf8', timeout: 30_000 }).replace(/\n$/, '');

describe('npm run sign', () => {
  it('prints a curl line that the bridge accepts as sent (the example event, its quotes and its trailing newline)', async () => {
    const body = readFileSync(`${ROOT}schema/examples/job.status.json`, 'utf8').replace('orders-enrichment', "orders-enrichment 'quoted'");
    const line = sign(body, ['--secret', TEST_WEBHOOK_SECRET, '--url', `${server.url}/flink/events`]);
    expect(line).toMatch(/^curl -sS -X POST /);
    expect(line).toContain("-H 'webhook-signature: v1,");
    expect(line).not.toContain(TEST_WEBHOOK_SECRET);
    const answer = JSON.parse(await shell(line)) as { summary?: { written?: number } };
    expect(answer.summary?.written).toBe(1);
  });

  it('takes the secret from WEBHOOK_SECRET, and a wrong secret gives a line the bridge refuses with 401', async () => {
    const body = readFileSync(`${ROOT}schema/examples/job.result.json`, 'utf8');
    const good = sign(body, ['--url', `${server.url}/flink/events`], { ...process.env, WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });
    expect(await shell(`${good} -o /dev/null -w '%{http_code}'`)).toBe('200');
    const wrong = sign(body, ['--secret', 'whsec_b3RoZXItc2VjcmV0LW9mLWFub3RoZXItc2VuZGVy', '--url', `${server.url}/flink/events`]);
    expect(await shell(`${wrong} -o /dev/null -w '%{http_code}'`)).toBe('401');
  });

  it('refuses a malformed secret without printing it', () => {
    let stderr = '';
    try {
      sign('{}', ['--secret', 'whsec_not base64 at all']);
    } catch (error) {
      stderr = String((error as { stderr?: unknown }).stderr);
    }
    expect(stderr).toContain('not whsec_ followed by base64');
    expect(stderr).not.toContain('not base64 at all');
  });
});
