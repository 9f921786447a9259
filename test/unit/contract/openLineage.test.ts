import { describe, expect, it } from 'vitest';
import { NOT_AN_OPENLINEAGE_EVENT, openLineageKindOf, parseIsoInstant, parseOpenLineageEvent } from '../../../lib/contract/openLineage.js';
import { EVENT_TIME, fillFixture, FIXTURES } from '../../helpers/openLineage.js';

describe('parseIsoInstant', () => {
  it('reads offsets in every ISO form and cuts the fraction to ms', () => {
    const utc = Date.UTC(2026, 10, 25, 9, 0, 0, 123);
    expect(parseIsoInstant('2026-11-25T09:00:00.123456Z')).toBe(utc);
    expect(parseIsoInstant('2026-11-25T10:00:00.123+01:00')).toBe(utc);
    expect(parseIsoInstant('2026-11-25T10:30:00.123+0130')).toBe(utc);
    expect(parseIsoInstant('2026-11-25T07:00:00.123-02')).toBe(utc);
    expect(parseIsoInstant('2026-11-25T10:00:00.123+01:00[Europe/Berlin]')).toBe(utc);
    expect(parseIsoInstant('2026-11-25T09:00Z')).toBe(Date.UTC(2026, 10, 25, 9, 0));
  });

  it('refuses what is not a real instant with an offset', () => {
    for (const text of ['2026-11-25T09:00:00', '2026-02-30T09:00:00Z', '2026-11-25T24:00:00Z', '2026-11-25T09:00:00+19:00', 'yesterday']) {
      expect(parseIsoInstant(text), text).toBeUndefined();
    }
  });
});

describe('openLineageKindOf', () => {
  it('tells the spec’s three events apart by run, dataset and job', () => {
    expect(openLineageKindOf({ run: {}, job: {} })).toBe('run');
    expect(openLineageKindOf({ dataset: {} })).toBe('dataset');
    expect(openLineageKindOf({ job: {} })).toBe('job');
    expect(openLineageKindOf({})).toBeUndefined();
    expect(openLineageKindOf([{ run: {} }])).toBeUndefined();
    expect(openLineageKindOf(null)).toBeUndefined();
  });
});

describe('parseOpenLineageEvent', () => {
  it.each(FIXTURES)('accepts the integration’s %s event, its time normalised', (name) => {
    const parsed = parseOpenLineageEvent(fillFixture(name));
    expect(parsed.ok, JSON.stringify(parsed.ok ? '' : parsed.problems)).toBe(true);
    if (parsed.ok && parsed.value.kind === 'run') expect(parsed.value.event.eventTime).toBe(new Date(parseIsoInstant(EVENT_TIME) ?? 0).toISOString());
  });

  it('says a body is not an OpenLineage event when it has none of run, job and dataset', () => {
    expect(parseOpenLineageEvent({ eventType: 'START' })).toEqual({ ok: false, problems: [{ pointer: '', message: NOT_AN_OPENLINEAGE_EVENT }] });
  });

  it('points at a bad event time', () => {
    const parsed = parseOpenLineageEvent({ ...fillFixture('expected_kafka'), eventTime: 'soon' });
    expect(parsed.ok ? [] : parsed.problems.map((p) => p.pointer)).toEqual(['/eventTime']);
  });
});
