// flink-atlas map: the listing and the bulk request for each kind of body, and rejections in the API's words.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapBody } from '../../cli/commands/map.js';
import { detectBodyKind } from '../../lib/contract/bodyKind.js';
import { ingestFlinkEvents } from '../../lib/ingest/index.js';
import { naming, statusEvent, T0, ordersLineage } from '../helpers/events.js';
import { restJob } from '../helpers/flinkRest.js';
import { fillFixture, runEvent } from '../helpers/openLineage.js';
import { MemoryAtlas } from '../helpers/memoryAtlas.js';

const sample = (file: string): string => readFileSync(new URL(`../../local/samples/${file}`, import.meta.url), 'utf8');

describe('detectBodyKind', () => {
  it('tells native events, OpenLineage events and Flink REST job JSON apart', async () => {
    expect(detectBodyKind(statusEvent('RUNNING', T0))).toEqual({ kind: 'native', certain: true });
    expect(detectBodyKind([statusEvent('RUNNING', T0), {}])).toEqual({ kind: 'native', certain: true });
    expect(detectBodyKind(fillFixture('expected_kafka'))).toEqual({ kind: 'openlineage', certain: true });
    expect(detectBodyKind([fillFixture('expected_kafka'), fillFixture('expected_jdbc')])).toEqual({ kind: 'openlineage', certain: true });
    expect(detectBodyKind(restJob())).toEqual({ kind: 'flink-rest', certain: true });
    expect(detectBodyKind({ job: restJob(), executionResult: {} })).toEqual({ kind: 'flink-rest', certain: true });
    expect(detectBodyKind({ hello: 'world' })).toEqual({ kind: 'native', certain: false });
    expect(detectBodyKind(42)).toEqual({ kind: 'native', certain: false });
  });
});

describe('flink-atlas map', () => {
  it('lists each entity of a native event with its key attributes and relationships', async () => {
    const out = await mapBody(sample('02-orders-enrichment.job.status.INITIALIZING.json'), { naming, source: 'job.json' });
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain('job.json: native events for POST /flink/events (1 accepted, 0 rejected)');
    expect(out.stdout).toMatch(/^ {4}flink_job {12}flink-prod\/orders-enrichment@primary$/m);
    expect(out.stdout).toContain('inputs → kafka_topic customers@primary, kafka_topic orders@primary, hive_table sales.customers_dim@primary');
    expect(out.stdout).toMatch(/hive_table +sales\.customers_dim@primary\n +name=customers_dim parameters=\{"flink\.bridge\.owner":"flink-atlas-bridge"\}\n +db → hive_db sales@primary\n +hive_db +sales@primary\n/);
    expect(out.stdout).toMatch(/aws_s3_v2_directory +s3:\/\/lake\/enriched\/orders\/@primary\n.*objectPrefix=\/enriched\/orders\/\n +container → aws_s3_v2_directory s3:\/\/lake\/enriched\/@primary/);
    expect(out.stdout).toContain('status=INITIALIZING');
    expect(out.stdout).toContain('1 event → 10 distinct entities. Nothing was written.');
  });

  it('applies ATLAS_NAMESPACE and ATLAS_NAMESPACE_MAP as the bridge does', async () => {
    const event = statusEvent('RUNNING', T0, { lineage: ordersLineage });
    const out = await mapBody(JSON.stringify(event), { naming: { atlasNamespace: 'prod', namespaceOverrides: { 'kafka://kafka-1:9092': 'kafka-prod' } } });
    expect(out.stdout).toContain('flink-prod/orders-enrichment@prod');
    expect(out.stdout).toMatch(/kafka_topic +orders@kafka-prod\n/);
  });

  it('prints the raw bulk request with --json, the same request the write path sends to an empty Atlas', async () => {
    const event = statusEvent('RUNNING', T0, { lineage: ordersLineage });
    const out = await mapBody(JSON.stringify([event]), { naming, json: true });
    expect(out.exitCode).toBe(0);
    const request = JSON.parse(out.stdout) as { entities: { typeName: string; guid: string; attributes: Record<string, unknown> }[] };
    expect(request.entities.map((e) => e.typeName).sort()).toEqual([
      'aws_s3_v2_bucket', 'aws_s3_v2_directory', 'aws_s3_v2_directory', 'flink_job', 'flink_job_run', 'hive_db', 'hive_table', 'kafka_topic',
    ]);
    expect(request.entities.every((e) => e.guid.startsWith('-'))).toBe(true);
    expect(out.stderr).toBe('');
  });

  it('explains rejections with the pointers and messages of the API', async () => {
    const good = statusEvent('RUNNING', T0);
    const bad = { ...statusEvent('RUNNING', T0), cluster: 'prod/eu', job: { ...good.job, id: 'ABC' } };
    const body = [good, bad, { type: 'job.nope' }];
    const out = await mapBody(JSON.stringify(body), { naming });
    expect(out.exitCode).toBe(1);

    // The API's own answer for the same body, through the same ingest code.
    const api = await ingestFlinkEvents(body, { atlas: new MemoryAtlas(), naming });
    const apiProblems = api.results.flatMap((r) => (r.outcome === 'rejected' ? r.problems : []));
    expect(apiProblems.length).toBeGreaterThan(2);
    for (const problem of apiProblems) expect(out.stdout).toContain(`${problem.pointer}: ${problem.message}`);
    expect(out.stdout).toContain('/1/job/id: must be a Flink JobID: 32 lower-case hex characters');
    expect(out.stdout).toContain("/1/cluster: must not contain '/', '@', whitespace or control characters");
    expect(out.stdout).toContain('2 items rejected: the API answers 207');
    // The good event is still mapped.
    expect(out.stdout).toContain('/0  job.status RUNNING  flink-prod/orders-enrichment');
  });

  it('rejects what is not JSON, or an empty array, with the API messages', async () => {
    const broken = await mapBody('{"type": "job.status",', { naming });
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr).toMatch(/rejected \(400 INVALID_JSON\)\n {2}\(body\): the body is not valid JSON: /);
    const empty = await mapBody('[]', { naming });
    expect(empty.exitCode).toBe(1);
    expect(empty.stdout).toContain('(body): the array holds no events');
    expect(empty.stdout).toContain('rejected (400 EMPTY_BATCH)');
  });

  it('maps an OpenLineage event from the Flink integration through the converter', async () => {
    const out = await mapBody(JSON.stringify(fillFixture('expected_kafka')), { naming });
    expect(out.exitCode, out.stdout).toBe(0);
    expect(out.stdout).toContain('OpenLineage for POST /api/v1/lineage (1 accepted, 0 rejected)');
    expect(out.stdout).toContain('flink_job_namespace/flink_examples_stateful@primary');
    expect(out.stdout).toContain('status=INITIALIZING');
    expect(out.stdout).toContain('flink_job_run');
  });

  it('says why an OpenLineage event is skipped or rejected, as POST /api/v1/lineage would', async () => {
    const other = runEvent({ eventType: 'START', eventTime: '2026-11-25T09:00:00Z', jobId: null, runFacets: { processing_engine: { name: 'spark' } } });
    other.producer = 'https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/spark';
    const skipped = await mapBody(JSON.stringify(other), { naming });
    expect(skipped.exitCode).toBe(0);
    expect(skipped.stdout).toMatch(/skipped \(answered 200 \{"skipped": true\}\): not from the OpenLineage Flink integration/);

    const broken = runEvent({ eventType: 'START', eventTime: 'yesterday' });
    const rejected = await mapBody(JSON.stringify(broken), { naming });
    expect(rejected.exitCode).toBe(1);
    expect(rejected.stdout).toContain('/eventTime: must be an ISO-8601 date-time with an offset');
  });

  it('maps Flink REST job JSON with --cluster, and says the cluster is required without it', async () => {
    const out = await mapBody(JSON.stringify(restJob('FINISHED')), { naming, cluster: 'flink-prod' });
    expect(out.exitCode, out.stdout).toBe(0);
    expect(out.stdout).toContain('Flink REST job JSON for POST /flink/jobs?cluster=flink-prod');
    expect(out.stdout).toContain('(2 accepted, 0 rejected)');
    expect(out.stdout).toContain('status=FINISHED');
    expect(out.stdout).toMatch(/recordsIn=1200 recordsOut=1100|recordsOut=1100/);

    const missing = await mapBody(JSON.stringify(restJob()), { naming });
    expect(missing.exitCode).toBe(1);
    expect(missing.stdout).toContain('the query parameter cluster is required');
  });

  it('notes that a native array over 500 events is one request too many for the API, and still maps it', async () => {
    const events = Array.from({ length: 501 }, (_, i) => statusEvent('RUNNING', T0 + i));
    const out = await mapBody(JSON.stringify(events), { naming });
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain('would answer 413 to these 501 as one');
    expect(out.stdout).toContain('501 events → 2 distinct entities');
  });
});
