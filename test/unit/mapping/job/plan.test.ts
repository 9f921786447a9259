// The job's and runs' registers against what Atlas holds: decoding the stored state, and sending only what changed.
import { describe, expect, it } from 'vitest';
import { eventToChanges, JOB_REGISTERS, RUN_MAXIMUMS, RUN_MINIMUMS, RUN_REGISTERS } from '../../../../lib/mapping/job/model.js';
import { decodeState, planJobWrites } from '../../../../lib/mapping/job/plan.js';
import { naming, ordersLineage, statusEvent, T0 } from '../../../helpers/events.js';
import { storedEntities } from '../../../helpers/storedEntities.js';

const topicA = { guid: 'g-a', typeName: 'kafka_topic' };
const topicB = { guid: 'g-b', typeName: 'kafka_topic' };
const legacy = [
  { ...topicA, uniqueAttributes: { qualifiedName: 'a@primary' } },
  { ...topicB, uniqueAttributes: { qualifiedName: 'b@primary' } },
];
const related = (id: { guid: string; typeName: string }, status: 'ACTIVE' | 'DELETED') => ({
  ...id, entityStatus: 'ACTIVE', relationshipType: 'dataset_process_inputs', relationshipGuid: `r-${id.guid}`, relationshipStatus: status,
});

const everything = (): boolean => true;

describe('decodeState', () => {
  it("reads a job's stored lineage in the 2.1 form (it read only uniqueAttributes before, so [] here)", () => {
    const job = {
      typeName: 'flink_job',
      attributes: { qualifiedName: 'flink-prod/etl@primary', lineageTime: 1000, inputs: legacy, outputs: [] },
      relationshipAttributes: { inputs: [related(topicA, 'ACTIVE'), related(topicB, 'ACTIVE')], outputs: [] },
    };
    expect(decodeState(job, JOB_REGISTERS).registers['lineage']?.value['inputs']).toEqual([
      { typeName: 'kafka_topic', qualifiedName: 'a@primary' },
      { typeName: 'kafka_topic', qualifiedName: 'b@primary' },
    ]);
  });

  it('marks a register opaque when the read left its relationships out, and skips registers whose time is epoch 0', () => {
    const job = { typeName: 'flink_job', attributes: { qualifiedName: 'j@primary', lineageTime: 1000, inputs: legacy, operatorsTime: 0 } };
    const state = decodeState(job, JOB_REGISTERS);
    expect(state.registers['lineage']).toMatchObject({ at: 1000, opaque: true, value: {} });
    expect(state.registers['operators']).toBeUndefined();
  });

  it("reads a run's status rank and order from the stored status, and its bounds unless they are epoch 0", () => {
    const run = {
      typeName: 'flink_job_run',
      attributes: { qualifiedName: 'r@primary', lastEventTime: T0, status: 'FAILED', startTime: 0, endTime: T0 + 5 },
    };
    const state = decodeState(run, RUN_REGISTERS, RUN_MINIMUMS, RUN_MAXIMUMS);
    expect(state.registers['status']).toMatchObject({ at: T0, rank: 1, value: { status: 'FAILED' } });
    expect(state.minimums).toEqual({});
    expect(state.maximums).toEqual({ endTime: T0 + 5 });
  });
});

describe('planJobWrites', () => {
  const running = eventToChanges(statusEvent('RUNNING', T0, { lineage: ordersLineage }), naming);

  it('sends a new job and run with every register the events set, the run linked to its job', () => {
    const writes = planJobWrites([running], () => undefined, everything);
    expect(writes.untouched).toEqual([]);
    expect(writes.outgoing.map((e) => e.typeName)).toEqual(['flink_job', 'flink_job_run']);
    const [job, run] = writes.outgoing;
    expect(job?.attributes).toMatchObject({ lineageTime: T0 });
    expect(job?.references['inputs']).toEqual(running.job.state.registers['lineage']?.value['inputs']);
    expect(run?.attributes).toMatchObject({ status: 'RUNNING', lastEventTime: T0, startTime: T0 });
    expect(run?.references['job']).toEqual({ typeName: 'flink_job', qualifiedName: running.job.qualifiedName });
  });

  it('leaves a stored run alone when Atlas already holds a later status, and sends only the registers that changed', () => {
    const stored = storedEntities({
      typeName: 'flink_job_run', guid: 'g-run',
      attributes: { qualifiedName: running.run!.qualifiedName, lastEventTime: T0 + 60_000, status: 'FINISHED', startTime: T0, endTime: T0 + 60_000 },
    });
    const late = eventToChanges(statusEvent('RUNNING', T0), naming);
    expect(planJobWrites([late], stored, everything).untouched).toEqual([{ typeName: 'flink_job_run', qualifiedName: running.run!.qualifiedName }]);

    const withParallelism = eventToChanges(statusEvent('RUNNING', T0, { job: { parallelism: 4 } }), naming);
    const sent = planJobWrites([withParallelism], stored, everything).outgoing.find((e) => e.typeName === 'flink_job_run');
    expect(sent?.attributes).toMatchObject({ parallelism: 4, parallelismTime: T0 });
    expect(sent?.attributes).not.toHaveProperty('status');
    expect(sent?.attributes).not.toHaveProperty('lastEventTime');
  });

  it('joins the changes of several events for one run before comparing: one entity, the later status', () => {
    const finished = eventToChanges(statusEvent('FINISHED', T0 + 1000), naming);
    const writes = planJobWrites([finished, running, running], () => undefined, everything);
    const runs = writes.outgoing.filter((e) => e.typeName === 'flink_job_run');
    expect(runs).toHaveLength(1);
    expect(runs[0]?.attributes).toMatchObject({ status: 'FINISHED', lastEventTime: T0 + 1000, startTime: T0, endTime: T0 + 1000 });
  });

  it('does not link lineage targets that are not linkable (a Flink table the same write drops)', () => {
    const inputs = running.job.state.registers['lineage']?.value['inputs'] as { qualifiedName: string }[];
    const dropped = inputs[0]!;
    const writes = planJobWrites([running], () => undefined, (ref) => ref.qualifiedName !== dropped.qualifiedName);
    const linked = writes.outgoing[0]?.references['inputs'] as { qualifiedName: string }[];
    expect(linked).toHaveLength(inputs.length - 1);
    expect(linked.map((r) => r.qualifiedName)).not.toContain(dropped.qualifiedName);
  });
});
