import { describe, expect, it } from 'vitest';
import { planBulkWrite } from '../../../../lib/mapping/bulkRequest.js';
import { eventToChanges } from '../../../../lib/mapping/job/model.js';
import type { StoredEntities } from '../../../../lib/mapping/shared/entityRef.js';
import { deploymentEvent, JOB_ID, naming, ordersLineage, resultEvent, statusEvent, T0 } from '../../../helpers/events.js';

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
    expect(changes.job.state.registers.lineage?.value).toEqual({
      inputs: [
        { typeName: 'kafka_topic', qualifiedName: 'orders@primary' },
        { typeName: 'hive_table', qualifiedName: 'sales.customers_dim@primary' },
      ],
      outputs: [{ typeName: 'aws_s3_v2_directory', qualifiedName: 's3://lake/enriched/orders/@primary' }],
    });
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
