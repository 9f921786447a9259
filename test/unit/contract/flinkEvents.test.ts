import { describe, expect, it } from 'vitest';
import {
  ClusterSchema, FlinkEventSchema, JOB_STATUSES, JobIdSchema, JobLineageEventSchema, JobResultEventSchema, JobStatusEventSchema,
} from '../../../lib/contract/flinkEvents.js';
import { cancelledRun, JOB_ID, resultEvent, statusEvent, T0 } from '../../helpers/events.js';

const issuesOf = (result: { error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((i) => `${i.path.join('/')}: ${i.message}`);

describe('the native job events', () => {
  it('accept a realistic run', () => {
    for (const event of cancelledRun()) expect(issuesOf(FlinkEventSchema.safeParse(event)), event.type).toEqual([]);
  });

  it("spell job statuses exactly as Flink's JobStatus does", () => {
    expect(JOB_STATUSES).toContain('CANCELED');
    expect(JobStatusEventSchema.safeParse(statusEvent('RUNNING', T0, { job: { status: 'CANCELLED' as 'CANCELED' } })).success).toBe(false);
  });

  it('take a JobID only as 32 lower-case hex characters', () => {
    expect(JobIdSchema.safeParse(JOB_ID).success).toBe(true);
    expect(JobIdSchema.safeParse(JOB_ID.toUpperCase()).error?.issues[0]?.message).toBe('must be a Flink JobID: 32 lower-case hex characters');
    expect(JobIdSchema.safeParse(JOB_ID.slice(1)).success).toBe(false);
  });

  it("refuse a cluster name that would break a qualifiedName", () => {
    expect(ClusterSchema.safeParse('flink-prod').success).toBe(true);
    for (const bad of ['a/b', 'a@b', 'a b', '', 'a\u0007b', 'x'.repeat(129)]) expect(ClusterSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it('need a uuid event id and an ISO time with offset', () => {
    expect(issuesOf(JobStatusEventSchema.safeParse({ ...statusEvent('RUNNING', T0), eventId: 'e-1' }))).toEqual([expect.stringMatching(/^eventId: /)]);
    expect(JobStatusEventSchema.safeParse({ ...statusEvent('RUNNING', T0), eventTime: '2026-11-25 09:00' }).success).toBe(false);
    expect(JobStatusEventSchema.safeParse({ ...statusEvent('RUNNING', T0), eventTime: '2026-11-25T10:00:00+01:00' }).success).toBe(true);
  });

  it('default what a sender may leave out: lineage lists and accumulators', () => {
    const parsed = JobStatusEventSchema.parse(statusEvent('RUNNING', T0, { lineage: { sources: [{ namespace: 'file', name: '/in' }] } as never }));
    expect(parsed.lineage).toEqual({ sources: [{ namespace: 'file', name: '/in' }], sinks: [] });
    const result = resultEvent(T0);
    const { accumulators: _a, ...withoutAccumulators } = result.result;
    expect(JobResultEventSchema.parse({ ...result, result: withoutAccumulators }).result.accumulators).toEqual({});
  });

  it('refuse a JobID on static lineage, which describes the job and not a run', () => {
    const lineage = { type: 'job.lineage', eventId: '2f6b0d0c-7a0e-4a4e-9a7e-0f5b9a1c2d3e', eventTime: new Date(T0).toISOString(), cluster: 'c', job: { name: 'j' }, lineage: {} };
    expect(JobLineageEventSchema.safeParse(lineage).success).toBe(true);
    expect(issuesOf(JobLineageEventSchema.safeParse({ ...lineage, job: { name: 'j', id: JOB_ID } }))).toEqual([expect.stringMatching(/^job\/id: /)]);
  });

  it('bound parallelism and times', () => {
    expect(JobStatusEventSchema.safeParse(statusEvent('RUNNING', T0, { job: { parallelism: 0 } })).success).toBe(false);
    expect(JobStatusEventSchema.safeParse(statusEvent('RUNNING', T0, { job: { startTime: -1 } })).success).toBe(false);
  });
});
