// 10,000 malformed and hostile requests (FUZZ_BODIES to change) through the real handlers, with the Atlas
// emulator behind them: every one must get a 4xx with a JSON error body; none may crash a handler, leave an
// unhandled rejection, or reach Atlas at all.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as flinkEvents } from '../../functions/flinkEvents.js';
import { handler as flinkJobs } from '../../functions/flinkJobs.js';
import { handler as openLineage } from '../../functions/openLineage.js';
import { clearReplayCache } from '../../lib/http/index.js';
import { httpEvent, lambdaContext } from '../helpers/apiGateway.js';
import { TEST_API_KEY, TEST_WEBHOOK_SECRET } from '../helpers/signing.js';
import { startTestAtlas, useBridgeEnv, type TestAtlas } from '../helpers/stack.js';
import { fuzzCases, type FuzzCase, type FuzzRoute } from './fuzzBodies.js';

const BODIES = Number(process.env.FUZZ_BODIES ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);

const HANDLERS: Record<FuzzRoute, (event: never, context: typeof lambdaContext) => Promise<unknown>> = {
  flinkEvents: flinkEvents as never,
  openLineage: openLineage as never,
  flinkJobs: flinkJobs as never,
};
const PATHS: Record<FuzzRoute, string> = { flinkEvents: '/flink/events', openLineage: '/api/v1/lineage', flinkJobs: '/flink/jobs' };

let atlas: TestAtlas;
let restoreEnv: () => void;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  atlas = await startTestAtlas();
  atlas.emulator.resetStats();
  // No queue: nothing can leave but through Atlas, and Atlas must see nothing.
  restoreEnv = useBridgeEnv(atlas.emulator.url, {
    AUTH_FLINK_EVENTS: 'signature', AUTH_OPENLINEAGE: 'api-key', AUTH_FLINK_JOBS: 'signature,api-key',
    WEBHOOK_SECRETS: TEST_WEBHOOK_SECRET, API_KEYS: TEST_API_KEY,
  });
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  restoreEnv();
  await atlas.emulator.close();
});

interface Outcome {
  status: number | 'crash';
  code: string;
  jsonError: boolean;
}

const send = async (c: FuzzCase): Promise<Outcome> => {
  const event = httpEvent(c.body, { path: PATHS[c.route], headers: c.headers, base64: true });
  if (c.query !== undefined) event.queryStringParameters = c.query;
  // The content-type header the case sets (or removes) wins over the helper's default.
  if (!('content-type' in c.headers)) delete event.headers['content-type'];
  try {
    const response = (await HANDLERS[c.route](event as never, lambdaContext)) as { statusCode?: number; body?: string; headers?: Record<string, string> };
    let body: { error?: unknown } | undefined;
    try {
      body = JSON.parse(String(response.body)) as { error?: unknown };
    } catch {
      body = undefined;
    }
    return {
      status: response.statusCode ?? 200,
      code: typeof body?.error === 'string' ? body.error === 'UNAUTHORIZED' ? `UNAUTHORIZED ${String((body as { reason?: unknown }).reason)}` : body.error : '(no error field)',
      jsonError: typeof body?.error === 'string' && response.headers?.['content-type'] === 'application/json',
    };
  } catch (error) {
    return { status: 'crash', code: error instanceof Error ? error.message : String(error), jsonError: false };
  }
};

const table = (counts: Map<string, number>): string =>
  [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `    ${String(n).padStart(6)}  ${k}`).join('\n');

describe(`Fuzz: ${BODIES} malformed and hostile requests through the real handlers`, () => {
  it('answers every one 4xx with a JSON error, crashes nothing, and never reaches Atlas', async () => {
    const started = Date.now();
    const cases = fc.sample(fuzzCases(), { numRuns: BODIES, seed: SEED });
    const byStatus = new Map<string, number>();
    const byCode = new Map<string, number>();
    const byKind = new Map<string, number>();
    const failures: string[] = [];
    for (const c of cases) {
      clearReplayCache();
      const outcome = await send(c);
      byStatus.set(String(outcome.status), (byStatus.get(String(outcome.status)) ?? 0) + 1);
      byCode.set(`${outcome.status} ${outcome.code}`, (byCode.get(`${outcome.status} ${outcome.code}`) ?? 0) + 1);
      byKind.set(`${c.route} ${c.kind}`, (byKind.get(`${c.route} ${c.kind}`) ?? 0) + 1);
      const ok = typeof outcome.status === 'number' && outcome.status >= 400 && outcome.status < 500 && outcome.jsonError;
      if (!ok && failures.length < 20) failures.push(`${c.route} ${c.kind} → ${outcome.status} ${outcome.code}: ${c.body.subarray(0, 300).toString('utf8')}`);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `fuzz (seed ${SEED}): ${cases.length} requests in ${seconds} s; Atlas requests ${atlas.emulator.stats.requests}, writes ${atlas.emulator.stats.writes}; unhandled rejections ${unhandled.length}\n` +
        `  by status:\n${table(byStatus)}\n  by answer:\n${table(byCode)}\n  by generator:\n${table(byKind)}`,
    );
    expect(failures).toEqual([]);
    expect(byStatus.get('crash') ?? 0).toBe(0);
    expect(unhandled).toEqual([]);
    expect(atlas.emulator.stats.writes).toBe(0);
    expect(atlas.emulator.stats.requests).toBe(0);
    expect(cases.length).toBe(BODIES);
  }, 180_000);
});
