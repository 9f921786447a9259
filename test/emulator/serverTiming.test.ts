// The emulator's timing hook for the bench: Server-Timing on every answer when asked for, never otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atlasClient, startTestAtlas, type TestAtlas } from './helpers.js';

let timed: TestAtlas;
let plain: TestAtlas;

beforeAll(async () => {
  [timed, plain] = await Promise.all([startTestAtlas({ serverTiming: true }), startTestAtlas()]);
});

afterAll(async () => {
  await Promise.all([timed.close(), plain.close()]);
});

const duration = (header: unknown): number => {
  const match = /^emulator;dur=(\d+(?:\.\d+)?)$/.exec(String(header));
  expect(match, `Server-Timing: ${String(header)}`).not.toBeNull();
  return Number(match![1]);
};

describe('serverTiming', () => {
  it('times reads, writes and errors with Server-Timing: emulator;dur=<ms>', async () => {
    const write = await timed.http.post('/v2/entity/bulk', {
      entities: [{ typeName: 'kafka_topic', attributes: { qualifiedName: 'timed@prod', name: 'timed', topic: 'timed', uri: 'b:9092' } }],
    });
    const read = await timed.http.get('/v2/entity/uniqueAttribute/type/kafka_topic', { params: { 'attr:qualifiedName': 'timed@prod' } });
    const missing = await timed.http.get('/v2/entity/uniqueAttribute/type/kafka_topic', { params: { 'attr:qualifiedName': 'none@prod' } });
    const unauthorized = await atlasClient(timed.emulator.url).get('/v2/types/typedefs/headers');

    expect([write.status, read.status, missing.status, unauthorized.status]).toEqual([200, 200, 404, 401]);
    for (const response of [write, read, missing, unauthorized]) {
      const ms = duration(response.headers['server-timing']);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(5_000);
    }
  });

  it('sends no Server-Timing unless asked', async () => {
    const response = await plain.http.get('/v2/types/typedefs/headers');

    expect(response.status).toBe(200);
    expect(response.headers['server-timing']).toBeUndefined();
  });
});
