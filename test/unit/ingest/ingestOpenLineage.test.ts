import { describe, expect, it } from 'vitest';
import { NOT_AN_OPENLINEAGE_EVENT } from '../../../lib/contract/openLineage.js';
import { ingestOpenLineage } from '../../../lib/ingest/ingestOpenLineage.js';
import { naming } from '../../helpers/events.js';
import { MemoryAtlas } from '../../helpers/memoryAtlas.js';
import { fillFixture } from '../../helpers/openLineage.js';

const deps = () => ({ atlas: new MemoryAtlas(), naming });

describe('ingestOpenLineage', () => {
  it('delivers an event of the Flink integration', async () => {
    const result = await ingestOpenLineage(fillFixture('expected_kafka'), deps());
    expect(result.outcome).toBe('delivered');
    if (result.outcome === 'delivered') expect(result.report.results.every((r) => r.outcome === 'written')).toBe(true);
  });

  it("skips another producer's event", async () => {
    const spark = fillFixture('expected_kafka');
    spark.producer = 'https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/spark';
    delete spark.run?.facets?.flink_job;
    delete spark.run?.facets?.processing_engine;
    delete spark.job?.facets?.jobType;
    const result = await ingestOpenLineage(spark, deps());
    expect(result).toMatchObject({ outcome: 'skipped', reason: expect.stringMatching(/^not from the OpenLineage Flink integration/) });
  });

  it('refuses an array and a body that is no OpenLineage event', async () => {
    await expect(ingestOpenLineage([fillFixture('expected_kafka')], deps())).rejects.toMatchObject({ status: 400, problems: [{ message: 'send one OpenLineage event per request, not an array' }] });
    await expect(ingestOpenLineage({ type: 'job.status' }, deps())).rejects.toMatchObject({ status: 400, problems: [{ message: NOT_AN_OPENLINEAGE_EVENT }] });
  });

  it('answers an invalid Flink event as one rejected item', async () => {
    const result = await ingestOpenLineage({ ...fillFixture('expected_kafka'), eventTime: 'soon' }, deps());
    expect(result).toMatchObject({ outcome: 'delivered', report: { results: [{ outcome: 'rejected', problems: [{ pointer: '/eventTime' }] }] } });
  });
});
