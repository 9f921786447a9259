import { describe, expect, it } from 'vitest';
import { InputRejection } from '../../../lib/errors.js';
import { ingestFlinkRest } from '../../../lib/ingest/ingestFlinkRest.js';
import { naming } from '../../helpers/events.js';
import { executionResult, restJob } from '../../helpers/flinkRest.js';
import { MemoryAtlas } from '../../helpers/memoryAtlas.js';

describe('ingestFlinkRest', () => {
  it('requires a valid ?cluster=, naming the parameter', async () => {
    const deps = { atlas: new MemoryAtlas(), naming };
    await expect(ingestFlinkRest(restJob(), {}, deps)).rejects.toThrow(InputRejection);
    await expect(ingestFlinkRest(restJob(), { cluster: '' }, deps)).rejects.toMatchObject({ status: 400, code: 'INVALID_PARAMETER', problems: [{ message: expect.stringMatching(/^the query parameter cluster is required/) }] });
    await expect(ingestFlinkRest(restJob(), { cluster: 'a/b' }, deps)).rejects.toMatchObject({ problems: [{ message: expect.stringMatching(/^the query parameter cluster must not contain/) }] });
  });

  it('writes a running job as one status event', async () => {
    const report = await ingestFlinkRest(restJob('RUNNING'), { cluster: 'flink-prod' }, { atlas: new MemoryAtlas(), naming });
    expect(report.results.map((r) => r.outcome)).toEqual(['written']);
  });

  it('writes a finished job with its result as a status and a result event', async () => {
    const report = await ingestFlinkRest({ job: restJob('FINISHED'), executionResult: executionResult() }, { cluster: 'flink-prod' }, { atlas: new MemoryAtlas(), naming });
    expect(report.results.map((r) => r.outcome)).toEqual(['written', 'written']);
  });

  it('answers an invalid body as one rejected item', async () => {
    const report = await ingestFlinkRest({ jid: 1 }, { cluster: 'flink-prod' }, { atlas: new MemoryAtlas(), naming });
    expect(report).toMatchObject({ isArray: false, results: [{ outcome: 'rejected', index: 0 }] });
  });
});
