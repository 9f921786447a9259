// The end-to-end matrix's one table of cases: every route × every event kind and action of the contract, each
// with the request that carries it and the Atlas state it must leave in the emulator. The test files
// (matrix.test.ts, retryWorker.test.ts) turn each row into cells, one per transport or delivery path.
//
// Every cell gets names of its own (cluster, job, JobID, catalog, topic, database), so cells share one stack and
// one emulator without seeing each other's entities, and every check looks for something only its own event
// writes: an ignored event fails its cell.
import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { AtlasEntity } from '../../lib/atlas/index.js';
import { executionResult, restJob, START } from '../helpers/flinkRest.js';
import { fillFixture, runEvent } from '../helpers/openLineage.js';
import { related, type AtlasState } from './atlasState.js';
import type { RoutePost } from './transports.js';

/** The names of one cell, all derived from its tag (e.g. `plain-07`). */
export interface CellNames {
  tag: string;
  /** The Flink cluster (native `cluster`, OpenLineage job namespace, `?cluster=` of /flink/jobs). */
  cluster: string;
  /** The job name, with a space and non-ASCII characters. */
  job: string;
  /** A Flink JobID: 32 lower-case hex characters. */
  jobId: string;
  /** An OpenLineage runId (a UUID). */
  runId: string;
  /** The tag as a SQL identifier and a Kafka topic or Hive name part: `plain_07`. */
  ident: string;
}

/** The tag of a matrix cell: its column or row, and the case's index (`plain-07`, `retry-07`). */
export const cellTag = (column: string, index: number): string => `${column}-${String(index).padStart(2, '0')}`;

export const cellNames = (tag: string): CellNames => {
  const hex = createHash('sha256').update(tag).digest('hex');
  return {
    tag,
    cluster: `e2e-${tag}`,
    // Job names are stored verbatim: a space and non-ASCII text catch a transport that mangles UTF-8.
    job: `orders ${tag} (Zürich → 東京)`,
    jobId: hex.slice(0, 32),
    runId: `${hex.slice(32, 40)}-${hex.slice(40, 44)}-4${hex.slice(45, 48)}-8${hex.slice(49, 52)}-${hex.slice(52, 64)}`,
    ident: tag.replaceAll('-', '_'),
  };
};

/** Entities a case's `prepare` must have written, by a local name: the runner hands their guids to `check`. */
export type Prepared = Record<string, string>;

export interface MatrixCase {
  /** The event kind and action, as the cell is named: `catalog.table DROP (view)`. */
  kind: string;
  /** What must be in Atlas before the request under test (e.g. the CREATE a DROP removes); sent plain. */
  prepare?: (n: CellNames) => RoutePost[];
  /** Entities `prepare` leaves, as [typeName, qualifiedName]: a dropped entity is found afterwards by guid only. */
  prepared?: (n: CellNames) => Record<string, [string, string]>;
  /** The request under test. */
  request: (n: CellNames) => RoutePost;
  /** The Atlas state the request must produce, read over the emulator's REST API; throws (expect) if not there. */
  check: (atlas: AtlasState, n: CellNames, prepared: Prepared) => Promise<void>;
}

const NS = 'primary';
const T0 = Date.parse('2026-11-25T09:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

/** A fresh eventId per request (a UUID), so a retried or repeated cell is never a duplicate of another. */
const eventId = (): string => randomUUID();

const jobQn = (n: CellNames): string => `${n.cluster}/${n.job}@${NS}`;
const runQn = (n: CellNames, jobId = n.jobId): string => `${n.cluster}/${n.job}/${jobId}@${NS}`;

/** Reads an entity that must exist, and fails naming it when it does not. */
const mustHave = async (atlas: AtlasState, typeName: string, qualifiedName: string): Promise<AtlasEntity> => {
  const entity = await atlas.entity(typeName, qualifiedName);
  expect(entity, `${typeName} ${qualifiedName} in Atlas`).toBeDefined();
  return entity!;
};

const expectDeleted = async (atlas: AtlasState, guid: string | undefined, what: string): Promise<void> => {
  expect(guid, `${what} was prepared`).toBeDefined();
  expect((await atlas.byGuid(guid!))?.status, `${what} soft-deleted`).toBe('DELETED');
};

const events = (body: unknown): RoutePost => ({ route: 'events', body });
const lineage = (body: unknown): RoutePost => ({ route: 'lineage', body });

// ---- native job events ----

const kafkaSource = (n: CellNames) => ({
  namespace: 'kafka://kafka-1:9092',
  name: `orders_${n.ident}`,
  schema: { fields: [{ name: 'id', type: 'BIGINT' }, { name: 'amount', type: 'DECIMAL(10, 2)' }] },
});
const hiveSource = (n: CellNames) => ({ namespace: 'hive://metastore:9083', name: `sales_${n.ident}.customers` });
const s3Sink = (n: CellNames) => ({ namespace: 's3://lake', name: `enriched/orders_${n.ident}` });

const jobStatus = (n: CellNames, at: number, job: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'job.status',
  eventId: eventId(),
  eventTime: iso(at),
  cluster: n.cluster,
  job: { id: n.jobId, name: n.job, ...job },
  ...extra,
});

/** The job's lineage as the kafka + hive → s3 datasets above name it in Atlas. */
const expectOrdersLineage = async (atlas: AtlasState, n: CellNames): Promise<AtlasEntity> => {
  const job = await mustHave(atlas, 'flink_job', jobQn(n));
  expect(related(job, 'inputs')).toEqual([`orders_${n.ident}@${NS}`, `sales_${n.ident}.customers@${NS}`]);
  expect(related(job, 'outputs')).toEqual([`s3://lake/enriched/orders_${n.ident}/@${NS}`]);
  expect((await mustHave(atlas, 'kafka_topic', `orders_${n.ident}@${NS}`)).attributes).toMatchObject({ topic: `orders_${n.ident}` });
  await mustHave(atlas, 'hive_table', `sales_${n.ident}.customers@${NS}`);
  await mustHave(atlas, 'aws_s3_v2_directory', `s3://lake/enriched/orders_${n.ident}/@${NS}`);
  return job;
};

const nativeJobCases: MatrixCase[] = [
  {
    kind: 'job.status RUNNING (with lineage and schema)',
    request: (n) =>
      events(
        jobStatus(
          n,
          T0,
          { status: 'RUNNING', previousStatus: 'CREATED', executionMode: 'STREAMING', startTime: T0 - 5000, parallelism: 4 },
          { lineage: { sources: [kafkaSource(n), hiveSource(n)], sinks: [s3Sink(n)] } },
        ),
      ),
    check: async (atlas, n) => {
      const run = await mustHave(atlas, 'flink_job_run', runQn(n));
      expect(run.attributes).toMatchObject({
        jobId: n.jobId, cluster: n.cluster, status: 'RUNNING', previousStatus: 'CREATED', executionMode: 'STREAMING',
        startTime: T0 - 5000, parallelism: 4, lastEventTime: T0,
      });
      expect(related(run, 'job')).toEqual([jobQn(n)]);
      const job = await expectOrdersLineage(atlas, n);
      expect(related(job, 'runs')).toEqual([runQn(n)]);
      expect(job.attributes.datasetFields).toEqual([
        expect.objectContaining({ attributes: expect.objectContaining({ dataset: `orders_${n.ident}@${NS}`, name: 'id', type: 'BIGINT', position: 0 }) }),
        expect.objectContaining({ attributes: expect.objectContaining({ dataset: `orders_${n.ident}@${NS}`, name: 'amount', position: 1 }) }),
      ]);
    },
  },
  {
    kind: 'job.status FAILED (with error)',
    request: (n) =>
      events(jobStatus(n, T0 + 1000, { status: 'FAILED', previousStatus: 'FAILING', endTime: T0 + 1000 }, {
        error: { message: `TaskManager lost (${n.tag})`, stackTrace: 'java.lang.Exception: lost\n\tat Task.run' },
      })),
    check: async (atlas, n) => {
      const run = await mustHave(atlas, 'flink_job_run', runQn(n));
      expect(run.attributes).toMatchObject({
        status: 'FAILED', previousStatus: 'FAILING', endTime: T0 + 1000, errorMessage: `TaskManager lost (${n.tag})`,
        errorStackTrace: expect.stringContaining('Task.run'),
      });
    },
  },
  {
    kind: 'job.status INITIALIZING (operators, checkpoints, a TABLE symlink)',
    prepare: (n) => [tableEvent(n, 'CREATE', 'orders', T0 - 60_000, kafkaTable(`orders_${n.ident}`))],
    request: (n) =>
      events(
        jobStatus(
          n,
          T0,
          {
            status: 'INITIALIZING',
            operators: [
              { id: 'cbc357ccb763df2852fee8c4fc7d55f2', name: 'Source: orders', parallelism: 2 },
              { id: '6d2677a0ecc3fd8df0b72ec675edf8f4', name: 'Sink: enriched', parallelism: 2, inputs: [{ id: 'cbc357ccb763df2852fee8c4fc7d55f2', shipStrategy: 'HASH' }] },
            ],
          },
          {
            checkpoints: { completed: 3, failed: 0, inProgress: 1, restored: 0, total: 4 },
            lineage: {
              sources: [{ ...kafkaSource(n), symlinks: [{ namespace: 'kafka://kafka-1:9092', name: `${catalogOf(n)}.default_database.orders`, type: 'TABLE' }] }],
              sinks: [s3Sink(n)],
            },
          },
        ),
      ),
    check: async (atlas, n) => {
      const run = await mustHave(atlas, 'flink_job_run', runQn(n));
      expect(run.attributes).toMatchObject({ status: 'INITIALIZING', checkpointsCompleted: 3, checkpointsInProgress: 1, checkpointsTotal: 4 });
      const job = await mustHave(atlas, 'flink_job', jobQn(n));
      expect(related(job, 'inputs')).toEqual([tableQn(n, 'orders'), `orders_${n.ident}@${NS}`]);
      expect(job.attributes.operators).toEqual([
        expect.objectContaining({ attributes: expect.objectContaining({ id: 'cbc357ccb763df2852fee8c4fc7d55f2', name: 'Source: orders', parallelism: 2 }) }),
        expect.objectContaining({ attributes: expect.objectContaining({ id: '6d2677a0ecc3fd8df0b72ec675edf8f4', name: 'Sink: enriched' }) }),
      ]);
      expect(job.attributes.operatorEdges).toEqual([
        expect.objectContaining({ attributes: expect.objectContaining({ source: 'cbc357ccb763df2852fee8c4fc7d55f2', target: '6d2677a0ecc3fd8df0b72ec675edf8f4', shipStrategy: 'HASH' }) }),
      ]);
      expect((await mustHave(atlas, 'flink_table', tableQn(n, 'orders'))).attributes.existenceTime).toBe(T0);
    },
  },
  {
    kind: 'job.result',
    request: (n) =>
      events({
        type: 'job.result', eventId: eventId(), eventTime: iso(T0 + 2000), cluster: n.cluster,
        job: { id: n.jobId, name: n.job },
        result: { netRuntimeMs: 184_233, accumulators: { 'rows-read': 1250 }, recordsIn: 1250, recordsOut: 365 },
      }),
    check: async (atlas, n) => {
      const run = await mustHave(atlas, 'flink_job_run', runQn(n));
      expect(run.attributes).toMatchObject({ jobId: n.jobId, netRuntimeMs: 184_233, recordsIn: 1250, recordsOut: 365, resultTime: T0 + 2000 });
      expect(JSON.stringify(run.attributes.accumulators)).toContain('rows-read');
      expect(related(run, 'job')).toEqual([jobQn(n)]);
    },
  },
  {
    kind: 'job.deployment',
    request: (n) =>
      events({
        type: 'job.deployment', eventId: eventId(), eventTime: iso(T0 + 3000), cluster: n.cluster,
        job: { name: n.job, id: n.jobId },
        deployment: { version: `2.4.1-${n.tag}`, artifact: `s3://artifacts/${n.job}.jar`, commit: '9f1c2ab', parallelism: 4, deployedBy: 'ci-pipeline' },
      }),
    check: async (atlas, n) => {
      const deployed = {
        deploymentVersion: `2.4.1-${n.tag}`, deploymentArtifact: `s3://artifacts/${n.job}.jar`, deploymentCommit: '9f1c2ab',
        deployedBy: 'ci-pipeline', deploymentTime: T0 + 3000,
      };
      expect((await mustHave(atlas, 'flink_job', jobQn(n))).attributes).toMatchObject(deployed);
      expect((await mustHave(atlas, 'flink_job_run', runQn(n))).attributes).toMatchObject(deployed);
    },
  },
  {
    kind: 'job.deployment (before any run: no JobID)',
    request: (n) =>
      events({
        type: 'job.deployment', eventId: eventId(), eventTime: iso(T0 + 3000), cluster: n.cluster,
        job: { name: n.job },
        deployment: { version: `3.0.0-${n.tag}`, artifact: `s3://artifacts/${n.job}-3.0.0.jar` },
      }),
    check: async (atlas, n) => {
      const job = await mustHave(atlas, 'flink_job', jobQn(n));
      expect(job.attributes).toMatchObject({ deploymentVersion: `3.0.0-${n.tag}`, deploymentArtifact: `s3://artifacts/${n.job}-3.0.0.jar`, deploymentTime: T0 + 3000 });
      expect(related(job, 'runs')).toEqual([]);
    },
  },
  {
    kind: 'job.lineage',
    request: (n) =>
      events({
        type: 'job.lineage', eventId: eventId(), eventTime: iso(T0 + 4000), cluster: n.cluster,
        job: { name: n.job, executionMode: 'STREAMING' },
        lineage: { sources: [kafkaSource(n), hiveSource(n)], sinks: [s3Sink(n)] },
      }),
    check: async (atlas, n) => {
      const job = await expectOrdersLineage(atlas, n);
      expect(job.attributes).toMatchObject({ cluster: n.cluster, executionMode: 'STREAMING', lineageTime: T0 + 4000 });
      expect(related(job, 'runs')).toEqual([]);
    },
  },
  {
    kind: 'dataset.metadata',
    request: (n) =>
      events({
        type: 'dataset.metadata', eventId: eventId(), eventTime: iso(T0 + 5000),
        dataset: {
          namespace: 'hive://metastore:9083',
          name: `sales_${n.ident}.daily_revenue`,
          schema: { fields: [{ name: 'day', type: 'DATE' }, { name: 'revenue', type: 'DECIMAL(18, 2)', description: 'gross revenue of the day' }] },
        },
      }),
    check: async (atlas, n) => {
      const table = await mustHave(atlas, 'hive_table', `sales_${n.ident}.daily_revenue@${NS}`);
      expect(related(table, 'columns')).toEqual([`sales_${n.ident}.daily_revenue.day@${NS}`, `sales_${n.ident}.daily_revenue.revenue@${NS}`]);
      expect(related(table, 'db')).toEqual([`sales_${n.ident}@${NS}`]);
      expect((await mustHave(atlas, 'hive_column', `sales_${n.ident}.daily_revenue.revenue@${NS}`)).attributes).toMatchObject({
        type: 'DECIMAL(18, 2)', position: 1, comment: 'gross revenue of the day',
      });
    },
  },
];

// ---- native catalog events ----

const catalogOf = (n: CellNames): string => `cat_${n.ident}`;
const tableQn = (n: CellNames, table: string, database = 'default_database'): string => `${catalogOf(n)}.${database}.${table}@${NS}`;

const tableEvent = (
  n: CellNames,
  action: 'CREATE' | 'ALTER' | 'DROP',
  objectName: string,
  at: number,
  table?: unknown,
  { databaseName = 'default_database', ...flags }: { databaseName?: string; ignoreIfNotExists?: boolean } = {},
) =>
  events({
    type: 'catalog.table', eventId: eventId(), eventTime: iso(at), cluster: n.cluster, action,
    catalog: { factoryIdentifier: 'generic_in_memory' },
    identifier: { catalogName: catalogOf(n), databaseName, objectName },
    ...(table === undefined ? {} : { table }),
    ...flags,
  });

const kafkaTable = (topic: string, extra: Record<string, unknown> = {}) => ({
  tableKind: 'TABLE',
  comment: 'orders as the shop emits them',
  schema: {
    columns: [
      { name: 'order_id', dataType: 'BIGINT NOT NULL', kind: 'PHYSICAL' },
      { name: 'amount', dataType: 'DECIMAL(10, 2)', kind: 'PHYSICAL', comment: 'in EUR' },
      { name: 'order_time', dataType: 'TIMESTAMP(3)', kind: 'PHYSICAL' },
    ],
    primaryKey: { name: 'PK_order_id', columns: ['order_id'] },
    watermarkSpecs: [{ rowtimeAttribute: 'order_time', expression: "`order_time` - INTERVAL '5' SECOND" }],
  },
  options: {
    connector: 'kafka', topic, 'properties.bootstrap.servers': 'kafka-1:9092', format: 'json',
    'properties.sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="flink" password="s3cr3t";',
  },
  ...extra,
});

/** A view reading `table` of the cell's default database, as Flink expands its query. */
const viewOver = (n: CellNames, table: string) => {
  const query = `SELECT \`${table}\`.\`order_id\` FROM \`${catalogOf(n)}\`.\`default_database\`.\`${table}\` WHERE \`${table}\`.\`amount\` > 100`;
  return { tableKind: 'VIEW', schema: { columns: [{ name: 'order_id', dataType: 'BIGINT NOT NULL', kind: 'PHYSICAL' }] }, originalQuery: query, expandedQuery: query };
};

const databaseEvent = (n: CellNames, action: 'CREATE' | 'ALTER' | 'DROP', databaseName: string, at: number, database?: unknown) =>
  events({
    type: 'catalog.database', eventId: eventId(), eventTime: iso(at), cluster: n.cluster, action,
    catalog: { factoryIdentifier: 'generic_in_memory' },
    catalogName: catalogOf(n),
    databaseName,
    ...(action === 'DROP' ? { cascade: true } : { database }),
  });

/** The view query's lineage: which tables it reads, which view it writes. */
const expectViewReads = async (atlas: AtlasState, n: CellNames, view: string, reads: string): Promise<void> => {
  const entity = await mustHave(atlas, 'flink_table', tableQn(n, view));
  expect(entity.attributes).toMatchObject({ tableKind: 'VIEW', queryLineage: 'PARSED', expandedQuery: expect.stringContaining(`\`${reads}\``) });
  const queryQn = `${catalogOf(n)}.default_database.${view}/query@${NS}`;
  expect(related(entity, 'viewQuery')).toEqual([queryQn]);
  const query = await mustHave(atlas, 'flink_view_query', queryQn);
  expect(related(query, 'inputs')).toEqual([tableQn(n, reads)]);
  expect(related(query, 'outputs')).toEqual([tableQn(n, view)]);
};

const catalogCases: MatrixCase[] = [
  {
    kind: 'catalog.table CREATE (table)',
    request: (n) => tableEvent(n, 'CREATE', 'orders', T0, kafkaTable(`orders_${n.ident}`)),
    check: async (atlas, n) => {
      const table = await mustHave(atlas, 'flink_table', tableQn(n, 'orders'));
      expect(table.attributes).toMatchObject({
        name: 'orders', tableKind: 'TABLE', connector: 'kafka', comment: 'orders as the shop emits them',
        primaryKey: ['order_id'], primaryKeyName: 'PK_order_id', watermarks: { order_time: "`order_time` - INTERVAL '5' SECOND" },
        options: expect.objectContaining({ topic: `orders_${n.ident}`, 'properties.sasl.jaas.config': '******' }),
        definitionTime: T0,
      });
      expect(related(table, 'columns')).toEqual(['amount', 'order_id', 'order_time'].map((c) => `${catalogOf(n)}.default_database.orders.${c}@${NS}`));
      expect(related(table, 'physicalDatasets')).toEqual([`orders_${n.ident}@${NS}`]);
      expect(related(table, 'database')).toEqual([`${catalogOf(n)}.default_database@${NS}`]);
      const database = await mustHave(atlas, 'flink_database', `${catalogOf(n)}.default_database@${NS}`);
      expect(related(database, 'catalog')).toEqual([`${catalogOf(n)}@${NS}`]);
      expect((await mustHave(atlas, 'flink_column', `${catalogOf(n)}.default_database.orders.order_id@${NS}`)).attributes).toMatchObject({
        type: 'BIGINT NOT NULL', nullable: false, position: 0, kind: 'PHYSICAL',
      });
    },
  },
  {
    kind: 'catalog.table CREATE (view)',
    prepare: (n) => [tableEvent(n, 'CREATE', 'orders', T0, kafkaTable(`orders_${n.ident}`))],
    request: (n) => tableEvent(n, 'CREATE', 'big_orders', T0 + 1000, viewOver(n, 'orders')),
    check: (atlas, n) => expectViewReads(atlas, n, 'big_orders', 'orders'),
  },
  {
    kind: 'catalog.table ALTER (table)',
    prepare: (n) => [tableEvent(n, 'CREATE', 'orders', T0, kafkaTable(`orders_${n.ident}`))],
    prepared: (n) => ({ table: ['flink_table', tableQn(n, 'orders')], amount: ['flink_column', `${catalogOf(n)}.default_database.orders.amount@${NS}`] }),
    request: (n) =>
      tableEvent(n, 'ALTER', 'orders', T0 + 1000, kafkaTable(`orders_v2_${n.ident}`, {
        comment: 'v2',
        schema: { columns: [{ name: 'order_id', dataType: 'BIGINT NOT NULL', kind: 'PHYSICAL' }, { name: 'currency', dataType: 'STRING', kind: 'PHYSICAL' }] },
      })),
    check: async (atlas, n, prepared) => {
      const table = await mustHave(atlas, 'flink_table', tableQn(n, 'orders'));
      expect(table.guid).toBe(prepared.table);
      expect(table.attributes).toMatchObject({ comment: 'v2', definitionTime: T0 + 1000, options: expect.objectContaining({ topic: `orders_v2_${n.ident}` }) });
      expect(related(table, 'columns')).toEqual(['currency', 'order_id'].map((c) => `${catalogOf(n)}.default_database.orders.${c}@${NS}`));
      expect(related(table, 'physicalDatasets')).toEqual([`orders_v2_${n.ident}@${NS}`]);
      await expectDeleted(atlas, prepared.amount, 'the column the ALTER dropped');
    },
  },
  {
    kind: 'catalog.table ALTER (view)',
    prepare: (n) => [
      tableEvent(n, 'CREATE', 'orders', T0, kafkaTable(`orders_${n.ident}`)),
      tableEvent(n, 'CREATE', 'refunds', T0, kafkaTable(`refunds_${n.ident}`)),
      tableEvent(n, 'CREATE', 'big_orders', T0 + 1000, viewOver(n, 'orders')),
    ],
    prepared: (n) => ({ view: ['flink_table', tableQn(n, 'big_orders')] }),
    request: (n) => tableEvent(n, 'ALTER', 'big_orders', T0 + 2000, viewOver(n, 'refunds')),
    check: async (atlas, n, prepared) => {
      await expectViewReads(atlas, n, 'big_orders', 'refunds');
      expect((await mustHave(atlas, 'flink_table', tableQn(n, 'big_orders'))).guid).toBe(prepared.view);
    },
  },
  {
    kind: 'catalog.table DROP (table)',
    prepare: (n) => [tableEvent(n, 'CREATE', 'orders', T0, kafkaTable(`orders_${n.ident}`))],
    prepared: (n) => ({ table: ['flink_table', tableQn(n, 'orders')], column: ['flink_column', `${catalogOf(n)}.default_database.orders.order_id@${NS}`] }),
    request: (n) => tableEvent(n, 'DROP', 'orders', T0 + 1000),
    check: async (atlas, n, prepared) => {
      await expectDeleted(atlas, prepared.table, 'the dropped table');
      await expectDeleted(atlas, prepared.column, "the dropped table's column");
      expect(await atlas.entity('flink_table', tableQn(n, 'orders'))).toBeUndefined();
      const database = await mustHave(atlas, 'flink_database', `${catalogOf(n)}.default_database@${NS}`);
      expect(database.attributes.droppedTables).toEqual({ orders: T0 + 1000 });
      await mustHave(atlas, 'kafka_topic', `orders_${n.ident}@${NS}`); // the topic is Kafka's, not the catalog's
    },
  },
  {
    kind: 'catalog.table DROP (view)',
    prepare: (n) => [
      tableEvent(n, 'CREATE', 'orders', T0, kafkaTable(`orders_${n.ident}`)),
      tableEvent(n, 'CREATE', 'big_orders', T0 + 1000, viewOver(n, 'orders')),
    ],
    prepared: (n) => ({
      view: ['flink_table', tableQn(n, 'big_orders')],
      query: ['flink_view_query', `${catalogOf(n)}.default_database.big_orders/query@${NS}`],
      table: ['flink_table', tableQn(n, 'orders')],
    }),
    request: (n) => tableEvent(n, 'DROP', 'big_orders', T0 + 2000),
    check: async (atlas, n, prepared) => {
      await expectDeleted(atlas, prepared.view, 'the dropped view');
      await expectDeleted(atlas, prepared.query, "the dropped view's query");
      expect((await mustHave(atlas, 'flink_table', tableQn(n, 'orders'))).guid).toBe(prepared.table);
    },
  },
  {
    kind: 'catalog.table DROP (a table Atlas never saw, IF EXISTS)',
    request: (n) => tableEvent(n, 'DROP', 'ghost', T0 + 1000, undefined, { ignoreIfNotExists: true }),
    check: async (atlas, n) => {
      // Nothing to delete; the drop time is kept, so a late CREATE of the same table stays dropped.
      const database = await mustHave(atlas, 'flink_database', `${catalogOf(n)}.default_database@${NS}`);
      expect(database.attributes.droppedTables).toEqual({ ghost: T0 + 1000 });
      expect(await atlas.entity('flink_table', tableQn(n, 'ghost'))).toBeUndefined();
    },
  },
  {
    kind: 'catalog.database CREATE',
    request: (n) => databaseEvent(n, 'CREATE', 'sales', T0, { comment: 'Sales data mart', properties: { owner: 'data-eng', 'hive.metastore.password': 'pw' } }),
    check: async (atlas, n) => {
      const database = await mustHave(atlas, 'flink_database', `${catalogOf(n)}.sales@${NS}`);
      expect(database.attributes).toMatchObject({
        name: 'sales', description: 'Sales data mart', properties: { owner: 'data-eng', 'hive.metastore.password': '******' }, definitionTime: T0,
      });
      expect(related(database, 'catalog')).toEqual([`${catalogOf(n)}@${NS}`]);
      expect((await mustHave(atlas, 'flink_catalog', `${catalogOf(n)}@${NS}`)).attributes).toMatchObject({ factoryIdentifier: 'generic_in_memory' });
    },
  },
  {
    kind: 'catalog.database ALTER',
    prepare: (n) => [databaseEvent(n, 'CREATE', 'sales', T0, { comment: 'Sales data mart', properties: { owner: 'data-eng' } })],
    prepared: (n) => ({ database: ['flink_database', `${catalogOf(n)}.sales@${NS}`] }),
    request: (n) => databaseEvent(n, 'ALTER', 'sales', T0 + 1000, { comment: 'Sales, v2', properties: { owner: 'finance' } }),
    check: async (atlas, n, prepared) => {
      const database = await mustHave(atlas, 'flink_database', `${catalogOf(n)}.sales@${NS}`);
      expect(database.guid).toBe(prepared.database);
      expect(database.attributes).toMatchObject({ description: 'Sales, v2', properties: { owner: 'finance' }, definitionTime: T0 + 1000 });
    },
  },
  {
    kind: 'catalog.database DROP (cascade)',
    prepare: (n) => [
      databaseEvent(n, 'CREATE', 'sales', T0, { comment: 'Sales data mart' }),
      tableEvent(n, 'CREATE', 'refunds', T0 + 500, kafkaTable(`refunds_${n.ident}`), { databaseName: 'sales' }),
    ],
    prepared: (n) => ({ database: ['flink_database', `${catalogOf(n)}.sales@${NS}`], table: ['flink_table', tableQn(n, 'refunds', 'sales')] }),
    request: (n) => databaseEvent(n, 'DROP', 'sales', T0 + 1000),
    check: async (atlas, n, prepared) => {
      await expectDeleted(atlas, prepared.database, 'the dropped database');
      await expectDeleted(atlas, prepared.table, "the dropped database's table");
      expect((await mustHave(atlas, 'flink_catalog', `${catalogOf(n)}@${NS}`)).attributes.droppedDatabases).toEqual({ sales: T0 + 1000 });
    },
  },
];

// ---- OpenLineage (POST /api/v1/lineage) ----

const olTime = (ms: number): string => iso(ms).replace('Z', '000Z'); // microseconds, as the Java client writes them

const olRun = (n: CellNames, eventType: string, at: number, extra: { inputs?: unknown[]; outputs?: unknown[]; runFacets?: Record<string, unknown> } = {}) =>
  lineage(runEvent({
    eventType, eventTime: olTime(at), runId: n.runId, jobId: n.jobId, namespace: n.cluster, name: n.job,
    jobFacets: { jobType: { processingType: 'STREAMING', integration: 'FLINK', jobType: 'JOB' } },
    ...extra,
  }));

const olKafka = (n: CellNames) => ({
  namespace: 'kafka://kafka-1:9092',
  name: `orders_${n.ident}`,
  facets: { schema: { _producer: 'p', _schemaURL: 's', fields: [{ name: 'id', type: 'BIGINT' }] } },
});
const olJdbc = (n: CellNames) => ({ namespace: 'postgres://pg:5432', name: `shop.public.totals_${n.ident}` });

const expectRunStatus = async (atlas: AtlasState, n: CellNames, attributes: Record<string, unknown>): Promise<void> => {
  const run = await mustHave(atlas, 'flink_job_run', runQn(n));
  expect(run.attributes).toMatchObject({ jobId: n.jobId, cluster: n.cluster, ...attributes });
  expect(related(run, 'job')).toEqual([jobQn(n)]);
};

const openLineageCases: MatrixCase[] = [
  {
    kind: 'OpenLineage RunEvent START (with datasets)',
    request: (n) => olRun(n, 'START', T0, { inputs: [olKafka(n)], outputs: [olJdbc(n)] }),
    check: async (atlas, n) => {
      await expectRunStatus(atlas, n, { status: 'INITIALIZING', executionMode: 'STREAMING' });
      const job = await mustHave(atlas, 'flink_job', jobQn(n));
      expect(related(job, 'inputs')).toEqual([`orders_${n.ident}@${NS}`]);
      expect(related(job, 'outputs')).toEqual([`postgres://pg:5432/shop.public.totals_${n.ident}@${NS}`]);
      expect((await mustHave(atlas, 'flink_dataset', `postgres://pg:5432/shop.public.totals_${n.ident}@${NS}`)).attributes).toMatchObject({ storageKind: 'jdbc' });
    },
  },
  {
    kind: 'OpenLineage RunEvent RUNNING (checkpoints)',
    request: (n) => olRun(n, 'RUNNING', T0 + 1000, { runFacets: { checkpoints: { completed: 5, failed: 1, 'in-progress': 1, restored: 0, total: 7 } } }),
    check: (atlas, n) => expectRunStatus(atlas, n, { status: 'RUNNING', checkpointsCompleted: 5, checkpointsFailed: 1, checkpointsInProgress: 1, checkpointsTotal: 7 }),
  },
  {
    kind: 'OpenLineage RunEvent COMPLETE',
    request: (n) => olRun(n, 'COMPLETE', T0 + 2000),
    check: (atlas, n) => expectRunStatus(atlas, n, { status: 'FINISHED', lastEventTime: T0 + 2000 }),
  },
  {
    kind: 'OpenLineage RunEvent FAIL (errorMessage)',
    request: (n) =>
      olRun(n, 'FAIL', T0 + 3000, {
        runFacets: { errorMessage: { message: `Job failed (${n.tag})`, programmingLanguage: 'JAVA', stackTrace: 'java.lang.RuntimeException: boom' } },
      }),
    check: (atlas, n) => expectRunStatus(atlas, n, { status: 'FAILED', errorMessage: `Job failed (${n.tag})`, errorStackTrace: 'java.lang.RuntimeException: boom' }),
  },
  {
    kind: 'OpenLineage RunEvent ABORT',
    request: (n) => olRun(n, 'ABORT', T0 + 4000),
    check: (atlas, n) => expectRunStatus(atlas, n, { status: 'CANCELED' }),
  },
  {
    kind: 'OpenLineage RunEvent, the integration\'s own expected_kafka event',
    // The fixture names its own job (flink_job_namespace/flink_examples_stateful), shared by every cell: the cell's
    // JobID keeps its run apart.
    request: (n) => lineage(fillFixture('expected_kafka', { jobId: n.jobId, runId: n.runId })),
    check: async (atlas, n) => {
      const run = await mustHave(atlas, 'flink_job_run', `flink_job_namespace/flink_examples_stateful/${n.jobId}@${NS}`);
      expect(run.attributes).toMatchObject({ jobId: n.jobId, cluster: 'flink_job_namespace' });
      const job = await mustHave(atlas, 'flink_job', `flink_job_namespace/flink_examples_stateful@${NS}`);
      expect(related(job, 'inputs')).toEqual(['io.openlineage.flink.kafka.input1@primary', 'io.openlineage.flink.kafka.input2@primary']);
      expect(related(job, 'outputs')).toEqual(['io.openlineage.flink.kafka.output@primary']);
    },
  },
  {
    kind: "OpenLineage RunEvent START from Flink SQL, the integration's own expected_sql_kafka event (TABLE symlinks)",
    // Shared job and table names again (default_catalog.default_database.kafka_input, ...); the run is the cell's.
    request: (n) => lineage(fillFixture('expected_sql_kafka', { jobId: n.jobId, runId: n.runId })),
    check: async (atlas, n) => {
      const job = 'flink-jobs/insert-into_default_catalog.default_database.kafka_output';
      expect((await mustHave(atlas, 'flink_job_run', `${job}/${n.jobId}@${NS}`)).attributes).toMatchObject({ status: 'INITIALIZING', executionMode: 'STREAMING' });
      const entity = await mustHave(atlas, 'flink_job', `${job}@${NS}`);
      expect(related(entity, 'inputs')).toEqual([`default_catalog.default_database.kafka_input@${NS}`, `io.openlineage.flink.kafka.input1@${NS}`]);
      expect(related(entity, 'outputs')).toEqual([`default_catalog.default_database.kafka_output@${NS}`, `io.openlineage.flink.kafka.output@${NS}`]);
    },
  },
  {
    kind: 'OpenLineage JobEvent',
    request: (n) =>
      lineage({
        eventTime: olTime(T0 + 5000),
        producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/flink',
        schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent',
        job: { namespace: n.cluster, name: n.job, facets: { jobType: { _producer: 'p', _schemaURL: 's', processingType: 'BATCH', integration: 'FLINK' } } },
        inputs: [olKafka(n)],
        outputs: [olJdbc(n)],
      }),
    check: async (atlas, n) => {
      const job = await mustHave(atlas, 'flink_job', jobQn(n));
      expect(job.attributes).toMatchObject({ executionMode: 'BATCH', lineageTime: T0 + 5000 });
      expect(related(job, 'inputs')).toEqual([`orders_${n.ident}@${NS}`]);
      expect(related(job, 'outputs')).toEqual([`postgres://pg:5432/shop.public.totals_${n.ident}@${NS}`]);
      expect(related(job, 'runs')).toEqual([]);
    },
  },
  {
    kind: 'OpenLineage DatasetEvent',
    request: (n) =>
      lineage({
        eventTime: olTime(T0 + 6000),
        producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/flink',
        schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent',
        dataset: {
          namespace: 'hive://metastore:9083',
          name: `sales_${n.ident}.orders`,
          facets: { schema: { _producer: 'p', _schemaURL: 's', fields: [{ name: 'id', type: 'BIGINT' }, { name: 'amount', type: 'DECIMAL(18, 2)' }] } },
        },
      }),
    check: async (atlas, n) => {
      const table = await mustHave(atlas, 'hive_table', `sales_${n.ident}.orders@${NS}`);
      expect(related(table, 'columns')).toEqual([`sales_${n.ident}.orders.amount@${NS}`, `sales_${n.ident}.orders.id@${NS}`]);
      expect((await mustHave(atlas, 'hive_column', `sales_${n.ident}.orders.id@${NS}`)).attributes).toMatchObject({ type: 'BIGINT', position: 0 });
    },
  },
];

// ---- Flink REST job JSON (POST /flink/jobs?cluster=) ----

const restCases: MatrixCase[] = [
  {
    kind: 'Flink REST job JSON (RUNNING, no execution result)',
    request: (n) => ({ route: 'jobs', query: { cluster: n.cluster }, body: restJob('RUNNING', { jid: n.jobId, name: n.job }) }),
    check: async (atlas, n) => {
      await expectRunStatus(atlas, n, { status: 'RUNNING', startTime: START, executionMode: 'STREAMING' });
      const job = await mustHave(atlas, 'flink_job', jobQn(n));
      const operators = (job.attributes.operators as { attributes: { name: string } }[]).map((o) => o.attributes.name).sort();
      expect(operators).toEqual(['Map', 'Sink: enriched', 'Source: orders']);
      expect(job.attributes.operatorEdges).toHaveLength(2);
    },
  },
  {
    kind: 'Flink REST envelope with the execution result (FINISHED)',
    request: (n) => ({
      route: 'jobs',
      query: { cluster: n.cluster },
      body: { job: restJob('FINISHED', { jid: n.jobId, name: n.job }), executionResult: executionResult({ id: n.jobId }) },
    }),
    check: (atlas, n) =>
      expectRunStatus(atlas, n, { status: 'FINISHED', startTime: START, endTime: START + 3_600_000, netRuntimeMs: 3_599_000, recordsIn: 1200, recordsOut: 1100 }),
  },
  {
    kind: 'Flink REST job JSON (FINISHED, no execution result)',
    request: (n) => ({ route: 'jobs', query: { cluster: n.cluster }, body: restJob('FINISHED', { jid: n.jobId, name: n.job }) }),
    // Without the execution result the run time is the JSON's duration.
    check: (atlas, n) => expectRunStatus(atlas, n, { status: 'FINISHED', endTime: START + 3_600_000, netRuntimeMs: 3_600_000, recordsIn: 1200, recordsOut: 1100 }),
  },
  {
    kind: 'Flink REST envelope with the execution result (FAILED, failure cause)',
    request: (n) => ({
      route: 'jobs',
      query: { cluster: n.cluster },
      body: {
        job: restJob('FAILED', { jid: n.jobId, name: n.job }),
        executionResult: executionResult({
          id: n.jobId,
          'application-status': 'FAILED',
          'failure-cause': { class: 'org.apache.flink.runtime.JobException', 'stack-trace': `org.apache.flink.runtime.JobException: Recovery is suppressed (${n.tag})\n\tat org.apache.flink.runtime.Task.run` },
        }),
      },
    }),
    check: (atlas, n) =>
      expectRunStatus(atlas, n, {
        status: 'FAILED', errorMessage: `org.apache.flink.runtime.JobException: Recovery is suppressed (${n.tag})`,
        errorStackTrace: expect.stringContaining('Task.run'), netRuntimeMs: 3_599_000,
      }),
  },];

// ---- a batch: POST /flink/events takes a JSON array of up to 500 events of any kinds ----

const batchCases: MatrixCase[] = [
  {
    kind: 'native batch: job.status, job.result, catalog.table CREATE and dataset.metadata in one array',
    request: (n) => ({
      route: 'events',
      body: [
        jobStatus(n, T0, { status: 'FINISHED', endTime: T0 }),
        {
          type: 'job.result', eventId: eventId(), eventTime: iso(T0 + 1), cluster: n.cluster, job: { id: n.jobId, name: n.job },
          result: { netRuntimeMs: 42_000, accumulators: {}, recordsIn: 7, recordsOut: 6 },
        },
        tableEvent(n, 'CREATE', 'orders', T0, kafkaTable(`orders_${n.ident}`)).body,
        { type: 'dataset.metadata', eventId: eventId(), eventTime: iso(T0), dataset: { namespace: 'kafka://kafka-1:9092', name: `audit_${n.ident}` } },
      ],
    }),
    check: async (atlas, n) => {
      await expectRunStatus(atlas, n, { status: 'FINISHED', endTime: T0, netRuntimeMs: 42_000, recordsIn: 7, recordsOut: 6 });
      await mustHave(atlas, 'flink_table', tableQn(n, 'orders'));
      await mustHave(atlas, 'kafka_topic', `audit_${n.ident}@${NS}`);
    },
  },
];

export const MATRIX_CASES: readonly MatrixCase[] = [...nativeJobCases, ...catalogCases, ...openLineageCases, ...restCases, ...batchCases];
