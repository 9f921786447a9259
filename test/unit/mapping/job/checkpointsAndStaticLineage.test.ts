import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FlinkEventSchema, type JobLineageEvent } from '../../../../lib/contract/index.js';
import { BRIDGE_TYPEDEFS } from '../../../../lib/atlas/index.js';
import { writeEvents } from '../../../../lib/ingest/index.js';
import { eventToChanges, RUN_REGISTERS } from '../../../../lib/mapping/job/model.js';
import { iso, naming, ordersLineage, statusEvent, T0 } from '../../../helpers/events.js';
import { MemoryAtlas } from '../../../helpers/memoryAtlas.js';

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
