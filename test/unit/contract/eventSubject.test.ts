import { describe, expect, it } from 'vitest';
import { bounded, flinkRestSubject, nativeEventSubject, openLineageSubject } from '../../../lib/contract/eventSubject.js';

describe('event subjects', () => {
  it('names a native event, bounding long values', () => {
    const event = { eventId: 'e1', type: 'job.status', job: { name: 'n'.repeat(250), id: 'j1', status: 'RUNNING' } };
    expect(nativeEventSubject(event)).toEqual({ eventId: 'e1', job: `${'n'.repeat(200)}…`, run: 'j1', status: 'RUNNING' });
    expect(nativeEventSubject({ eventId: 'b', type: 'job.result' })).toEqual({ eventId: 'b', status: 'job.result' });
  });

  it('leaves out whatever a malformed event lacks, never reading inherited keys', () => {
    expect(nativeEventSubject('junk')).toEqual({});
    expect(nativeEventSubject({ job: ['x'], eventId: { nested: 1 } })).toEqual({});
    expect(nativeEventSubject({ job: { name: 'j', id: 7 } })).toEqual({ job: 'j', run: '7' });
    expect(nativeEventSubject(JSON.parse('{"job":{"__proto__":{"name":"x"}}}'))).toEqual({});
  });

  it('names an OpenLineage event and Flink REST job JSON, bare or wrapped', () => {
    expect(openLineageSubject({ eventType: 'START', job: { name: 'j' }, run: { runId: 'r' } })).toEqual({ job: 'j', run: 'r', status: 'START' });
    expect(flinkRestSubject({ name: 'j', jid: 'r', state: 'RUNNING' })).toEqual({ job: 'j', run: 'r', status: 'RUNNING' });
    expect(flinkRestSubject({ job: { name: 'j', jid: 'r', state: 'FAILED' } })).toEqual({ job: 'j', run: 'r', status: 'FAILED' });
  });

  it('bounds strings and numbers only', () => {
    expect(bounded('abcdef', 3)).toBe('abc…');
    expect(bounded(12)).toBe('12');
    expect(bounded({ a: 1 })).toBeUndefined();
  });
});
