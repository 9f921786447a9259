// The real Atlas client and write path against the Atlas emulator over HTTP.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AtlasClient, AtlasError, BRIDGE_TYPEDEFS, planTypeRegistration, registerTypes } from '../../lib/atlas/index.js';
import { writeEvents } from '../../lib/ingest/index.js';
import { cancelledRun, JOB_ID, naming, statusEvent, T0 } from '../helpers/events.js';
import { startTestAtlas, useTestAtlas, type TestAtlas } from '../helpers/stack.js';

const atlas = useTestAtlas({ env: false });

const RUN_QN = `flink-prod/orders-enrichment/${JOB_ID}@primary`;
const indexed = (events: ReturnType<typeof cancelledRun>) => events.map((event, index) => ({ index, event }));

/** The Atlas state a user sees: every active entity by type and qualifiedName, without guids and timestamps. */
const atlasState = (t: TestAtlas) => {
  const byGuid = new Map(t.emulator.entities().map((e) => [e.guid, e]));
  const name = (ref: unknown) => {
    const guid = (ref as { guid?: string } | null)?.guid;
    const target = guid === undefined ? undefined : byGuid.get(guid);
    return target === undefined ? null : `${target.typeName} ${target.attributes.qualifiedName as string}`;
  };
  return Object.fromEntries(
    t.emulator
      .entities()
      .filter((e) => e.status === 'ACTIVE')
      .map((e) => [
        `${e.typeName} ${e.attributes.qualifiedName as string}`,
        {
          attributes: e.attributes,
          relationships: Object.fromEntries(
            Object.entries(e.relationshipAttributes ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(name).sort() : name(v)]),
          ),
        },
      ])
      .sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
  );
};

describe('Contract: registerTypes against the Atlas emulator', () => {
  it('creates the bridge types once and leaves them alone the second time', async () => {
    const fresh = await startTestAtlas({ register: false });
    try {
      const first = await registerTypes(fresh.client);
      const second = await registerTypes(fresh.client);
      expect(first.created.sort()).toEqual([
        'flink_catalog', 'flink_catalog_databases', 'flink_column', 'flink_database', 'flink_database_tables', 'flink_dataset',
        'flink_dataset_field', 'flink_job', 'flink_job_run', 'flink_job_runs', 'flink_operator', 'flink_operator_edge', 'flink_table',
        'flink_table_columns', 'flink_table_physical_datasets', 'flink_table_view_query', 'flink_view_query',
      ]);
      expect(second).toMatchObject({ created: [], updated: [], conflicts: [] });
    } finally {
      await fresh.emulator.close();
    }
  });

  it('adds a new optional attribute to a type Atlas already holds (the upgrade path)', async () => {
    const desired = structuredClone(BRIDGE_TYPEDEFS);
    desired.entityDefs!.find((d) => d.name === 'flink_job')!.attributeDefs!.push({ name: 'team', typeName: 'string', isOptional: true, cardinality: 'SINGLE' });
    const report = await registerTypes(atlas.client, desired);
    expect(report.addedAttributes).toEqual(['flink_job.team']);
    const def = await atlas.client.getTypedefByName('flink_job');
    expect((def?.attributeDefs as { name: string }[]).map((a) => a.name)).toContain('team');
  });

  it('reports, and does not send, a change Atlas cannot make in place', () => {
    const existing = new Map([['flink_job', { name: 'flink_job', attributeDefs: [{ name: 'cluster', typeName: 'int' }] }]]);
    const plan = planTypeRegistration({ entityDefs: BRIDGE_TYPEDEFS.entityDefs!.filter((d) => d.name === 'flink_job') }, existing);
    expect(plan.conflicts).toEqual(['flink_job.cluster: Atlas holds type int, the bridge wants string']);
  });
});

describe('Contract: writing Flink runs to the Atlas emulator', () => {
  it('writes a run, its job and its datasets in one read and one bulk write, and serves their lineage', async () => {
    await writeEvents(indexed(cancelledRun()), atlas.client, naming);
    expect(atlas.emulator.stats.byRoute).toEqual({
      'GET /v2/entity/bulk/uniqueAttribute/type/{typeName}': 1,
      'POST /v2/entity/bulk': 1,
    });
    const lineage = await atlas.client.lineage('flink_job', 'flink-prod/orders-enrichment@primary');
    const names = Object.fromEntries(Object.entries(lineage.guidEntityMap).map(([guid, h]) => [guid, `${h.typeName} ${h.attributes?.qualifiedName as string}`]));
    expect(lineage.relations.map((r) => `${names[r.fromEntityId]} -> ${names[r.toEntityId]}`).sort()).toEqual([
      'flink_job flink-prod/orders-enrichment@primary -> aws_s3_v2_directory s3://lake/enriched/orders/@primary',
      'hive_table sales.customers_dim@primary -> flink_job flink-prod/orders-enrichment@primary',
      'kafka_topic orders@primary -> flink_job flink-prod/orders-enrichment@primary',
    ]);
    const run = await atlas.client.getEntityByQualifiedName('flink_job_run', RUN_QN);
    expect(run?.entity.attributes).toMatchObject({ status: 'CANCELED', previousStatus: 'CANCELLING', netRuntimeMs: 60_000, deploymentVersion: '2.4.1', errorMessage: 'TaskManager lost' });
  });

  it('writes nothing for an event Atlas already holds', async () => {
    const events = indexed(cancelledRun());
    await writeEvents(events, atlas.client, naming);
    atlas.emulator.resetStats();
    await writeEvents(events, atlas.client, naming);
    expect(atlas.emulator.stats.writes).toBe(0);
  });

  it('keeps the columns, owner and description of a table the Hive hook registered', async () => {
    await atlas.client.bulkWrite({
      entities: [
        { typeName: 'hive_db', guid: '-1', attributes: { qualifiedName: 'sales@primary', name: 'sales', clusterName: 'primary', owner: 'hive' } },
        { typeName: 'hive_table', guid: '-2', attributes: { qualifiedName: 'sales.customers_dim@primary', name: 'customers_dim', owner: 'data-eng', description: 'Customer dimension', createTime: T0 - 86_400_000, tableType: 'MANAGED_TABLE' }, relationshipAttributes: { db: { guid: '-1', typeName: 'hive_db' } } },
        { typeName: 'hive_column', guid: '-3', attributes: { qualifiedName: 'sales.customers_dim.id@primary', name: 'id', type: 'bigint' }, relationshipAttributes: { table: { guid: '-2', typeName: 'hive_table' } } },
      ],
    });
    const before = await atlas.client.getEntityByQualifiedName('hive_table', 'sales.customers_dim@primary');
    await writeEvents(indexed(cancelledRun()), atlas.client, naming);
    const after = await atlas.client.getEntityByQualifiedName('hive_table', 'sales.customers_dim@primary');
    expect(after?.entity.attributes).toMatchObject({ owner: 'data-eng', description: 'Customer dimension' });
    expect(after?.entity.relationshipAttributes?.columns).toEqual(before?.entity.relationshipAttributes?.columns);
    expect(after?.entity.guid).toBe(before?.entity.guid);
  });

  it('converges to the in-order state whatever the order and duplicates of a run, one HTTP write at a time', async () => {
    const events = [...cancelledRun(), ...cancelledRun('0123456789abcdef0123456789abcdef', T0 + 60_000)];
    await writeEvents(indexed(events), atlas.client, naming);
    const inOrder = atlasState(atlas);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), fc.array(fc.nat({ max: events.length - 1 }), { maxLength: 5 }), async (shuffled, duplicates) => {
        atlas.emulator.resetEntities();
        for (const event of [...shuffled, ...duplicates.map((i) => shuffled[i]!)]) await writeEvents([{ index: 0, event }], atlas.client, naming);
        const state = atlasState(atlas);
        // Guids, creation times and server-side versions differ between runs; the content must not.
        const content = (s: unknown) => JSON.parse(JSON.stringify(s), (k, v) => (['guid', 'createTime', 'updateTime', 'version'].includes(k) ? undefined : v));
        expect(content(state)).toEqual(content(inOrder));
      }),
      { numRuns: 15 },
    );
  });

  it('classifies Atlas rejecting unknown types as permanent, with its error code', async () => {
    const bare = await startTestAtlas({ register: false });
    try {
      const [outcome] = await writeEvents([{ index: 0, event: statusEvent('RUNNING', T0) }], bare.client, naming);
      expect(outcome).toMatchObject({ outcome: 'failed', error: { kind: 'permanent', status: 400, atlasCode: 'ATLAS-400-00-014' } });
    } finally {
      await bare.emulator.close();
    }
  });

  it('classifies wrong credentials as an auth failure, reported loudly and kept for retry', async () => {
    const wrong = new AtlasClient({ baseUrl: atlas.emulator.url, user: 'admin', password: 'nope', timeoutMs: 2000 });
    const error = await wrong.getEntitiesByQualifiedNames(['x'], 'Referenceable').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtlasError);
    expect(error).toMatchObject({ kind: 'auth', retryable: true, details: { status: 401 } });
  });

  it.each([
    ['503', { kind: 'status', status: 503 } as const, 'retryable'],
    ['429 with Retry-After', { kind: 'status', status: 429, headers: { 'retry-after': '7' } } as const, 'retryable'],
    ['a reset connection', { kind: 'reset' } as const, 'retryable'],
    ['a hang past the client timeout', { kind: 'hang', ms: 3000 } as const, 'retryable'],
  ])('classifies %s as retryable', async (_label, fault, kind) => {
    const client = new AtlasClient({ baseUrl: atlas.emulator.url, user: 'admin', password: 'admin', timeoutMs: 500 });
    atlas.emulator.setFault(() => fault);
    const error = (await client.getEntitiesByQualifiedNames(['x'], 'Referenceable').catch((e: unknown) => e)) as AtlasError;
    expect(error.kind).toBe(kind);
    if (fault.kind === 'status' && fault.status === 429) expect(error.details.retryAfterMs).toBe(7000);
  });
});
