import { describe, expect, it } from 'vitest';
import type { CatalogBaseTable } from '../../../../lib/contract/index.js';
import { physicalDatasets } from '../../../../lib/mapping/catalog/connectors.js';
import { mapDataset } from '../../../../lib/mapping/dataset/naming.js';
import { naming } from '../../../helpers/events.js';
import { id } from '../../../helpers/catalogEvents.js';

const table = (options: Record<string, string>, tableKind: CatalogBaseTable['tableKind'] = 'TABLE'): CatalogBaseTable => ({
  tableKind,
  schema: { columns: [{ name: 'id', dataType: 'BIGINT', kind: 'PHYSICAL' }] },
  options,
});

/** What the table links to in Atlas: type and qualifiedName through the same naming table as job lineage. */
const linked = (options: Record<string, string>, catalog?: { factoryIdentifier?: string; className?: string }, objectName = 'orders') =>
  physicalDatasets(id(objectName, 'sales', 'cat'), table(options), catalog).map((d) => {
    const mapped = mapDataset(d, naming);
    return `${mapped.ref.typeName} ${mapped.ref.qualifiedName}`;
  });

describe('Function: physicalDatasets (connector options → the dataset behind a Flink table)', () => {
  it.each([
    ['kafka', { connector: 'kafka', topic: 'Orders', 'properties.bootstrap.servers': 'kafka-1:9092,kafka-2:9092' }, ['kafka_topic orders@primary']],
    ['kafka with a topic list', { connector: 'kafka', topic: 'a;b', 'properties.bootstrap.servers': 'k:9092' }, ['kafka_topic a@primary', 'kafka_topic b@primary']],
    ['kafka with a topic pattern', { connector: 'kafka', 'topic-pattern': 'orders-.*', 'properties.bootstrap.servers': 'k:9092' }, ['kafka_topic orders-.*@primary']],
    ['upsert-kafka', { connector: 'upsert-kafka', topic: 'totals', 'properties.bootstrap.servers': 'SASL_SSL://k:9093' }, ['kafka_topic totals@primary']],
    ['jdbc on PostgreSQL (default port added)', { connector: 'jdbc', url: 'jdbc:postgresql://pg/shop?sslmode=require', 'table-name': 'public.order_totals' },
      ['flink_dataset postgres://pg:5432/shop.public.order_totals@primary']],
    ['jdbc on MySQL', { connector: 'jdbc', url: 'jdbc:mysql://db:3307/shop', 'table-name': 'orders' }, ['flink_dataset mysql://db:3307/shop.orders@primary']],
    ['jdbc on SQL Server', { connector: 'jdbc', url: 'jdbc:sqlserver://mssql;databaseName=shop;encrypt=true', 'table-name': 'dbo.orders' },
      ['flink_dataset sqlserver://mssql:1433/shop.dbo.orders@primary']],
    ['jdbc on Oracle', { connector: 'jdbc', url: 'jdbc:oracle:thin:@//ora:1521/ORCL', 'table-name': 'SHOP.ORDERS' }, ['flink_dataset oracle://ora:1521/ORCL.SHOP.ORDERS@primary']],
    ['filesystem on S3', { connector: 'filesystem', path: 's3://Lake/raw/orders/', format: 'parquet' }, ['aws_s3_v2_directory s3://lake/raw/orders/@primary']],
    ['filesystem on s3a', { connector: 'filesystem', path: 's3a://lake/raw', format: 'csv' }, ['aws_s3_v2_directory s3a://lake/raw/@primary']],
    ['filesystem on HDFS', { connector: 'filesystem', path: 'hdfs://nn:8020/warehouse/orders', format: 'orc' }, ['hdfs_path hdfs://nn:8020/warehouse/orders@primary']],
    ['filesystem on a local path', { connector: 'filesystem', path: 'file:///tmp/orders', format: 'json' }, ['fs_path file:///tmp/orders@primary']],
    ['hive connector', { connector: 'hive' }, ['hive_table sales.orders@primary']],
    ['iceberg in a Hadoop catalog (named by location)', { connector: 'iceberg', 'catalog-name': 'ice', 'catalog-type': 'hadoop', warehouse: 's3://lake/warehouse' },
      ['aws_s3_v2_directory s3://lake/warehouse/sales/orders/@primary']],
    ['iceberg in a Hive or REST catalog', { connector: 'iceberg', 'catalog-name': 'ice', 'catalog-type': 'hive', 'catalog-database': 'lake' },
      ['flink_dataset iceberg://ice/lake.orders@primary']],
    ['elasticsearch-7', { connector: 'elasticsearch-7', hosts: 'https://es-1:9200;https://es-2:9200', index: 'orders' }, ['flink_dataset elasticsearch://es-1:9200/orders@primary']],
    ['opensearch', { connector: 'opensearch', hosts: 'http://os:9200', index: 'orders' }, ['flink_dataset opensearch://os:9200/orders@primary']],
    ['hbase-2.2', { connector: 'hbase-2.2', 'table-name': 'shop:orders', 'zookeeper.quorum': 'zk-1:2181,zk-2:2181' }, ['hbase_table shop:orders@primary']],
    ['mongodb', { connector: 'mongodb', uri: 'mongodb://user:******@mongo:27017', database: 'shop', collection: 'orders' }, ['flink_dataset mongodb://mongo:27017/shop.orders@primary']],
    ['kinesis', { connector: 'kinesis', stream: 'orders', 'aws.region': 'eu-west-1' }, ['flink_dataset kinesis://eu-west-1/orders@primary']],
    ['datagen (no store behind it)', { connector: 'datagen', 'rows-per-second': '10' }, []],
    ['kafka without servers (cannot be named)', { connector: 'kafka', topic: 'orders' }, []],
  ])('links %s', (_label, options, expected) => {
    expect(linked(options as Record<string, string>)).toEqual(expected);
  });

  it('takes a HiveCatalog table without a connector option for the Hive table itself', () => {
    expect(linked({}, { className: 'org.apache.flink.table.catalog.hive.HiveCatalog' })).toEqual(['hive_table sales.orders@primary']);
    expect(linked({}, { factoryIdentifier: 'hive' })).toEqual(['hive_table sales.orders@primary']);
    expect(linked({}, { factoryIdentifier: 'generic_in_memory' })).toEqual([]);
  });

  it('gives a view no dataset of its own: its lineage is its query', () => {
    expect(physicalDatasets(id('v'), table({ connector: 'kafka', topic: 't', 'properties.bootstrap.servers': 'k:9092' }, 'VIEW'))).toEqual([]);
  });

  it('names datasets as the job lineage does, so a SQL job and its tables meet on the same topic', () => {
    const [fromTable] = physicalDatasets(id('orders'), table({ connector: 'kafka', topic: 'orders', 'properties.bootstrap.servers': 'kafka-1:9092' }));
    expect(fromTable).toEqual({ namespace: 'kafka://kafka-1:9092', name: 'orders' });
  });
});
