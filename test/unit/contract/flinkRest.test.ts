import { describe, expect, it } from 'vitest';
import { parseFlinkRestBody } from '../../../lib/contract/flinkRest.js';
import { executionResult, REST_JOB_ID, restJob } from '../../helpers/flinkRest.js';

describe('parseFlinkRestBody', () => {
  it('accepts the bare job JSON of GET /jobs/:jobid', () => {
    const parsed = parseFlinkRestBody(restJob('RUNNING'));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.job.jid).toBe(REST_JOB_ID);
      expect(parsed.value.executionResult).toBeUndefined();
    }
  });

  it('accepts the job with its execution result', () => {
    const parsed = parseFlinkRestBody({ job: restJob('FINISHED'), executionResult: executionResult() });
    expect(parsed.ok).toBe(true);
  });

  it('refuses an execution result of another job, pointing at its id', () => {
    const other = executionResult();
    other['job-execution-result'] = { ...other['job-execution-result'], id: 'ffffffffffffffffffffffffffffffff' };
    expect(parseFlinkRestBody({ job: restJob('FINISHED'), executionResult: other })).toEqual({
      ok: false,
      problems: [{ pointer: '/executionResult/job-execution-result/id', message: `belongs to job ffffffffffffffffffffffffffffffff, not to job.jid ${REST_JOB_ID}` }],
    });
  });

  it('matches the result to the job whatever the case of the ids', () => {
    const upper = executionResult();
    upper['job-execution-result'] = { ...upper['job-execution-result'], id: REST_JOB_ID.toUpperCase() };
    expect(parseFlinkRestBody({ job: restJob('FINISHED'), executionResult: upper }).ok).toBe(true);
  });

  it('names where a bare or wrapped job is wrong', () => {
    const bare = parseFlinkRestBody({ ...restJob(), jid: 42 });
    expect(bare.ok ? [] : bare.problems.map((p) => p.pointer)).toContain('/jid');
    const wrapped = parseFlinkRestBody({ job: { ...restJob(), jid: 42 } });
    expect(wrapped.ok ? [] : wrapped.problems.map((p) => p.pointer)).toContain('/job/jid');
    expect(parseFlinkRestBody('nope').ok).toBe(false);
  });
});
