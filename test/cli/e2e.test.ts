// flink-atlas end to end against the local stack's pieces: the Atlas emulator, a real local SQS, and the real
// POST /flink/events handler behind a small HTTP server (what serverless offline does in `npm start`). The commands
// run through runCli, so the commander wiring, the flags and the exit codes are what is tested.
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as flinkEvents } from '../../functions/flinkEvents.js';
import { runCli, type CliIo } from '../../cli/main.js';
import { RetryQueue } from '../../lib/queue/index.js';
import { queueEnv, startLocalSqs, type LocalSqs } from '../../local/localSqs.js';
import { httpEvent, lambdaContext } from '../helpers/apiGateway.js';
import { statusEvent, T0 } from '../helpers/events.js';
import { startTestAtlas, useBridgeEnv, type TestAtlas } from '../helpers/stack.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let atlas: TestAtlas;
let sqs: LocalSqs;
let bridge: http.Server;
let bridgeUrl = '';
let restoreEnv: () => void;
let env: Record<string, string>;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
const dir = mkdtempSync(join(tmpdir(), 'flink-atlas-cli-'));

/** The handler behind HTTP, as API Gateway (or serverless offline) calls it. */
const startBridge = async (): Promise<void> => {
  bridge = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: request.headers, body });
      const headers = Object.fromEntries(Object.entries(request.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
      void (async () => {
        const result = (await flinkEvents(httpEvent(body, { headers }), lambdaContext)) as { statusCode: number; headers?: Record<string, string>; body?: string };
        response.writeHead(result.statusCode, result.headers ?? {});
        response.end(result.body ?? '');
      })();
    });
  });
  await new Promise<void>((resolve) => bridge.listen(0, '127.0.0.1', resolve));
  bridgeUrl = `http://127.0.0.1:${(bridge.address() as AddressInfo).port}`;
};

const run = async (args: string[], extraEnv: Record<string, string> = {}) => {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: { ...env, ...extraEnv },
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readInput: async (path) => readFileSync(path, 'utf8'),
    progress: false,
  };
  const exitCode = await runCli(args, io);
  return { exitCode, stdout, stderr };
};

const file = (name: string, body: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
  return path;
};

beforeAll(async () => {
  atlas = await startTestAtlas({ register: false });
  sqs = await startLocalSqs();
  env = {
    ATLAS_URL: atlas.emulator.url,
    ATLAS_USER: 'admin',
    ATLAS_PASSWORD: 'admin',
    ATLAS_TIMEOUT_MS: '3000',
    ...queueEnv(sqs),
    AUTH_FLINK_EVENTS: 'signature',
    AUTH_OPENLINEAGE: 'signature',
    AUTH_FLINK_JOBS: 'signature',
    WEBHOOK_SECRETS: SECRET,
    BRIDGE_URL: '',
  };
  // The handler reads the same settings (no confirmation pass: nothing polls the retry queue here).
  restoreEnv = useBridgeEnv(atlas.emulator.url, {
    ...queueEnv(sqs),
    CONFIRM_DELAY_SECONDS: '0',
  });
  for (const [k, v] of Object.entries({ AUTH_FLINK_EVENTS: 'signature', WEBHOOK_SECRETS: SECRET })) process.env[k] = v;
  await startBridge();
  env.BRIDGE_URL = bridgeUrl;
}, 30_000);

afterAll(async () => {
  delete process.env.AUTH_FLINK_EVENTS;
  delete process.env.WEBHOOK_SECRETS;
  restoreEnv?.();
  await new Promise<void>((resolve) => bridge?.close(() => resolve()));
  sqs?.sqs.destroy();
  await sqs?.close();
  await atlas?.emulator.close();
});

describe('flink-atlas against the local stack', () => {
  it('doctor finds the bridge types missing; register-types registers them; doctor then passes every check', async () => {
    const before = await run(['doctor']);
    expect(before.exitCode).toBe(1);
    expect(before.stdout).toMatch(/PASS {2}Atlas reachable +GET http:\/\/127\.0\.0\.1:\d+\/api\/atlas\/admin\/status: ACTIVE/);
    expect(before.stdout).toMatch(/FAIL {2}bridge types registered +missing in Atlas: .*flink_job/);
    expect(before.stdout).toMatch(/PASS {2}queues reachable +retry queue: 0 waiting/);

    const registered = await run(['register-types']);
    expect(registered.exitCode, registered.stderr).toBe(0);
    expect(registered.stdout).toMatch(/created: +.*flink_job/);
    expect((await run(['register-types'])).stdout).toMatch(/created: +none/);

    const after = await run(['doctor']);
    expect(after.exitCode, after.stdout).toBe(0);
    expect(after.stdout).toContain('All 7 checks passed.');

    const wrongPassword = await run(['doctor'], { ATLAS_PASSWORD: 'wrong' });
    expect(wrongPassword.exitCode).toBe(1);
    expect(wrongPassword.stdout).toMatch(/FAIL {2}credentials accepted +Atlas .*HTTP 401/);
  });

  it('send signs the body, posts it to the bridge, and shows the answer; map showed the same entities', async () => {
    const event = statusEvent('RUNNING', T0, { lineage: { sources: [{ namespace: 'kafka://k:9092', name: 'payments' }], sinks: [] } });
    const path = file('event.json', event);
    const mapped = await run(['map', path]);
    expect(mapped.exitCode).toBe(0);
    expect(mapped.stdout).toMatch(/kafka_topic +payments@primary/);

    received.length = 0;
    const sent = await run(['send', path]);
    expect(sent.exitCode, sent.stdout + sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/flink\/events \(native, signed \(Standard Webhooks, secret whsec_…\(38 characters\)\)\) → 200/);
    expect(sent.stdout).toContain('"outcome": "written"');
    const [request] = received;
    const expected = createHmac('sha256', Buffer.from(SECRET.slice(6), 'base64'))
      .update(`${request?.headers['webhook-id']}.${request?.headers['webhook-timestamp']}.${request?.body}`)
      .digest('base64');
    expect(request?.headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(atlas.emulator.entities().some((e) => e.typeName === 'kafka_topic' && e.attributes.qualifiedName === 'payments@primary')).toBe(true);

    // The handler checks signatures (AUTH_FLINK_EVENTS=signature): unsigned, the same file is refused.
    const unsigned = await run(['send', path, '--unsigned']);
    expect(unsigned.exitCode).toBe(1);
    expect(unsigned.stdout).toContain('(native, unsigned) → 401');
    expect(unsigned.stderr).toContain('401: the bridge refused the request');

    // --secret over the environment: a secret the bridge does not hold is refused (a flag, not a variadic list).
    const wrongSecret = await run(['send', path, '--secret', 'whsec_b3RoZXItc2VjcmV0LW9mLWFub3RoZXItc2VuZGVy']);
    expect(wrongSecret.exitCode, wrongSecret.stderr).toBe(1);
    expect(wrongSecret.stdout).toContain('→ 401');
  });

  it('send replays a big file in batches of at most 500 events', async () => {
    const events = Array.from({ length: 620 }, (_, i) => statusEvent('RUNNING', T0 + i, { job: { id: (i % 20).toString(16).padStart(32, 'a'), name: 'replay' } }));
    received.length = 0;
    const sent = await run(['send', file('replay.json', events)]);
    expect(sent.exitCode, sent.stdout).toBe(0);
    expect(received.map((r) => (JSON.parse(r.body) as unknown[]).length)).toEqual([500, 120]);
    expect(sent.stdout).toMatch(/events 1-500 of 620: 200 {2}written 500/);
    expect(sent.stdout).toContain('All 2 requests answered 2xx.');
  });

  it('send shows a rejection and exits 1; a request the bridge refuses says why', async () => {
    const bad = await run(['send', file('bad.json', { ...statusEvent('RUNNING', T0), cluster: 'a/b' })]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain('→ 400');
    expect(bad.stdout).toContain("must not contain '/', '@', whitespace or control characters");
    expect(bad.stderr).toContain('`flink-atlas map <file>` explains each problem');
  });

  it('dlq list, show and redrive work on what Atlas rejected', async () => {
    atlas.emulator.setFault((req) => (req.isWrite ? { kind: 'status', status: 400, body: JSON.stringify({ errorCode: 'ATLAS-400-00-01A', errorMessage: 'invalid entity' }) } : undefined));
    const event = statusEvent('FAILED', T0, { job: { id: 'c'.repeat(32), name: 'doomed' } });
    const sent = await run(['send', file('doomed.json', event)]);
    atlas.emulator.setFault(undefined);
    expect(sent.stdout).toContain('→ 502');
    expect(sent.stderr).toContain('the events are in the dead-letter queue (`flink-atlas dlq list`)');

    const list = await run(['dlq', 'list']);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${event.eventId} +doomed +FAILED +ATLAS-400-00-01A`));
    expect(list.stdout).toContain('1 message, 1 event.');

    const show = await run(['dlq', 'show', event.eventId]);
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toContain('  error:          ATLAS-400-00-01A: ');
    expect(show.stdout).toContain(`"eventId": "${event.eventId}"`);
    expect((await run(['dlq', 'show', 'no-such-id'])).exitCode).toBe(1);

    const dry = await run(['dlq', 'redrive', '--dry-run', '--filter', 'jobName=doomed']);
    expect(dry.stdout).toContain('Would move 1 message to the retry queue');
    expect((await run(['dlq', 'redrive', '--filter', 'nope=1'])).exitCode).toBe(2);
    const moved = await run(['dlq', 'redrive', '--filter', 'jobName=doomed']);
    expect(moved.stdout).toContain('Moved 1 message to the retry queue');
    const queue = new RetryQueue(sqs.sqs, sqs.urls);
    expect((await queue.depth('retry')).visible).toBe(1);
    expect((await run(['dlq', 'list'])).stdout).toContain('The dead-letter queue is empty.');
  });

  it('answers usage errors with exit code 2', async () => {
    expect((await run(['map'])).exitCode).toBe(2);
    expect((await run(['map', join(dir, 'missing.json')])).stderr).toContain('cannot read');
    expect((await run(['send', 'x.json'], { BRIDGE_URL: '' })).stderr).toContain('no bridge URL');
    expect((await run(['dlq', 'list'], { RETRY_QUEUE_URL: '', DEAD_LETTER_QUEUE_URL: '' })).exitCode).toBe(2);
    expect((await run(['frobnicate'])).exitCode).toBe(2);
    expect((await run(['--help'])).exitCode).toBe(0);
  });

  it('runs as the flink-atlas bin, with the exit codes of the commands', () => {
    const bin = (args: string[], input?: string) =>
      spawnSync(process.execPath, [join(ROOT, 'cli/bin.mjs'), ...args], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8', input, timeout: 30_000 });
    const help = bin(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: flink-atlas');
    const mapped = bin(['map', '-'], JSON.stringify(statusEvent('RUNNING', T0)));
    expect(mapped.status, mapped.stderr).toBe(0);
    expect(mapped.stdout).toContain('standard input: native events for POST /flink/events (1 accepted, 0 rejected)');
    expect(bin(['map', '--kind', 'xml', '-']).status).toBe(2);
  }, 40_000);
});
