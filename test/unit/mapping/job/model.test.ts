import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BRIDGE_TYPEDEFS } from '../../../../lib/atlas/index.js';
import { FlinkEventSchema, type JobLineageEvent } from '../../../../lib/contract/index.js';
import { writeEvents } from '../../../../lib/ingest/index.js';
import { planBulkWrite } from '../../../../lib/mapping/bulkRequest.js';
import { eventToChanges, lineageDigestOf, RUN_REGISTERS } from '../../../../lib/mapping/job/model.js';
import type { StoredEntities } from '../../../../lib/mapping/shared/entityRef.js';
import { deploymentEvent, iso, JOB_ID, naming, ordersLineage, resultEvent, statusEvent, T0 } from '../../../helpers/events.js';
import { MemoryAtlas } from '../../../helpers/memoryAtlas.js';

const nothingStored: StoredEntities = () => undefined;

describe('Function: eventToChanges', () => {
  it('keys one job per (cluster, job name) and one run per Flink JobID', () => {
    const changes = eventToChanges(statusEvent('RUNNING', T0), naming);
    expect(changes.job.qualifiedName).toBe('flink-prod/orders-enrichment@primary');
    expect(changes.run?.qualifiedName).toBe(`flink-prod/orders-enrichment/${JOB_ID}@primary`);
    expect(changes.run?.identity).toMatchObject({ jobId: JOB_ID, cluster: 'flink-prod', name: `orders-enrichment (${JOB_ID})` });
  });

  it('leaves endTime unset while the job is RUNNING and takes startTime from the event time', () => {
    const run = eventToChanges(statusEvent('RUNNING', T0), naming).run!;
    expect(run.state.maximums).toEqual({});
    expect(run.state.minimums).toEqual({ startTime: T0 });
  });

  it('sets endTime from the event time of a globally terminal status without endTime', () => {
    const run = eventToChanges(statusEvent('FAILED', T0 + 5), naming).run!;
    expect(run.state.maximums).toEqual({ endTime: T0 + 5 });
    expect(run.state.registers.status?.rank).toBe(1);
  });

  it('treats SUSPENDED as not globally terminal', () => {
    const run = eventToChanges(statusEvent('SUSPENDED', T0), naming).run!;
    expect(run.state.registers.status?.rank).toBe(0);
    expect(run.state.maximums).toEqual({});
  });

  it('maps the lineage of a status event onto the job, inputs and outputs sorted by qualifiedName', () => {
    const changes = eventToChanges(statusEvent('INITIALIZING', T0, { lineage: ordersLineage }), naming);
    const inputs = [
      { typeName: 'kafka_topic', qualifiedName: 'orders@primary' },
      { typeName: 'hive_table', qualifiedName: 'sales.customers_dim@primary' },
    ];
    const outputs = [{ typeName: 'aws_s3_v2_directory', qualifiedName: 's3://lake/enriched/orders/@primary' }];
    expect(changes.job.state.registers.lineage?.value).toEqual({ inputs, outputs, lineageDigest: lineageDigestOf(inputs, outputs) });
    expect(changes.datasets).toHaveLength(3);
  });

  it('stores accumulators as strings on the run', () => {
    const run = eventToChanges(resultEvent(T0, { accumulators: { rows: 12, note: 'x' } }), naming).run!;
    expect(run.state.registers.result?.value).toMatchObject({ netRuntimeMs: 60_000, accumulators: { rows: '12', note: 'x' } });
  });

  it('puts a deployment on the job, and on the run when it names the JobID', () => {
    const withRun = eventToChanges(deploymentEvent(T0, '1.0.0'), naming);
    expect(withRun.job.state.registers.deployment).toMatchObject({ at: T0, value: { deploymentVersion: '1.0.0' } });
    expect(withRun.run?.state.registers.deployment?.value).toMatchObject({ deploymentVersion: '1.0.0' });
    expect(eventToChanges(deploymentEvent(T0, '1.0.0', null), naming).run).toBeUndefined();
  });
});

describe('Function: planBulkWrite', () => {
  it('links new datasets by negative guid in the same request', () => {
    const plan = planBulkWrite([eventToChanges(statusEvent('INITIALIZING', T0, { lineage: ordersLineage }), naming)], nothingStored);
    const job = plan.request.entities.find((e) => e.typeName === 'flink_job')!;
    const topic = plan.request.entities.find((e) => e.typeName === 'kafka_topic')!;
    expect(topic.guid).toMatch(/^-\d+$/);
    expect(job.relationshipAttributes?.inputs).toContainEqual({ guid: topic.guid, typeName: 'kafka_topic' });
    const run = plan.request.entities.find((e) => e.typeName === 'flink_job_run')!;
    expect(run.relationshipAttributes?.job).toEqual({ guid: job.guid, typeName: 'flink_job' });
  });

  it('references a dataset Atlas already holds by its guid and never resends its attributes', () => {
    const stored: StoredEntities = (ref) =>
      ref.qualifiedName === 'sales.customers_dim@primary' && ref.typeName === 'hive_table'
        ? { typeName: 'hive_table', guid: 'hive-guid', attributes: { qualifiedName: ref.qualifiedName, owner: 'hive' } }
        : undefined;
    const plan = planBulkWrite([eventToChanges(statusEvent('INITIALIZING', T0, { lineage: ordersLineage }), naming)], stored);
    expect(plan.request.entities.map((e) => e.typeName)).not.toContain('hive_table');
    const job = plan.request.entities.find((e) => e.typeName === 'flink_job')!;
    expect(job.relationshipAttributes?.inputs).toContainEqual({ guid: 'hive-guid', typeName: 'hive_table' });
  });

  it('writes nothing when Atlas already holds what the event says', () => {
    const event = statusEvent('RUNNING', T0);
    const first = planBulkWrite([eventToChanges(event, naming)], nothingStored);
    const asStored = new Map(first.request.entities.map((e) => [`${e.typeName}|${e.attributes.qualifiedName as string}`, { ...e, guid: `g${e.guid}` }]));
    const again = planBulkWrite([eventToChanges(event, naming)], (ref) => asStored.get(`${ref.typeName}|${ref.qualifiedName}`));
    expect(again.request.entities).toEqual([]);
  });
});

const lineageEvent = (at: number, overrides: Partial<JobLineageEvent> = {}): JobLineageEvent => ({
  type: 'job.lineage',
  eventId: randomUUID(),
  eventTime: iso(at),
  cluster: 'flink-prod',
  job: { name: 'orders-enrichment' },
  lineage: ordersLineage,
  ...overrides,
});

const RUN_QN = 'flink_job_run|flink-prod/orders-enrichment/3f2a9c1e5b7d4e0f8a6b1c2d3e4f5a6b@primary';

describe('Function: eventToChanges (checkpoints)', () => {
  it('puts the checkpoint counts of a status event into their own register on the run', () => {
    const run = eventToChanges(statusEvent('RUNNING', T0, { checkpoints: { completed: 3, failed: 1, inProgress: 0, restored: 0, total: 4 } }), naming).run!;
    expect(run.state.registers.checkpoints).toMatchObject({
      at: T0,
      value: { checkpointsCompleted: 3, checkpointsFailed: 1, checkpointsInProgress: 0, checkpointsRestored: 0, checkpointsTotal: 4 },
    });
  });

  it('keeps the counts of the latest event when an older one arrives after it', async () => {
    const atlas = new MemoryAtlas();
    const newer = statusEvent('RUNNING', T0 + 20, { checkpoints: { completed: 9, total: 9 } });
    const older = statusEvent('RUNNING', T0 + 10, { checkpoints: { completed: 2, total: 2 } });
    for (const event of [newer, older]) await writeEvents([{ index: 0, event }], atlas, naming);
    expect(atlas.entities.get(RUN_QN)?.attributes).toMatchObject({ checkpointsCompleted: 9, checkpointsTotal: 9, checkpointsTime: T0 + 20 });
  });

  it('declares every checkpoint attribute as an optional attribute of flink_job_run', () => {
    const run = BRIDGE_TYPEDEFS.entityDefs?.find((d) => d.name === 'flink_job_run');
    const declared = new Map((run?.attributeDefs ?? []).map((a) => [a.name, a.isOptional]));
    const spec = RUN_REGISTERS.checkpoints!;
    for (const name of [spec.timeAttribute, ...spec.attributes]) expect(declared.get(name), name).toBe(true);
  });
});

describe('Function: eventToChanges (job.lineage)', () => {
  it('sets the lineage and execution mode of the job and touches no run', () => {
    const changes = eventToChanges(lineageEvent(T0, { job: { name: 'orders-enrichment', executionMode: 'STREAMING' } }), naming);
    expect(changes.run).toBeUndefined();
    expect(changes.job.state.registers.lineage?.value).toMatchObject({ outputs: [{ typeName: 'aws_s3_v2_directory', qualifiedName: 's3://lake/enriched/orders/@primary' }] });
    expect(changes.job.state.registers.executionMode?.value).toEqual({ executionMode: 'STREAMING' });
    expect(changes.datasets).toHaveLength(3);
  });

  it('gives the same job lineage as a status event with the same datasets', () => {
    const fromStatic = eventToChanges(lineageEvent(T0), naming).job.state.registers.lineage;
    const fromRun = eventToChanges(statusEvent('INITIALIZING', T0, { lineage: ordersLineage }), naming).job.state.registers.lineage;
    expect(fromStatic).toEqual(fromRun);
  });

  it('is refused by the contract when it names a JobID', () => {
    const withRun = { ...lineageEvent(T0), job: { name: 'orders-enrichment', id: '3f2a9c1e5b7d4e0f8a6b1c2d3e4f5a6b' } };
    expect(FlinkEventSchema.safeParse(withRun).success).toBe(false);
    expect(FlinkEventSchema.safeParse(lineageEvent(T0)).success).toBe(true);
  });
});

describe('lineageDigestOf', () => {
  const topic = (name: string) => ({ typeName: 'kafka_topic', qualifiedName: `${name}@primary` });

  it('names the inputs and outputs written: equal lists give one digest, any other list or side another', () => {
    const ab = lineageDigestOf([topic('a'), topic('b')], [topic('x')]);
    expect(ab).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(lineageDigestOf([topic('a'), topic('b')], [topic('x')])).toBe(ab);
    expect(new Set([
      ab, lineageDigestOf([topic('a')], [topic('x')]), lineageDigestOf([topic('a'), topic('b'), topic('x')], []),
      lineageDigestOf([topic('a')], [topic('b'), topic('x')]), lineageDigestOf([{ typeName: 'hive_table', qualifiedName: 'a@primary' }, topic('b')], [topic('x')]),
    ]).size).toBe(5);
  });

  it('is set with the lineage register, from the sorted refs the event maps to', () => {
    const changes = eventToChanges(statusEvent('RUNNING', T0, { lineage: ordersLineage }), naming);
    const value = changes.job.state.registers.lineage?.value as { inputs: { typeName: string; qualifiedName: string }[]; outputs: never[]; lineageDigest: string };
    expect(value.lineageDigest).toBe(lineageDigestOf(value.inputs, value.outputs));
  });
});
