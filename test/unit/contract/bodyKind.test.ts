import { describe, expect, it } from 'vitest';
import { BODY_KINDS, detectBodyKind, ENDPOINT_OF } from '../../../lib/contract/bodyKind.js';
import { restJob } from '../../helpers/flinkRest.js';
import { fillFixture } from '../../helpers/openLineage.js';

describe('detectBodyKind', () => {
  it('tells native events, OpenLineage events and Flink REST job JSON apart by shape', () => {
    expect(detectBodyKind({ type: 'job.status', job: {} })).toEqual({ kind: 'native', certain: true });
    expect(detectBodyKind({ type: 'catalog.table' })).toEqual({ kind: 'native', certain: true });
    expect(detectBodyKind(fillFixture('expected_kafka'))).toEqual({ kind: 'openlineage', certain: true });
    expect(detectBodyKind({ job: { namespace: 'flink', name: 'j' } })).toEqual({ kind: 'openlineage', certain: true });
    expect(detectBodyKind(restJob())).toEqual({ kind: 'flink-rest', certain: true });
    expect(detectBodyKind({ job: restJob(), executionResult: {} })).toEqual({ kind: 'flink-rest', certain: true });
  });

  it('takes an array as native unless every item is OpenLineage', () => {
    expect(detectBodyKind([{ type: 'job.status' }, { eventId: 'x' }])).toEqual({ kind: 'native', certain: true });
    expect(detectBodyKind([{ eventType: 'START' }, { run: {} }])).toEqual({ kind: 'openlineage', certain: true });
    expect(detectBodyKind([{ eventType: 'START' }, { jid: 'x' }])).toEqual({ kind: 'native', certain: false });
    expect(detectBodyKind([])).toEqual({ kind: 'native', certain: false });
  });

  it('checks anything unrecognisable as native, saying it is not certain', () => {
    for (const body of [null, 'text', 42, {}, { something: 1 }]) expect(detectBodyKind(body)).toEqual({ kind: 'native', certain: false });
    expect(detectBodyKind({ cluster: 'prod' })).toEqual({ kind: 'native', certain: true });
  });

  it('names the endpoint of every kind', () => {
    expect(BODY_KINDS.map((kind) => ENDPOINT_OF[kind])).toEqual(['/flink/events', '/api/v1/lineage', '/flink/jobs']);
  });
});
