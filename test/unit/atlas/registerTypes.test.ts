import { describe, expect, it } from 'vitest';
import type { AtlasClient } from '../../../lib/atlas/client.js';
import type { AtlasBaseTypeDef, AtlasTypesDef } from '../../../lib/atlas/model.js';
import {
  BRIDGE_TYPEDEFS, planTypeRegistration, readRegisteredTypedefs, registerTypes, typedefNames,
} from '../../../lib/atlas/registerTypes.js';

const attribute = (name: string, typeName = 'string', isOptional = true) => ({ name, typeName, isOptional, cardinality: 'SINGLE' });
const entityDef = (name: string, attributes: ReturnType<typeof attribute>[]) =>
  ({ name, superTypes: ['Process'], attributeDefs: attributes }) as unknown as AtlasBaseTypeDef;

const desired: AtlasTypesDef = {
  enumDefs: [{ name: 'flink_job_state', elementDefs: [] } as unknown as AtlasBaseTypeDef],
  entityDefs: [entityDef('flink_job', [attribute('jobName'), attribute('cluster')]), entityDef('flink_job_run', [attribute('status')])],
  relationshipDefs: [{ name: 'flink_job_runs' } as unknown as AtlasBaseTypeDef],
} as AtlasTypesDef;

describe('planTypeRegistration', () => {
  it('creates every type Atlas does not hold', () => {
    const plan = planTypeRegistration(desired, new Map());
    expect(typedefNames(plan.create)).toEqual(['flink_job_state', 'flink_job', 'flink_job_run', 'flink_job_runs']);
    expect(typedefNames(plan.update)).toEqual([]);
  });

  it('adds missing optional attributes, resending the ones Atlas holds', () => {
    const held = new Map<string, AtlasBaseTypeDef>([
      ['flink_job', entityDef('flink_job', [attribute('jobName'), attribute('owner')])],
      ['flink_job_run', entityDef('flink_job_run', [attribute('status')])],
      ['flink_job_state', desired.enumDefs?.[0] as AtlasBaseTypeDef],
      ['flink_job_runs', desired.relationshipDefs?.[0] as AtlasBaseTypeDef],
    ]);
    const plan = planTypeRegistration(desired, held);
    expect(typedefNames(plan.create)).toEqual([]);
    const updated = plan.update.entityDefs?.[0] as unknown as { name: string; attributeDefs: { name: string }[] };
    expect(updated.name).toBe('flink_job');
    expect(updated.attributeDefs.map((a) => a.name)).toEqual(['jobName', 'owner', 'cluster']);
    expect(plan.addedAttributes).toEqual(['flink_job.cluster']);
    expect(plan.unchanged).toEqual(['flink_job_state', 'flink_job_run', 'flink_job_runs']);
    expect(plan.conflicts).toEqual([]);
  });

  it('reports what Atlas cannot change in place as conflicts, never forcing them', () => {
    const wanted = { entityDefs: [entityDef('flink_job', [attribute('jobName', 'int'), attribute('cluster', 'string', false)])] } as AtlasTypesDef;
    const plan = planTypeRegistration(wanted, new Map([['flink_job', entityDef('flink_job', [attribute('jobName')])]]));
    expect(plan.conflicts).toEqual([
      'flink_job.jobName: Atlas holds type string, the bridge wants int',
      'flink_job.cluster: Atlas cannot add a mandatory attribute to an existing type',
    ]);
    expect(typedefNames(plan.update)).toEqual([]);
  });
});

describe('registerTypes', () => {
  const fakeAtlas = (held: Map<string, AtlasBaseTypeDef>) => {
    const calls: string[] = [];
    const client = {
      getTypedefByName: async (name: string) => held.get(name) as (AtlasBaseTypeDef & Record<string, unknown>) | undefined,
      createTypedefs: async (defs: AtlasTypesDef) => {
        calls.push(`create ${typedefNames(defs).join(',')}`);
        return defs;
      },
      updateTypedefs: async (defs: AtlasTypesDef) => {
        calls.push(`update ${typedefNames(defs).join(',')}`);
        return defs;
      },
    };
    return { client: client as unknown as AtlasClient, calls };
  };

  it('creates and updates what the plan says, and reports it', async () => {
    const { client, calls } = fakeAtlas(new Map([['flink_job', entityDef('flink_job', [attribute('jobName')])]]));
    const report = await registerTypes(client, desired);
    expect(calls).toEqual(['create flink_job_state,flink_job_run,flink_job_runs', 'update flink_job']);
    expect(report).toEqual({
      created: ['flink_job_state', 'flink_job_run', 'flink_job_runs'], updated: ['flink_job'], addedAttributes: ['flink_job.cluster'], unchanged: [], conflicts: [],
    });
  });

  it('makes no write when Atlas holds everything already', async () => {
    const held = new Map<string, AtlasBaseTypeDef>();
    for (const list of ['enumDefs', 'entityDefs', 'relationshipDefs'] as const) for (const def of (desired[list] ?? []) as AtlasBaseTypeDef[]) held.set(def.name, def);
    const { client, calls } = fakeAtlas(held);
    expect((await registerTypes(client, desired)).unchanged).toHaveLength(4);
    expect(calls).toEqual([]);
    expect([...(await readRegisteredTypedefs(client, desired)).keys()]).toEqual(['flink_job_state', 'flink_job', 'flink_job_run', 'flink_job_runs']);
  });

  it("registers the bridge's own flink_job and flink_job_run types by default", () => {
    expect(typedefNames(BRIDGE_TYPEDEFS)).toEqual(expect.arrayContaining(['flink_job', 'flink_job_run']));
  });
});
