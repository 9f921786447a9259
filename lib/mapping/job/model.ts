// The bridge's Atlas model of a Flink job (flink_job, a Process) and of each run (flink_job_run, a
// ProcessExecution): which attributes form which register, and how one event turns into changes.
import { createHash } from 'node:crypto';
import type { FlinkEvent, JobStatus, LineageDataset, Operator } from '../../contract/index.js';
import { emptyCatalogChanges, joinCatalogChanges, tableSeen, type CatalogChanges } from '../catalog/model.js';
import { parseTablePath, TABLE_TYPE, tableQualifiedName } from '../catalog/naming.js';
import { mapDataset, type MappedDataset } from '../dataset/naming.js';
import { refKey, type EntityRef } from '../shared/entityRef.js';
import type { NamingContext } from '../shared/namingContext.js';
import { jobQualifiedName, runDisplayName, runQualifiedName } from './naming.js';
import { emptyState, type EntityState, type Register } from '../shared/registers.js';

export const JOB_TYPE = 'flink_job';
export const RUN_TYPE = 'flink_job_run';

/** Statuses after which Flink never moves the job again (JobStatus.isGloballyTerminalState). */
export const GLOBALLY_TERMINAL: ReadonlySet<JobStatus> = new Set(['FINISHED', 'FAILED', 'CANCELED']);

// Lifecycle order, used only to break ties between events with the same time.
const STATUS_ORDER: readonly JobStatus[] = [
  'INITIALIZING', 'CREATED', 'RUNNING', 'RESTARTING', 'RECONCILING', 'FAILING',
  'CANCELLING', 'SUSPENDED', 'FINISHED', 'FAILED', 'CANCELED',
];

export interface RegisterSpec {
  /** Holds the register's event time. Each register has its own, so writes of different registers never clash. */
  timeAttribute: string;
  attributes: readonly string[];
  /** The attributes holding entity references (inputs/outputs), written as relationship attributes. */
  references?: readonly string[];
  rank?: (value: Record<string, unknown>) => number;
  order?: (value: Record<string, unknown>) => number;
}

const statusOf = (value: Record<string, unknown>): JobStatus => value.status as JobStatus;

const DEPLOYMENT = {
  timeAttribute: 'deploymentTime',
  attributes: ['deploymentVersion', 'deploymentArtifact', 'deploymentCommit', 'deployedBy', 'deploymentParallelism'],
} as const satisfies RegisterSpec;
const EXECUTION_MODE = { timeAttribute: 'executionModeTime', attributes: ['executionMode'] } as const satisfies RegisterSpec;

export const RUN_REGISTERS: Readonly<Record<string, RegisterSpec>> = {
  status: {
    timeAttribute: 'lastEventTime',
    attributes: ['status', 'previousStatus'],
    rank: (value) => (GLOBALLY_TERMINAL.has(statusOf(value)) ? 1 : 0),
    order: (value) => STATUS_ORDER.indexOf(statusOf(value)),
  },
  executionMode: EXECUTION_MODE,
  parallelism: { timeAttribute: 'parallelismTime', attributes: ['parallelism'] },
  result: { timeAttribute: 'resultTime', attributes: ['netRuntimeMs', 'accumulators', 'recordsIn', 'recordsOut'] },
  error: { timeAttribute: 'errorTime', attributes: ['errorMessage', 'errorStackTrace'] },
  checkpoints: {
    timeAttribute: 'checkpointsTime',
    attributes: ['checkpointsCompleted', 'checkpointsFailed', 'checkpointsInProgress', 'checkpointsRestored', 'checkpointsTotal'],
  },
  deployment: DEPLOYMENT,
};

export const JOB_REGISTERS: Readonly<Record<string, RegisterSpec>> = {
  lineage: { timeAttribute: 'lineageTime', attributes: ['inputs', 'outputs', 'datasetFields', 'lineageDigest'], references: ['inputs', 'outputs'] },
  operators: { timeAttribute: 'operatorsTime', attributes: ['operators', 'operatorEdges'] },
  executionMode: EXECUTION_MODE,
  deployment: DEPLOYMENT,
};

export const RUN_MINIMUMS = ['startTime'] as const;
export const RUN_MAXIMUMS = ['endTime'] as const;

export interface JobChange {
  qualifiedName: string;
  identity: { qualifiedName: string; name: string; cluster: string };
  state: EntityState;
}

export interface RunChange {
  qualifiedName: string;
  identity: { qualifiedName: string; name: string; cluster: string; jobId: string };
  jobQualifiedName: string;
  state: EntityState;
}

/** What one event asks of Atlas: the job, usually one run, and the datasets its lineage names. */
export interface EventChanges {
  job: JobChange;
  run?: RunChange;
  datasets: MappedDataset[];
  /** The Flink catalog tables the lineage names (OpenLineage TABLE symlinks), seen to exist at the event's time. */
  catalog?: CatalogChanges;
}

/** A register of `spec` set by one event: its rank and order from the value. */
export const register = (spec: RegisterSpec, at: number, value: Record<string, unknown>): Register => ({
  at,
  rank: spec.rank?.(value) ?? 0,
  order: spec.order?.(value) ?? 0,
  value,
});

const definedOnly = (value: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null));

const sortedRefs = (datasets: readonly MappedDataset[]): EntityRef[] =>
  [...new Map(datasets.map((d) => [d.ref.qualifiedName + '|' + d.ref.typeName, d.ref])).values()].sort((a, b) =>
    a.qualifiedName < b.qualifiedName ? -1 : a.qualifiedName > b.qualifiedName ? 1 : 0,
  );

const runChange = (cluster: string, jobName: string, jobId: string, ctx: NamingContext, state: EntityState): RunChange => {
  const qualifiedName = runQualifiedName(cluster, jobName, jobId, ctx);
  return {
    qualifiedName,
    identity: { qualifiedName, name: runDisplayName(jobName, jobId), cluster, jobId },
    jobQualifiedName: jobQualifiedName(cluster, jobName, ctx),
    state,
  };
};

const jobChange = (cluster: string, jobName: string, ctx: NamingContext, state: EntityState): JobChange => {
  const qualifiedName = jobQualifiedName(cluster, jobName, ctx);
  return { qualifiedName, identity: { qualifiedName, name: jobName, cluster }, state };
};

const deploymentValue = (event: Extract<FlinkEvent, { type: 'job.deployment' }>, at: number): Record<string, unknown> =>
  definedOnly({
    deploymentVersion: event.deployment.version,
    deploymentArtifact: event.deployment.artifact,
    deploymentCommit: event.deployment.commit,
    deployedBy: event.deployment.deployedBy,
    deploymentParallelism: event.deployment.parallelism,
  });

/** The naming table's entities for each dataset, with the schema the event reported for it (if any). */
export const mapDatasets = (datasets: readonly LineageDataset[], at: number, ctx: NamingContext): MappedDataset[] =>
  datasets.map((d) => {
    const mapped = mapDataset(d, ctx);
    const fields = d.schema?.fields ?? [];
    return fields.length === 0 ? mapped : { ...mapped, schema: { at, fields } };
  });

const byQualifiedName = (a: EntityRef, b: EntityRef): number =>
  a.qualifiedName < b.qualifiedName ? -1 : a.qualifiedName > b.qualifiedName ? 1 : a.typeName < b.typeName ? -1 : a.typeName > b.typeName ? 1 : 0;

/**
 * The schemas of the job's datasets as flink_dataset_field structs on the job: the Flink side of the schema,
 * kept whoever owns the dataset (a Hive-hook table keeps its own columns). A dataset named twice (read and
 * written) keeps the first schema given, sources first.
 */
const datasetFields = (datasets: readonly MappedDataset[]): Record<string, unknown>[] => {
  const schemas = new Map<string, MappedDataset>();
  for (const d of datasets) if (d.schema !== undefined && !schemas.has(refKey(d.ref))) schemas.set(refKey(d.ref), d);
  return [...schemas.values()]
    .sort((a, b) => byQualifiedName(a.ref, b.ref))
    .flatMap(({ ref, schema }) =>
      (schema?.fields ?? []).map((field, position) => ({
        typeName: 'flink_dataset_field',
        attributes: definedOnly({
          dataset: ref.qualifiedName,
          datasetType: ref.typeName,
          name: field.name,
          type: field.type,
          description: field.description,
          position,
        }),
      })),
    );
};

/**
 * The Flink tables a lineage dataset stands for (its TABLE symlinks, `catalog.database.table`): the job is linked
 * to them as well as to the physical dataset. They are not datasets the job creates: whether each exists is the
 * catalog's business (catalog/plan.ts), so they travel as catalog facts, seen to exist at the event's time.
 */
const symlinkedTables = (datasets: readonly LineageDataset[], at: number, ctx: NamingContext): { refs: EntityRef[]; catalog: CatalogChanges } => {
  const ids = datasets.flatMap((d) => (d.symlinks ?? []).filter((s) => (s.type ?? 'TABLE').toUpperCase() === 'TABLE'))
    .flatMap((s) => parseTablePath(s.name) ?? []);
  return {
    refs: ids.map((id) => ({ typeName: TABLE_TYPE, qualifiedName: tableQualifiedName(id, ctx) })),
    catalog: joinCatalogChanges([emptyCatalogChanges(), ...ids.map((id) => tableSeen(id, at, ctx))]),
  };
};

/**
 * What inputs/outputs the bridge wrote, in one short string stored beside them: Atlas's own `inputs`/`outputs`
 * attributes on a read also list relations removed since (atlas-as-stored.md), so they cannot say whether a lineage
 * that re-adds a removed dataset is the one Atlas links. SHA-256 of the sorted refs, base64url, 132 bits.
 */
export const lineageDigestOf = (inputs: readonly EntityRef[], outputs: readonly EntityRef[]): string =>
  createHash('sha256').update(`in:${inputs.map(refKey).join(',')};out:${outputs.map(refKey).join(',')}`).digest('base64url').slice(0, 22);

/** Sets the job's lineage register; returns the datasets and Flink tables it names. */
const lineageChange = (
  lineage: { sources: readonly LineageDataset[]; sinks: readonly LineageDataset[] },
  at: number,
  jobState: EntityState,
  ctx: NamingContext,
): { datasets: MappedDataset[]; catalog?: CatalogChanges } => {
  const inputs = mapDatasets(lineage.sources, at, ctx);
  const outputs = mapDatasets(lineage.sinks, at, ctx);
  const inputTables = symlinkedTables(lineage.sources, at, ctx);
  const outputTables = symlinkedTables(lineage.sinks, at, ctx);
  const byName = (a: EntityRef, b: EntityRef) => (a.qualifiedName < b.qualifiedName ? -1 : a.qualifiedName > b.qualifiedName ? 1 : 0);
  const fields = datasetFields([...inputs, ...outputs]);
  const inputRefs = [...sortedRefs(inputs), ...inputTables.refs].sort(byName);
  const outputRefs = [...sortedRefs(outputs), ...outputTables.refs].sort(byName);
  jobState.registers.lineage = register(JOB_REGISTERS.lineage!, at, {
    inputs: inputRefs,
    outputs: outputRefs,
    ...(fields.length > 0 ? { datasetFields: fields } : {}),
    lineageDigest: lineageDigestOf(inputRefs, outputRefs),
  });
  const catalog = joinCatalogChanges([inputTables.catalog, outputTables.catalog]);
  return { datasets: [...inputs, ...outputs], ...(catalog.tables.length > 0 ? { catalog } : {}) };
};

/** The operator graph as Atlas structs: the vertices, and one edge per input of each. */
const operatorGraph = (operators: readonly Operator[]): Record<string, unknown> => ({
  operators: operators.map((o) => ({
    typeName: 'flink_operator',
    attributes: definedOnly({ id: o.id, name: o.name, parallelism: o.parallelism }),
  })),
  operatorEdges: operators.flatMap((o) =>
    (o.inputs ?? []).map((input) => ({
      typeName: 'flink_operator_edge',
      attributes: definedOnly({ source: input.id, target: o.id, shipStrategy: input.shipStrategy }),
    })),
  ),
});

/** Pure: one validated event in, the changes it asks of the job, its run and its datasets out. */
export const eventToChanges = (event: FlinkEvent, ctx: NamingContext): EventChanges => {
  const at = Date.parse(event.eventTime);
  const jobState = emptyState();
  const runState = emptyState();

  switch (event.type) {
    case 'job.status': {
      const { job } = event;
      runState.registers.status = register(RUN_REGISTERS.status!, at, definedOnly({
        status: job.status,
        previousStatus: job.previousStatus,
      }));
      if (job.executionMode !== undefined) {
        runState.registers.executionMode = register(EXECUTION_MODE, at, { executionMode: job.executionMode });
        jobState.registers.executionMode = register(EXECUTION_MODE, at, { executionMode: job.executionMode });
      }
      if (job.parallelism !== undefined) {
        runState.registers.parallelism = register(RUN_REGISTERS.parallelism!, at, { parallelism: job.parallelism });
      }
      if (event.error !== undefined) {
        runState.registers.error = register(RUN_REGISTERS.error!, at, definedOnly({
          errorMessage: event.error.message,
          errorStackTrace: event.error.stackTrace,
        }));
      }
      if (event.checkpoints !== undefined) {
        runState.registers.checkpoints = register(RUN_REGISTERS.checkpoints!, at, definedOnly({
          checkpointsCompleted: event.checkpoints.completed,
          checkpointsFailed: event.checkpoints.failed,
          checkpointsInProgress: event.checkpoints.inProgress,
          checkpointsRestored: event.checkpoints.restored,
          checkpointsTotal: event.checkpoints.total,
        }));
      }
      const terminal = GLOBALLY_TERMINAL.has(job.status);
      const startTime = job.startTime ?? (terminal ? undefined : at);
      if (startTime !== undefined) runState.minimums.startTime = startTime;
      const endTime = job.endTime ?? (terminal ? at : undefined);
      if (endTime !== undefined) runState.maximums.endTime = endTime;

      if (job.operators !== undefined && job.operators.length > 0) {
        jobState.registers.operators = register(JOB_REGISTERS.operators!, at, operatorGraph(job.operators));
      }
      const lineage = event.lineage === undefined ? { datasets: [] } : lineageChange(event.lineage, at, jobState, ctx);
      return {
        job: jobChange(event.cluster, job.name, ctx, jobState),
        run: runChange(event.cluster, job.name, job.id, ctx, runState),
        ...lineage,
      };
    }
    case 'job.result': {
      const { result } = event;
      runState.registers.result = register(RUN_REGISTERS.result!, at, definedOnly({
        netRuntimeMs: result.netRuntimeMs,
        accumulators: Object.fromEntries(Object.entries(result.accumulators).map(([k, v]) => [k, String(v)])),
        recordsIn: result.recordsIn,
        recordsOut: result.recordsOut,
      }));
      return {
        job: jobChange(event.cluster, event.job.name, ctx, jobState),
        run: runChange(event.cluster, event.job.name, event.job.id, ctx, runState),
        datasets: [],
      };
    }
    case 'job.deployment': {
      const value = deploymentValue(event, at);
      jobState.registers.deployment = register(DEPLOYMENT, at, value);
      const change: EventChanges = { job: jobChange(event.cluster, event.job.name, ctx, jobState), datasets: [] };
      if (event.job.id !== undefined) {
        runState.registers.deployment = register(DEPLOYMENT, at, value);
        change.run = runChange(event.cluster, event.job.name, event.job.id, ctx, runState);
      }
      return change;
    }
    case 'job.lineage': {
      // Static lineage: the job's inputs/outputs (and execution mode), no run.
      if (event.job.executionMode !== undefined) {
        jobState.registers.executionMode = register(EXECUTION_MODE, at, { executionMode: event.job.executionMode });
      }
      return { job: jobChange(event.cluster, event.job.name, ctx, jobState), ...lineageChange(event.lineage, at, jobState, ctx) };
    }
  }
};
