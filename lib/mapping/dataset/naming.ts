// Maps a Flink / OpenLineage dataset (namespace + name) to Atlas entities under Atlas's own types, with the
// qualifiedNames Atlas's own hooks and bridges build, so Flink lineage joins what those hooks registered.
// Every entity carries identity attributes only (the values the hooks themselves set), and the bulk
// request leaves out any entity Atlas already holds, so nothing a hook owns is ever overwritten.
import type { SchemaField } from '../../contract/index.js';
import type { DesiredEntity, EntityRef } from '../shared/entityRef.js';
import type { NamingContext } from '../shared/namingContext.js';

export interface DatasetName {
  namespace: string;
  name: string;
}

export interface MappedDataset {
  /** The dataset the job reads or writes: what `inputs`/`outputs` point at. */
  ref: EntityRef;
  /** The dataset first, then the parents it needs (bucket and directories, database, namespace). */
  entities: DesiredEntity[];
  /** Which row of the naming table applied, for `map` output and docs/atlas-model.md. */
  kind: DatasetKind;
  /** The dataset's top-level schema as one event reported it (OpenLineage schema facet), at that event's time. */
  schema?: DatasetSchema;
}

export interface DatasetSchema {
  /** Event time (epoch ms) of the event that reported it. */
  at: number;
  fields: readonly SchemaField[];
}

export type DatasetKind =
  | 'kafka' | 'hive' | 'hdfs' | 's3' | 'file' | 'hbase'
  | 'jdbc' | 'cassandra' | 'elasticsearch' | 'iceberg' | 'other';

const JDBC_SCHEMES: ReadonlySet<string> = new Set([
  'postgres', 'postgresql', 'mysql', 'mariadb', 'sqlserver', 'oracle', 'db2', 'redshift',
  'snowflake', 'clickhouse', 'trino', 'presto', 'jdbc', 'derby', 'h2', 'sqlite', 'teradata', 'vertica',
]);
const S3_SCHEMES: ReadonlySet<string> = new Set(['s3', 's3a', 's3n']);

interface ParsedNamespace {
  scheme: string;
  authority: string;
}

/** `kafka://broker:9092` → {kafka, broker:9092}; a bare `file` → {file, ''}. */
const parseNamespace = (namespace: string): ParsedNamespace => {
  const at = namespace.indexOf('://');
  if (at < 0) return { scheme: namespace.toLowerCase(), authority: '' };
  return { scheme: namespace.slice(0, at).toLowerCase(), authority: namespace.slice(at + 3).replace(/\/+$/, '') };
};

const atlasNamespaceOf = (dataset: DatasetName, ctx: NamingContext): string =>
  ctx.namespaceOverrides[dataset.namespace] ?? ctx.atlasNamespace;

const entity = (
  typeName: string,
  qualifiedName: string,
  attributes: Record<string, unknown>,
  references: DesiredEntity['references'] = {},
): DesiredEntity => ({ typeName, qualifiedName, attributes: { qualifiedName, ...attributes }, references });

const single = (e: DesiredEntity, kind: DatasetKind): MappedDataset => ({
  ref: { typeName: e.typeName, qualifiedName: e.qualifiedName },
  entities: [e],
  kind,
});

/** KafkaBridge.getTopicQualifiedName: lower-cased topic + @ns; the bridge sets name, topic and uri to the topic. */
const kafkaTopic = (topic: string, ns: string): MappedDataset =>
  single(entity('kafka_topic', `${topic.toLowerCase()}@${ns}`, { name: topic, topic, uri: topic }), 'kafka');

/**
 * The bridge's own mark, in `parameters`, on every hive_table it creates: the tables it owns. Not createTime: Atlas
 * stores createTime 0 for a table created without one (EntityGraphMapper.mapAttribute), so every table has one.
 * Set here, where the table is named; read by hiveColumns.ts.
 */
export const BRIDGE_OWNER_PARAMETER = 'flink.bridge.owner';
export const BRIDGE_OWNER = 'flink-atlas-bridge';

/** The parameters of a hive_table the bridge creates. */
export const bridgeTableParameters = (): Record<string, string> => ({ [BRIDGE_OWNER_PARAMETER]: BRIDGE_OWNER });

/**
 * HiveMetaStoreBridge: `db.table@ns`, db and table lower-cased; the table links to its hive_db. A table the bridge
 * creates carries the bridge's mark in `parameters`, so that its columns follow the job's schema (hiveColumns.ts).
 */
const hiveTable = (name: string, ns: string): MappedDataset => {
  const parts = name.split('.');
  const table = (parts.pop() ?? name).toLowerCase();
  const db = (parts.pop() ?? 'default').toLowerCase();
  const dbEntity = entity('hive_db', `${db}@${ns}`, { name: db, clusterName: ns });
  const tableEntity = entity('hive_table', `${db}.${table}@${ns}`, { name: table, parameters: bridgeTableParameters() }, {
    db: { typeName: 'hive_db', qualifiedName: dbEntity.qualifiedName },
  });
  return { ref: { typeName: 'hive_table', qualifiedName: tableEntity.qualifiedName }, entities: [tableEntity, dbEntity], kind: 'hive' };
};

const withLeadingSlash = (path: string): string => (path.startsWith('/') ? path : `/${path}`);

/** AtlasPathExtractorUtil.addHDFSPathEntity: qualifiedName `hdfs://nn:8020/path@ns`, path case kept. */
const hdfsPath = (authority: string, name: string, ns: string): MappedDataset => {
  const pathOnly = withLeadingSlash(name);
  const path = `hdfs://${authority}${pathOnly}`;
  return single(entity('hdfs_path', `${path}@${ns}`, { name: pathOnly, path, clusterName: ns }), 'hdfs');
};

/**
 * AtlasPathExtractorUtil.addS3PathEntityV2: a bucket `s3a://bucket@ns` and one aws_s3_v2_directory per
 * level, `s3a://bucket/dir1/dir2/@ns`, each contained in its parent. Scheme and bucket are lower-cased.
 */
const s3Directory = (scheme: string, bucket: string, key: string, ns: string): MappedDataset => {
  const schemeAndBucket = `${scheme}://${bucket}`.toLowerCase();
  const bucketEntity = entity('aws_s3_v2_bucket', `${schemeAndBucket}@${ns}`, { name: bucket });
  const entities: DesiredEntity[] = [bucketEntity];
  let parent: EntityRef = { typeName: bucketEntity.typeName, qualifiedName: bucketEntity.qualifiedName };
  let prefix = '/';
  for (const dir of key.split('/').filter((segment) => segment.length > 0)) {
    prefix += `${dir}/`;
    const directory = entity('aws_s3_v2_directory', `${schemeAndBucket}${prefix}@${ns}`, { name: dir, objectPrefix: prefix }, {
      container: parent,
    });
    entities.push(directory);
    parent = { typeName: directory.typeName, qualifiedName: directory.qualifiedName };
  }
  // The deepest level is the dataset; the rest are its parents.
  const dataset = entities.pop() as DesiredEntity;
  return { ref: parent, entities: [dataset, ...entities.reverse()], kind: 's3' };
};

/** Local and other non-HDFS file paths: fs_path, qualifiedName `file:///path@ns`. */
const filePath = (name: string, ns: string): MappedDataset => {
  const pathOnly = withLeadingSlash(name);
  const path = `file://${pathOnly}`;
  return single(entity('fs_path', `${path}@${ns}`, { name: pathOnly, path }), 'file');
};

/** HBaseBridge: `namespace:table@ns`, no lower-casing; name and uri are the table name as HBase prints it. */
const hbaseTable = (name: string, ns: string): MappedDataset => {
  const colon = name.indexOf(':');
  const hbaseNamespace = colon < 0 ? 'default' : name.slice(0, colon);
  const table = colon < 0 ? name : name.slice(colon + 1);
  const printed = hbaseNamespace === 'default' ? table : `${hbaseNamespace}:${table}`;
  const namespaceEntity = entity('hbase_namespace', `${hbaseNamespace}@${ns}`, { name: hbaseNamespace, clusterName: ns });
  const tableEntity = entity('hbase_table', `${hbaseNamespace}:${table}@${ns}`, { name: printed, uri: printed }, {
    namespace: { typeName: 'hbase_namespace', qualifiedName: namespaceEntity.qualifiedName },
  });
  return { ref: { typeName: 'hbase_table', qualifiedName: tableEntity.qualifiedName }, entities: [tableEntity, namespaceEntity], kind: 'hbase' };
};

/** Stores Atlas has no type or hook convention for: the bridge's flink_dataset, `<namespace>/<name>@ns`. */
const flinkDataset = (dataset: DatasetName, kind: DatasetKind, storageKind: string, ns: string): MappedDataset => {
  const separator = dataset.name.startsWith('/') || dataset.namespace.endsWith('/') ? '' : '/';
  const qualifiedName = `${dataset.namespace}${separator}${dataset.name}@${ns}`;
  return single(
    entity('flink_dataset', qualifiedName, {
      name: dataset.name,
      namespace: dataset.namespace,
      datasetName: dataset.name,
      storageKind,
    }),
    kind,
  );
};

/** The naming table: one row per dataset namespace scheme. Unknown schemes still land, as flink_dataset. */
export const mapDataset = (dataset: DatasetName, ctx: NamingContext): MappedDataset => {
  const ns = atlasNamespaceOf(dataset, ctx);
  const { scheme, authority } = parseNamespace(dataset.namespace);
  if (scheme === 'kafka') return kafkaTopic(dataset.name, ns);
  if (scheme === 'hive') return hiveTable(dataset.name, ns);
  if (scheme === 'hdfs') return hdfsPath(authority, dataset.name, ns);
  if (S3_SCHEMES.has(scheme) && authority.length > 0) return s3Directory(scheme, authority, dataset.name, ns);
  if (scheme === 'file') return filePath(dataset.name, ns);
  if (scheme === 'hbase') return hbaseTable(dataset.name, ns);
  if (JDBC_SCHEMES.has(scheme) || scheme.startsWith('jdbc:')) return flinkDataset(dataset, 'jdbc', 'jdbc', ns);
  if (scheme === 'cassandra') return flinkDataset(dataset, 'cassandra', 'cassandra', ns);
  if (scheme === 'elasticsearch' || scheme === 'opensearch') return flinkDataset(dataset, 'elasticsearch', 'elasticsearch', ns);
  if (scheme === 'iceberg') return flinkDataset(dataset, 'iceberg', 'iceberg', ns);
  return flinkDataset(dataset, 'other', scheme || 'unknown', ns);
};
