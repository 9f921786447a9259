// Secrets read from SSM Parameter Store through Powertools Parameters (TTL-cached, rotation picked up), and
// never found in a log line or an answer, on the happy path or any failing one.
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as flinkEvents } from '../../functions/flinkEvents.js';
import { handler as openLineage } from '../../functions/openLineage.js';
import { AtlasClient, registerTypes } from '../../lib/atlas/index.js';
import { clearReplayCache } from '../../lib/http/index.js';
import { startAtlasEmulator, type AtlasEmulator } from '../../local/atlas-emulator/index.js';
import { httpEvent, lambdaContext, parseResponse } from '../helpers/apiGateway.js';
import { captureOutput, jsonLines } from '../helpers/captureLogs.js';
import { statusEvent, T0 } from '../helpers/events.js';
import { EVENT_TIME, runEvent } from '../helpers/openLineage.js';
import { signatureHeaders } from '../helpers/signing.js';
import { useBridgeEnv } from '../helpers/stack.js';

const ATLAS_PASSWORD = 'atlas-Pa55word-from-ssm-7d1e';
const WEBHOOK_SECRET = 'whsec_c3NtLXdlYmhvb2stc2VjcmV0LWZvci10ZXN0cy0wMQ==';
const NEXT_WEBHOOK_SECRET = 'whsec_bmV4dC13ZWJob29rLXNlY3JldC1hZnRlci1yb3RhdGlvbg==';
const API_KEY = 'ssm-api-key-5b0f9e2d4c3a1b0f';

/** Every value that must never be printed or answered: the secrets, their base64 payloads, the header forms. */
const FORBIDDEN = [
  ATLAS_PASSWORD, WEBHOOK_SECRET, WEBHOOK_SECRET.slice(6), NEXT_WEBHOOK_SECRET, NEXT_WEBHOOK_SECRET.slice(6), API_KEY,
  `Bearer ${API_KEY}`, Buffer.from(`admin:${ATLAS_PASSWORD}`).toString('base64'),
];

const ssm = mockClient(SSMClient);
let emulator: AtlasEmulator;
let restoreEnv: () => void;
let parameters: Record<string, string>;
let prefix = 0;

/** Fresh parameter names per test: Powertools caches by name for the TTL, across tests too. */
const names = () => ({
  atlas: `/fab/t${prefix}/atlas-password`,
  webhook: `/fab/t${prefix}/webhook-secrets`,
  keys: `/fab/t${prefix}/api-keys`,
});

beforeAll(async () => {
  emulator = await startAtlasEmulator({ users: { admin: ATLAS_PASSWORD } });
  await registerTypes(new AtlasClient({ baseUrl: emulator.url, user: 'admin', password: ATLAS_PASSWORD, timeoutMs: 5000 }));
});
afterAll(() => emulator.close());
beforeEach(() => {
  prefix += 1;
  const n = names();
  parameters = { [n.atlas]: ATLAS_PASSWORD, [n.webhook]: WEBHOOK_SECRET, [n.keys]: API_KEY };
  ssm.reset();
  ssm.on(GetParameterCommand).callsFake((input: { Name?: string }) => {
    const value = parameters[input.Name ?? ''];
    if (value === undefined) throw Object.assign(new Error(`Parameter ${input.Name} not found.`), { name: 'ParameterNotFound' });
    return { Parameter: { Name: input.Name, Value: value, Type: 'SecureString' } };
  });
  clearReplayCache();
  emulator.resetEntities();
  emulator.resetStats();
  restoreEnv = useBridgeEnv(emulator.url, {
    ATLAS_PASSWORD: '',
    ATLAS_PASSWORD_PARAM: n.atlas,
    WEBHOOK_SECRETS_PARAM: n.webhook,
    API_KEYS_PARAM: n.keys,
    AUTH_FLINK_EVENTS: 'signature',
    AUTH_OPENLINEAGE: 'api-key',
    SECRETS_TTL_SECONDS: '1',
    AWS_REGION: 'eu-west-1',
  });
});
afterEach(() => restoreEnv());

const postSigned = async (secret = WEBHOOK_SECRET) => {
  const body = JSON.stringify(statusEvent('RUNNING', T0));
  return parseResponse(await flinkEvents(httpEvent(body, { headers: signatureHeaders(body, { secret }) }), lambdaContext));
};
const postKeyed = async (key: string) =>
  parseResponse(await openLineage(httpEvent(JSON.stringify(runEvent({ eventType: 'START', eventTime: EVENT_TIME })), { path: '/api/v1/lineage', headers: { authorization: `Bearer ${key}` } }), lambdaContext));

const expectNoSecret = (text: string) => {
  for (const secret of FORBIDDEN) expect(text, `found a secret in: ${text.slice(0, 2000)}`).not.toContain(secret);
};

describe('Secrets from SSM Parameter Store (Powertools Parameters)', () => {
  it('reads the Atlas password, webhook secrets and API keys from SSM, decrypted, once per TTL', async () => {
    expect((await postSigned()).status).toBe(200);
    expect((await postSigned()).status).toBe(200);
    expect((await postKeyed(API_KEY)).status).toBe(200);
    const calls = ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input);
    expect(calls.every((input) => input.WithDecryption === true)).toBe(true);
    // Within the TTL each parameter is read once, however many requests.
    expect(calls.map((input) => input.Name).sort()).toEqual([names().keys, names().atlas, names().webhook].sort());
  });

  it('picks up a rotated secret after the TTL, and accepts old and new while both are listed', async () => {
    expect((await postSigned(NEXT_WEBHOOK_SECRET)).status).toBe(401);
    parameters[names().webhook] = `${WEBHOOK_SECRET} ${NEXT_WEBHOOK_SECRET}`;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await postSigned(NEXT_WEBHOOK_SECRET)).status).toBe(200);
    expect((await postSigned(WEBHOOK_SECRET)).status).toBe(200);
  });

  it('never prints or answers a secret: success, bad key, bad signature, Atlas refusing the password, unreadable and malformed parameters', async () => {
    const { output, result: answers } = await captureOutput(async () => {
      const collected: unknown[] = [];
      collected.push(await postSigned());
      collected.push(await postKeyed(API_KEY));
      collected.push(await postKeyed(`${API_KEY.slice(0, -1)}X`));
      collected.push(await postSigned('whsec_d3JvbmctYnV0LXdlbGwtZm9ybWVkLXNlY3JldC0x'));
      // The Atlas password rotated in SSM but not in Atlas: Atlas answers 401, the bridge logs a config hint.
      parameters[names().atlas] = `${ATLAS_PASSWORD}-rotated`;
      await new Promise((resolve) => setTimeout(resolve, 1100));
      collected.push(await postSigned());
      // A parameter that cannot be read, and one that holds a malformed secret.
      delete parameters[names().keys];
      parameters[names().webhook] = `${WEBHOOK_SECRET.slice(0, 12)}!!`;
      await new Promise((resolve) => setTimeout(resolve, 1100));
      collected.push(await postKeyed(API_KEY));
      collected.push(await postSigned());
      return collected;
    });
    const statuses = (answers as { status: number }[]).map((a) => a.status);
    expect(statuses).toEqual([200, 200, 401, 401, 503, 500, 500]);
    expect(jsonLines(output).length).toBeGreaterThan(5);
    expect(output).toMatch(/check ATLAS_USER \/ ATLAS_PASSWORD/);
    expect(output).toMatch(/ParameterNotFound/);
    expect(output).toMatch(/not whsec_ followed by base64/);
    expectNoSecret(output);
    expectNoSecret(JSON.stringify(answers));
    expect(output).not.toContain(`${ATLAS_PASSWORD}-rotated`);
  });
});
