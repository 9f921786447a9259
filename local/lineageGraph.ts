// The graph the lineage page draws, read from Atlas: every flink_job with the datasets it reads and writes (one hop of
// Atlas's own lineage) and its latest runs with their status. Reading is done here, on the server, so the browser
// needs no Atlas credentials; building the graph is a pure function.
import type { AtlasClient } from '../lib/atlas/index.js';
import type { AtlasEntity, AtlasEntityHeader, AtlasLineageInfo } from '../lib/atlas/model.js';
import { JOB_TYPE, RUN_TYPE } from '../lib/mapping/index.js';

export type NodeKind = 'job' | 'dataset' | 'run';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  typeName: string;
  qualifiedName: string;
  label: string;
  /** A run's status; a job's is its latest run's. */
  status?: string;
  /** A few attributes for the details panel. */
  detail: Record<string, string>;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: 'input' | 'output' | 'run';
}

export interface LineageGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  counts: { jobs: number; runs: number; datasets: number };
}

export interface JobLineage {
  job: AtlasEntityHeader;
  lineage: AtlasLineageInfo | undefined;
}

/** Runs shown per job, latest first: older runs stay in Atlas, the page shows the recent ones. */
export const RUNS_PER_JOB = 3;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
const iso = (value: unknown): string | undefined => (typeof value === 'number' && value > 0 ? new Date(value).toISOString() : undefined);
const defined = (record: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(record).filter((e): e is [string, string] => e[1] !== undefined));

/** `<cluster>/<job name>/<JobID>@<ns>` → `<cluster>/<job name>@<ns>` (the naming contract of docs/atlas-model.md). */
export const jobQualifiedNameOfRun = (runQualifiedName: string, jobId: string): string | undefined => {
  const suffix = `/${jobId}@`;
  const at = runQualifiedName.lastIndexOf(suffix);
  return at < 0 ? undefined : `${runQualifiedName.slice(0, at)}@${runQualifiedName.slice(at + suffix.length)}`;
};

/** The last part of a dataset's qualifiedName, for a short label: `s3://lake/enriched/orders/@primary` → `enriched/orders/`. */
const datasetLabel = (header: AtlasEntityHeader): string => {
  const name = text(header.attributes?.name) ?? header.displayText ?? text(header.attributes?.qualifiedName) ?? header.guid;
  const qualifiedName = text(header.attributes?.qualifiedName) ?? name;
  return `${name}\n${header.typeName}${qualifiedName.includes('@') ? ` @${qualifiedName.slice(qualifiedName.lastIndexOf('@') + 1)}` : ''}`;
};

const runTime = (run: AtlasEntity): number => {
  const a = run.attributes;
  return Math.max(Number(a.startTime ?? 0), Number(a.lastEventTime ?? 0));
};

/** Pure: jobs with their lineage and the stored runs in, the page's graph out. */
export const buildLineageGraph = (jobs: readonly JobLineage[], runs: readonly AtlasEntity[]): LineageGraph => {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const jobGuidByName = new Map<string, string>();

  for (const { job } of jobs) {
    const qualifiedName = text(job.attributes?.qualifiedName) ?? job.guid;
    jobGuidByName.set(qualifiedName, job.guid);
    nodes.set(job.guid, {
      id: job.guid,
      kind: 'job',
      typeName: job.typeName,
      qualifiedName,
      label: text(job.attributes?.name) ?? qualifiedName,
      detail: defined({ qualifiedName, cluster: text(job.attributes?.cluster) }),
    });
  }
  for (const { job, lineage } of jobs) {
    if (lineage === undefined) continue;
    const base = job.guid;
    for (const relation of lineage.relations) {
      const [datasetGuid, kind] =
        relation.toEntityId === base ? [relation.fromEntityId, 'input' as const]
        : relation.fromEntityId === base ? [relation.toEntityId, 'output' as const]
        : [undefined, undefined];
      if (datasetGuid === undefined || kind === undefined) continue;
      const header = lineage.guidEntityMap[datasetGuid];
      if (header === undefined || header.typeName === JOB_TYPE) continue;
      if (!nodes.has(datasetGuid)) {
        const qualifiedName = text(header.attributes?.qualifiedName) ?? datasetGuid;
        nodes.set(datasetGuid, {
          id: datasetGuid,
          kind: 'dataset',
          typeName: header.typeName,
          qualifiedName,
          label: datasetLabel(header),
          detail: defined({ qualifiedName, type: header.typeName }),
        });
      }
      const [source, target] = kind === 'input' ? [datasetGuid, base] : [base, datasetGuid];
      edges.set(`${source}->${target}`, { id: `${source}->${target}`, source, target, kind });
    }
  }

  const runsByJob = new Map<string, AtlasEntity[]>();
  for (const run of runs) {
    const qualifiedName = text(run.attributes.qualifiedName);
    const jobId = text(run.attributes.jobId);
    if (run.guid === undefined || qualifiedName === undefined || jobId === undefined) continue;
    const jobGuid = jobGuidByName.get(jobQualifiedNameOfRun(qualifiedName, jobId) ?? '');
    if (jobGuid === undefined) continue;
    runsByJob.set(jobGuid, [...(runsByJob.get(jobGuid) ?? []), run]);
  }
  let runCount = 0;
  for (const [jobGuid, jobRuns] of runsByJob) {
    const latest = [...jobRuns].sort((a, b) => runTime(b) - runTime(a)).slice(0, RUNS_PER_JOB);
    const job = nodes.get(jobGuid);
    const latestStatus = text(latest[0]?.attributes.status);
    if (job !== undefined && latestStatus !== undefined) {
      job.status = latestStatus;
      job.detail.latestRun = text(latest[0]?.attributes.jobId) ?? '';
    }
    for (const run of latest) {
      const a = run.attributes;
      const guid = run.guid as string;
      const status = text(a.status) ?? 'UNKNOWN';
      runCount += 1;
      nodes.set(guid, {
        id: guid,
        kind: 'run',
        typeName: RUN_TYPE,
        qualifiedName: text(a.qualifiedName) ?? guid,
        label: `${status}\n${(text(a.jobId) ?? '').slice(0, 8)}`,
        status,
        detail: defined({
          qualifiedName: text(a.qualifiedName),
          jobId: text(a.jobId),
          status,
          previousStatus: text(a.previousStatus),
          executionMode: text(a.executionMode),
          startTime: iso(a.startTime),
          endTime: iso(a.endTime),
          lastEventTime: iso(a.lastEventTime),
          recordsIn: text(a.recordsIn),
          recordsOut: text(a.recordsOut),
          errorMessage: text(a.errorMessage)?.slice(0, 300),
        }),
      });
      edges.set(`${jobGuid}->${guid}`, { id: `${jobGuid}->${guid}`, source: jobGuid, target: guid, kind: 'run' });
    }
  }
  const all = [...nodes.values()];
  return {
    nodes: all.sort((a, b) => a.kind.localeCompare(b.kind) || a.qualifiedName.localeCompare(b.qualifiedName)),
    edges: [...edges.values()].sort((a, b) => a.id.localeCompare(b.id)),
    counts: {
      jobs: all.filter((n) => n.kind === 'job').length,
      runs: runCount,
      datasets: all.filter((n) => n.kind === 'dataset').length,
    },
  };
};

const PAGE = 500;
/** Caps one refresh on a big Atlas: the page is for the local stack, not a catalog browser. */
const MAX_ENTITIES = 2000;

const searchAll = async (atlas: Pick<AtlasClient, 'searchBasic'>, typeName: string): Promise<AtlasEntityHeader[]> => {
  const found: AtlasEntityHeader[] = [];
  for (let offset = 0; offset < MAX_ENTITIES; offset += PAGE) {
    const page = (await atlas.searchBasic(typeName, { limit: PAGE, offset })).entities ?? [];
    found.push(...page);
    if (page.length < PAGE) break;
  }
  return found;
};

/** Reads Atlas (basic search for jobs and runs, one lineage call per job, one bulk read of the runs) and builds the graph. */
export const readLineageGraph = async (
  atlas: Pick<AtlasClient, 'searchBasic' | 'lineage' | 'getEntitiesByQualifiedNames'>,
): Promise<LineageGraph> => {
  const jobHeaders = await searchAll(atlas, JOB_TYPE);
  const jobs: JobLineage[] = await Promise.all(
    jobHeaders.map(async (job) => {
      const qualifiedName = text(job.attributes?.qualifiedName);
      const lineage = qualifiedName === undefined ? undefined : await atlas.lineage(JOB_TYPE, qualifiedName, 'BOTH', 1);
      return { job, lineage };
    }),
  );
  const runNames = (await searchAll(atlas, RUN_TYPE)).flatMap((h) => text(h.attributes?.qualifiedName) ?? []);
  const runs: AtlasEntity[] = [];
  // The bulk read names every entity in its URL: a few dozen at a time, as the write path does.
  for (let start = 0; start < runNames.length; start += 40) {
    runs.push(...(await atlas.getEntitiesByQualifiedNames(runNames.slice(start, start + 40), RUN_TYPE)));
  }
  return buildLineageGraph(jobs, runs.filter((r) => r.typeName === RUN_TYPE));
};
