// The physical dataset behind a Flink SQL table, from its connector options, named as Flink 2's LineageDataset
// and OpenLineage name it (namespace + name), so that `mapDataset` (the naming table) turns it into the same
// Atlas entity a job's lineage names: a kafka_topic, a hive_table, an S3 directory, a JDBC flink_dataset...
// Pure. A connector without a store behind it (datagen, print, blackhole) or with options too incomplete to
// name one gives no dataset, never a guessed one.
import type { CatalogBaseTable, ObjectIdentifier } from '../../contract/index.js';
import type { DatasetName } from '../dataset/naming.js';

export interface CatalogKind {
  factoryIdentifier?: string;
  className?: string;
}

/** The first `host:port` of a comma- or semicolon-separated server list, without scheme or path. */
const firstServer = (servers: string | undefined): string | undefined => {
  const first = servers?.split(/[,;]/)[0]?.trim();
  if (!first) return undefined;
  return first.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '') || undefined;
};

const listOf = (value: string | undefined): string[] =>
  (value ?? '').split(';').map((v) => v.trim()).filter((v) => v.length > 0);

const kafka = (options: Record<string, string>): DatasetName[] => {
  const server = firstServer(options['properties.bootstrap.servers']);
  if (server === undefined) return [];
  const namespace = `kafka://${server}`;
  const topics = listOf(options.topic);
  if (topics.length > 0) return topics.map((name) => ({ namespace, name }));
  // A topic pattern stays one dataset named by the pattern, as in the job lineage naming table.
  const pattern = options['topic-pattern'];
  return pattern ? [{ namespace, name: pattern }] : [];
};

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  postgres: 5432, mysql: 3306, mariadb: 3306, sqlserver: 1433, oracle: 1521, db2: 50000, clickhouse: 8123,
};

/**
 * A JDBC URL → OpenLineage's JDBC namespace (`postgres://host:5432`, default port added) and the database it
 * names. Handles `jdbc:<sub>://host[:port][/db][?...]`, SQL Server's `;databaseName=`, Oracle thin URLs.
 */
const parseJdbcUrl = (url: string): { namespace: string; database?: string } | undefined => {
  const oracle = /^jdbc:oracle:thin:@(?:\/\/)?([^:/?]+)(?::(\d+))?[:/]([^?]+)?/i.exec(url);
  if (oracle) {
    const [, host = '', port, service] = oracle;
    return { namespace: `oracle://${host}:${port ?? DEFAULT_PORTS.oracle}`, ...(service ? { database: service } : {}) };
  }
  const match = /^jdbc:([a-z0-9]+):\/\/([^/;?]+)(?:\/([^;?]*))?(.*)$/i.exec(url);
  if (!match) return undefined;
  const [, sub = '', hostPort = '', path, rest = ''] = match;
  const scheme = sub.toLowerCase() === 'postgresql' ? 'postgres' : sub.toLowerCase();
  const server = hostPort.split(',')[0] ?? hostPort;
  const host = server.replace(/^.*@/, '');
  const withPort = /:\d+$/.test(host) || DEFAULT_PORTS[scheme] === undefined ? host : `${host}:${DEFAULT_PORTS[scheme]}`;
  const database = path || /[;?&]databaseName=([^;&]+)/i.exec(rest)?.[1];
  return { namespace: `${scheme}://${withPort}`, ...(database ? { database } : {}) };
};

const jdbc = (options: Record<string, string>): DatasetName[] => {
  const url = options.url;
  const table = options['table-name'];
  if (!url || !table) return [];
  const parsed = parseJdbcUrl(url);
  if (parsed === undefined) return [];
  return [{ namespace: parsed.namespace, name: parsed.database ? `${parsed.database}.${table}` : table }];
};

/** A file system URI → OpenLineage's file naming: `s3://bucket` + key, `hdfs://nn:8020` + /path, `file` + /path. */
const fileDataset = (location: string): DatasetName | undefined => {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)(\/.*)?$/i.exec(location);
  if (!match) return location.startsWith('/') ? { namespace: 'file', name: location } : undefined;
  const [, rawScheme = '', authority = '', path = '/'] = match;
  const scheme = rawScheme.toLowerCase();
  if (scheme === 'file') return { namespace: 'file', name: path };
  if (scheme === 's3' || scheme === 's3a' || scheme === 's3n') {
    return authority ? { namespace: `${scheme}://${authority}`, name: path.replace(/^\/+/, '') } : undefined;
  }
  return authority ? { namespace: `${scheme}://${authority}`, name: path } : undefined;
};

const filesystem = (options: Record<string, string>): DatasetName[] => {
  const dataset = options.path ? fileDataset(options.path) : undefined;
  return dataset ? [dataset] : [];
};

/** The Hive table of the Flink database and table (HiveCatalog maps them one to one). */
const hive = (id: ObjectIdentifier): DatasetName[] => [{ namespace: 'hive', name: `${id.databaseName}.${id.objectName}` }];

const iceberg = (options: Record<string, string>, id: ObjectIdentifier): DatasetName[] => {
  const database = options['catalog-database'] ?? id.databaseName;
  const table = options['catalog-table'] ?? id.objectName;
  // A Hadoop catalog keeps tables under its warehouse: the table is named by its location, as emitters do.
  if (options['catalog-type'] === 'hadoop' && options.warehouse) {
    const location = fileDataset(`${options.warehouse.replace(/\/+$/, '')}/${database}/${table}`);
    if (location) return [location];
  }
  const catalog = options['catalog-name'];
  return catalog ? [{ namespace: `iceberg://${catalog}`, name: `${database}.${table}` }] : [];
};

const elasticsearch = (options: Record<string, string>, scheme: 'elasticsearch' | 'opensearch'): DatasetName[] => {
  const server = firstServer(options.hosts);
  return server && options.index ? [{ namespace: `${scheme}://${server}`, name: options.index }] : [];
};

const hbase = (options: Record<string, string>): DatasetName[] => {
  const server = firstServer(options['zookeeper.quorum']);
  return server && options['table-name'] ? [{ namespace: `hbase://${server}`, name: options['table-name'] }] : [];
};

const mongodb = (options: Record<string, string>): DatasetName[] => {
  const server = firstServer(options.uri?.replace(/^mongodb(\+srv)?:\/\/[^@/]*@/i, ''));
  return server && options.database && options.collection
    ? [{ namespace: `mongodb://${server}`, name: `${options.database}.${options.collection}` }]
    : [];
};

const kinesis = (options: Record<string, string>): DatasetName[] => {
  const stream = options.stream ?? options['stream.arn']?.replace(/^.*:stream\//, '');
  const region = options['aws.region'] ?? /^arn:aws[^:]*:kinesis:([^:]+):/.exec(options['stream.arn'] ?? '')?.[1];
  return stream && region ? [{ namespace: `kinesis://${region}`, name: stream }] : [];
};

const isHiveCatalog = (catalog: CatalogKind | undefined): boolean =>
  catalog?.factoryIdentifier === 'hive' || (catalog?.className ?? '').endsWith('.HiveCatalog');

/**
 * The datasets a Flink table reads and writes. Views have none of their own (their lineage is their query);
 * a table of a HiveCatalog without a connector option, or with `connector=hive`, is the Hive table itself.
 */
export const physicalDatasets = (id: ObjectIdentifier, table: CatalogBaseTable, catalog?: CatalogKind): DatasetName[] => {
  if (table.tableKind === 'VIEW') return [];
  const options = table.options ?? {};
  const connector = options.connector?.toLowerCase();
  if (connector === undefined) return isHiveCatalog(catalog) ? hive(id) : [];
  switch (connector) {
    case 'kafka':
    case 'upsert-kafka':
      return kafka(options);
    case 'jdbc':
      return jdbc(options);
    case 'filesystem':
      return filesystem(options);
    case 'hive':
      return hive(id);
    case 'iceberg':
      return iceberg(options, id);
    case 'hbase-1.4':
    case 'hbase-2.2':
    case 'hbase':
      return hbase(options);
    case 'mongodb':
      return mongodb(options);
    case 'kinesis':
      return kinesis(options);
    default:
      if (connector.startsWith('elasticsearch')) return elasticsearch(options, 'elasticsearch');
      if (connector.startsWith('opensearch')) return elasticsearch(options, 'opensearch');
      return [];
  }
};
