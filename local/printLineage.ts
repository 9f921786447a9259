// Reads a job's lineage and runs back from Atlas and renders them as text:
//
//   kafka_topic orders@primary
//   hive_table sales.customers_dim@primary
//     → flink_job flink-prod/orders-enrichment@primary
//       → aws_s3_v2_directory s3://lake/enriched/orders/@primary
//   run 793cbf24aa9905fbc4fe05d4ce174ab3: RUNNING (STREAMING)
import type { AtlasClient } from '../lib/atlas/index.js';
import type { AtlasEntityHeader, AtlasLineageInfo } from '../lib/atlas/model.js';
import { JOB_TYPE, RUN_TYPE, jobQualifiedName, runQualifiedName, type NamingContext } from '../lib/mapping/index.js';
import type { SampleJob } from './samples.js';

const entityLabel = (header: AtlasEntityHeader | undefined, guid: string): string => {
  if (header === undefined) return `(unknown entity ${guid})`;
  const qualifiedName = header.attributes?.qualifiedName;
  return `${header.typeName} ${typeof qualifiedName === 'string' ? qualifiedName : (header.displayText ?? guid)}`;
};

/** The entities one hop upstream and downstream of the lineage's base entity, sorted. */
export const directNeighbours = (lineage: AtlasLineageInfo): { base: string; inputs: string[]; outputs: string[] } => {
  const base = lineage.baseEntityGuid;
  const name = (guid: string) => entityLabel(lineage.guidEntityMap[guid], guid);
  const inputs = lineage.relations.filter((r) => r.toEntityId === base).map((r) => name(r.fromEntityId));
  const outputs = lineage.relations.filter((r) => r.fromEntityId === base).map((r) => name(r.toEntityId));
  return { base: name(base), inputs: [...new Set(inputs)].sort(), outputs: [...new Set(outputs)].sort() };
};

export const describeJobLineage = async (client: AtlasClient, job: SampleJob, naming: NamingContext): Promise<string> => {
  const lineage = await client.lineage(JOB_TYPE, jobQualifiedName(job.cluster, job.name, naming));
  const { base, inputs, outputs } = directNeighbours(lineage);
  const lines = [
    ...(inputs.length > 0 ? inputs : ['(no inputs)']),
    `  → ${base}`,
    ...(outputs.length > 0 ? outputs : ['(no outputs)']).map((o) => `    → ${o}`),
  ];
  for (const jobId of job.runIds) {
    const run = await client.getEntityByQualifiedName(RUN_TYPE, runQualifiedName(job.cluster, job.name, jobId, naming));
    const attributes = run?.entity.attributes ?? {};
    const status = typeof attributes.status === 'string' ? attributes.status : 'not in Atlas';
    const mode = typeof attributes.executionMode === 'string' ? ` (${attributes.executionMode})` : '';
    lines.push(`  run ${jobId}: ${status}${mode}`);
  }
  return lines.map((line) => `  ${line}`).join('\n');
};
