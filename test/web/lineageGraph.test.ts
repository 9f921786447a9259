// The graph the lineage page draws, built from what Atlas answers (pure).
import { describe, expect, it } from 'vitest';
import type { AtlasEntity, AtlasLineageInfo } from '../../lib/atlas/index.js';
import { buildLineageGraph, jobQualifiedNameOfRun, RUNS_PER_JOB } from '../../local/lineageGraph.js';

const job = { guid: 'j1', typeName: 'flink_job', attributes: { qualifiedName: 'prod/a/b@weird@primary', name: 'a/b@weird', cluster: 'prod' } };
const lineage: AtlasLineageInfo = {
  baseEntityGuid: 'j1',
  lineageDirection: 'BOTH',
  lineageDepth: 1,
  guidEntityMap: {
    j1: job,
    d1: { guid: 'd1', typeName: 'kafka_topic', attributes: { qualifiedName: 'orders@primary', name: 'orders' } },
    d2: { guid: 'd2', typeName: 'hive_table', attributes: { qualifiedName: 'sales.out@primary', name: 'out' } },
  },
  relations: [{ fromEntityId: 'd1', toEntityId: 'j1' }, { fromEntityId: 'j1', toEntityId: 'd2' }],
};
const run = (id: string, status: string, startTime: number): AtlasEntity => ({
  guid: `r-${id}`,
  typeName: 'flink_job_run',
  attributes: { qualifiedName: `prod/a/b@weird/${id}@primary`, jobId: id, status, startTime },
});

describe('the lineage graph', () => {
  it('finds a run\'s job by the naming contract, even when the job name holds / and @', () => {
    expect(jobQualifiedNameOfRun(`prod/a/b@weird/${'f'.repeat(32)}@primary`, 'f'.repeat(32))).toBe('prod/a/b@weird@primary');
    expect(jobQualifiedNameOfRun('prod/x@primary', 'f'.repeat(32))).toBeUndefined();
  });

  it('links datasets → job → datasets, keeps the latest runs, and colours the job by its latest run', () => {
    const runs = ['1', '2', '3', '4'].map((n, i) => run(n.repeat(32), i === 3 ? 'FAILED' : 'FINISHED', 1000 * i));
    const graph = buildLineageGraph([{ job, lineage }], runs);
    expect(graph.edges.map((e) => `${e.source}->${e.target}:${e.kind}`)).toEqual(expect.arrayContaining(['d1->j1:input', 'j1->d2:output']));
    expect(graph.counts).toEqual({ jobs: 1, runs: RUNS_PER_JOB, datasets: 2 });
    expect(graph.nodes.find((n) => n.id === 'j1')).toMatchObject({ kind: 'job', label: 'a/b@weird', status: 'FAILED' });
    expect(graph.nodes.some((n) => n.id === `r-${'1'.repeat(32)}`)).toBe(false);
  });
});
