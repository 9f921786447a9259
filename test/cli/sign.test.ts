// `flink-atlas sign` (`npm run sign`) prints a curl line; run as printed, it is accepted by the real handler behind HTTP.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.js';
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

/** The CLI as a process (what `npm run sign -- ... < event.json` runs), the body on standard input. */
const sign = (body: string, args: string[], env: NodeJS.ProcessEnv = process.env): string =>
  execFileSync(TSX, ['cli/run.ts', 'sign', ...args], { cwd: ROOT, input: body, env, encoding: 'utf8', timeout: 30_000 }).replace(/\n$/, '');

/** The CLI in process: the body from a "file" of the io, the environment given whole. */
const signInProcess = (body: string, args: string[], env: Record<string, string> = {}) =>
  runCliCaptured(['sign', ...args], env, async (path) => (path === 'body.json' ? body : Promise.reject(new Error('ENOENT: no such file'))));

describe('flink-atlas sign', () => {
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

  it('defaults to the first of WEBHOOK_SECRETS and BRIDGE_URL/flink/events, as on the local stack; --id and --timestamp are used', async () => {
    const body = readFileSync(`${ROOT}schema/examples/job.status.json`, 'utf8');
    const answer = await signInProcess(body, ['body.json', '--id', 'msg_fixed', '--timestamp', String(Math.floor(Date.now() / 1000))], {
      WEBHOOK_SECRETS: `${TEST_WEBHOOK_SECRET} whsec_b3RoZXItc2VjcmV0LW9mLWFub3RoZXItc2VuZGVy`,
      BRIDGE_URL: `${server.url}/`,
    });
    expect(answer.exitCode, answer.stderr).toBe(0);
    expect(answer.stdout).toContain(`curl -sS -X POST '${server.url}/flink/events'`);
    expect(answer.stdout).toContain("-H 'webhook-id: msg_fixed'");
    expect(await shell(`${answer.stdout.trimEnd()} -o /dev/null -w '%{http_code}'`)).toBe('200');
  });

  it('usage errors (exit 2): no secret, an unreadable file, a body a shell line cannot carry, a bad timestamp', async () => {
    const noSecret = await signInProcess('{}', ['body.json'], { BRIDGE_API_KEY: 'only-a-key-here' });
    expect(noSecret).toMatchObject({ exitCode: 2, stdout: '' });
    expect(noSecret.stderr).toContain('no secret: pass --secret whsec_... or set WEBHOOK_SECRET');
    const missing = await signInProcess('{}', ['missing.json', '--secret', TEST_WEBHOOK_SECRET]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('cannot read missing.json');
    const control = await signInProcess(`{"a":"bell${String.fromCharCode(7)}"}`, ['body.json', '--secret', TEST_WEBHOOK_SECRET]);
    expect(control.exitCode).toBe(2);
    expect(control.stderr).toContain('control characters');
    expect((await signInProcess('{}', ['body.json', '--secret', TEST_WEBHOOK_SECRET, '--timestamp', 'soon'])).exitCode).toBe(2);
  });
});
