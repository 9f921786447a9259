import { describe, expect, it } from 'vitest';
import type { NativeEvent } from '../../../lib/contract/nativeEvents.js';
import { deliverConverted, rejectedBody } from '../../../lib/ingest/deliverConverted.js';
import { naming, statusEvent, T0 } from '../../helpers/events.js';
import { MemoryAtlas } from '../../helpers/memoryAtlas.js';

describe('deliverConverted', () => {
  it('writes converted events that fit the native contract and rejects the rest, saying they were converted', async () => {
    const tooLong = statusEvent('RUNNING', T0, { job: { name: 'x'.repeat(1001) } });
    const report = await deliverConverted([statusEvent('RUNNING', T0), tooLong], { job: 'j', status: 'RUNNING' }, { atlas: new MemoryAtlas(), naming });
    expect(report.isArray).toBe(false);
    expect(report.results.map((r) => [r.index, r.outcome])).toEqual([[0, 'written'], [1, 'rejected']]);
    expect(report.results[1]).toMatchObject({ eventId: tooLong.eventId, problems: [{ pointer: '/job/name', message: expect.stringMatching(/^in the converted job\.status event: /) }] });
    // Both lines name the request the events were converted from.
    expect(report.subjects).toEqual([{ job: 'j', status: 'RUNNING' }, { job: 'j', status: 'RUNNING' }]);
  });

  it('never writes a catalog event, which no converter produces', async () => {
    const atlas = new MemoryAtlas();
    const catalog = { type: 'catalog.database', eventId: statusEvent('RUNNING', T0).eventId, eventTime: new Date(T0).toISOString(), cluster: 'c', action: 'DROP', catalogName: 'c', databaseName: 'd' } as NativeEvent;
    const report = await deliverConverted([catalog], {}, { atlas, naming });
    expect(report.results.map((r) => r.outcome)).toEqual(['rejected']);
    expect(atlas.snapshot()).toEqual(new MemoryAtlas().snapshot());
  });

  it('answers a body that failed validation as one rejected item', () => {
    expect(rejectedBody([{ pointer: '/jid', message: 'm' }], { run: 'r' })).toEqual({
      isArray: false, results: [{ outcome: 'rejected', index: 0, problems: [{ pointer: '/jid', message: 'm' }] }], subjects: [{ run: 'r' }],
    });
  });
});
