// Request bodies through the running local stack (tsx local/testStack.ts: the HTTP front, serverless offline,
// the bundled functions, the emulator) as API Gateway delivers them: docs/http-bodies.md.
import { gzipSync } from 'node:zlib';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillFixture } from '../helpers/openLineage.js';
import { openLineageJavaGzipHeaders, postBytes, type RawAnswer } from '../helpers/rawHttp.js';
import { signatureHeaders } from '../helpers/signing.js';
import { STACK_READY_TIMEOUT_MS, startTestStack, type RunningTestStack } from '../helpers/testStack.js';

describe('request bodies through the local stack', () => {
  let stack: RunningTestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  }, STACK_READY_TIMEOUT_MS + 10_000);

  afterAll(() => stack?.kill());

  const javaClientHeaders = () => openLineageJavaGzipHeaders(stack.info.apiKey);

  const atlasEntity = async (typeName: string, qualifiedName: string) =>
    axios.get(`${stack.info.atlasUrl}/api/atlas/v2/entity/uniqueAttribute/type/${typeName}`, {
      params: { 'attr:qualifiedName': qualifiedName },
      auth: { username: stack.info.atlasUser, password: stack.info.atlasPassword },
      validateStatus: () => true,
    });

  /** Every entity the answer reports for its first event is in the emulator. */
  const expectWritten = async (answer: RawAnswer) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const entities = answer.body.results[0].entities as Array<{ typeName: string; qualifiedName: string; guid: string }>;
    expect(entities.map((e) => e.typeName)).toContain('flink_job');
    for (const { typeName, qualifiedName, guid } of entities) {
      const stored = await atlasEntity(typeName, qualifiedName);
      expect(stored.status, `${typeName} ${qualifiedName}`).toBe(200);
      expect(stored.data.entity.guid).toBe(guid);
    }
  };

  it('accepts an OpenLineage RunEvent gzipped as openlineage-java HttpTransport sends it, and writes it to Atlas', async () => {
    const event = fillFixture('expected_kafka');
    const answer = await postBytes(stack.info.lineageUrl, gzipSync(Buffer.from(JSON.stringify(event), 'utf8')), javaClientHeaders());
    await expectWritten(answer);
  });

  it('takes a JSON body that API Gateway hands over base64-encoded (a +json media type) and writes it', async () => {
    const event = fillFixture('expected_jdbc');
    const answer = await postBytes(stack.info.lineageUrl, Buffer.from(JSON.stringify(event), 'utf8'), {
      'content-type': 'application/vnd.openlineage+json',
      authorization: `Bearer ${stack.info.apiKey}`,
    });
    await expectWritten(answer);
  });

  it('refuses a body that is not UTF-8 with 400 naming the byte offset, on a signed route as on a keyed one', async () => {
    const prefix = Buffer.from('{"type":"job.status","note":"');
    const body = Buffer.concat([prefix, Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const signed = await postBytes(stack.info.eventsUrl, body, { 'content-type': 'application/json', ...signatureHeaders(body, { secret: stack.info.webhookSecret }) });
    expect(signed.status, JSON.stringify(signed.body)).toBe(400);
    expect(signed.body.error).toBe('INVALID_UTF8');
    expect(JSON.stringify(signed.body)).toContain(`byte offset ${prefix.length}`);
    const gzipped = await postBytes(stack.info.lineageUrl, gzipSync(body), javaClientHeaders());
    expect(gzipped.status).toBe(400);
    expect(JSON.stringify(gzipped.body)).toContain(`byte offset ${prefix.length}`);
  });

  it('answers 413 for a body over MAX_BODY_BYTES, as sent and once inflated', async () => {
    const limit = 1024 * 1024; // the functions' default MAX_BODY_BYTES
    const padded = Buffer.from(JSON.stringify({ padding: 'x'.repeat(limit) }));
    const plain = await postBytes(stack.info.lineageUrl, padded, { 'content-type': 'application/json', authorization: `Bearer ${stack.info.apiKey}` });
    expect(plain.status).toBe(413);
    expect(plain.body.error).toBe('BODY_TOO_LARGE');
    const bomb = gzipSync(padded);
    expect(bomb.length).toBeLessThan(limit / 100);
    const inflated = await postBytes(stack.info.lineageUrl, bomb, javaClientHeaders());
    expect(inflated.status).toBe(413);
    expect(JSON.stringify(inflated.body)).toContain('inflated');
  });
});
