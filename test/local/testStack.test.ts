// The test stack (tsx local/testStack.ts) as the Java tests use it: one JSON line on stdout, credentials
// required on every route, an outage switch, and a clean exit when stdin closes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processGroupAlive } from '../helpers/processGroup.js';
import { signatureHeaders } from '../helpers/signing.js';
import { waitFor } from '../helpers/waitFor.js';
import { STACK_READY_TIMEOUT_MS, startTestStack, type RunningTestStack, type StackInfo } from '../helpers/testStack.js';

// A published example event: what it holds is not this test's subject, only that it gets through.
const EVENT = JSON.parse(readFileSync(fileURLToPath(new URL('../../schema/examples/job.status.json', import.meta.url)), 'utf8')) as { job: { name: string } };

describe('tsx local/testStack.ts', () => {
  let stack: RunningTestStack;
  let info: StackInfo;

  beforeAll(async () => {
    stack = await startTestStack();
    info = stack.info;
  }, STACK_READY_TIMEOUT_MS + 10_000);

  afterAll(() => stack?.kill());

  const signed = (body: string, secret: string): Record<string, string> => ({
    'content-type': 'application/json',
    ...signatureHeaders(body, { secret }),
  });
  const post = (url: string, body: string, headers: Record<string, string>) => axios.post(url, body, { headers, validateStatus: () => true, timeout: 30_000 });

  it('prints every URL and credential on one line, with two distinct accepted secrets', () => {
    expect(info.eventsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/flink\/events$/);
    expect(info.lineageUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/lineage$/);
    expect(info.flinkJobsUrl).toMatch(/\/flink\/jobs$/);
    expect(info.webhookSecrets).toHaveLength(2);
    expect(info.webhookSecrets[0]).toBe(info.webhookSecret);
    expect(new Set(info.webhookSecrets).size).toBe(2);
    expect(info.apiKey.length).toBeGreaterThanOrEqual(16);
  });

  it('accepts a signed event (with either secret) and writes it to Atlas; refuses an unsigned one with 401', async () => {
    const body = JSON.stringify([EVENT]);
    const unsigned = await post(info.eventsUrl, body, { 'content-type': 'application/json' });
    expect(unsigned.status).toBe(401);
    expect(JSON.stringify(unsigned.data)).toContain('MISSING_SIGNATURE_HEADERS');
    const wrong = await post(info.eventsUrl, body, signed(body, `whsec_${Buffer.alloc(32, 7).toString('base64')}`));
    expect(wrong.status).toBe(401);

    for (const secret of info.webhookSecrets) {
      const answer = await post(info.eventsUrl, body, signed(body, secret));
      expect(answer.status, JSON.stringify(answer.data)).toBe(200);
    }
    const job = await axios.get(`${info.atlasUrl}/api/atlas/v2/search/basic`, {
      params: { typeName: 'flink_job', query: EVENT.job.name },
      auth: { username: info.atlasUser, password: info.atlasPassword },
      validateStatus: () => true,
    });
    expect(JSON.stringify(job.data)).toContain(EVENT.job.name);
  });

  it('takes the API key on the lineage route and refuses a request without it', async () => {
    const answer = await post(info.lineageUrl, '{}', { 'content-type': 'application/json' });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
    const keyed = await post(info.lineageUrl, '{}', { 'content-type': 'application/json', authorization: `Bearer ${info.apiKey}` });
    expect(keyed.status, JSON.stringify(keyed.data)).not.toBe(401); // past the credential check
  });

  it('makes Atlas answer 503 on the outage switch and recover when it is turned off', async () => {
    const auth = { username: info.atlasUser, password: info.atlasPassword };
    const read = () => axios.get(`${info.atlasUrl}/api/atlas/v2/types/typedefs/headers`, { auth, validateStatus: () => true });
    expect((await axios.request({ method: info.outage.on, url: info.outage.url })).status).toBe(200);
    expect((await read()).status).toBe(503);
    expect((await axios.request({ method: info.outage.off, url: info.outage.url })).status).toBe(200);
    expect((await read()).status).toBe(200);
  });

  it('exits 0 when stdin closes, and only once what it started (serverless offline) has ended', async () => {
    const exited = new Promise<number | null>((resolve) => stack.child.once('exit', (code) => resolve(code)));
    stack.child.stdin?.end();
    expect(await exited).toBe(0);
    // The stack leads its own process group: once it is gone, no member of the group may be left running.
    await waitFor('its process group to be empty', () => !processGroupAlive(stack.child.pid ?? 0), 5_000);
  }, 30_000);
});
