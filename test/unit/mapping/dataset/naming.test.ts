import { describe, expect, it } from 'vitest';
import { mapDataset } from '../../../../lib/mapping/dataset/naming.js';
import { naming } from '../../../helpers/events.js';

const summary = (namespace: string, name: string, ctx = naming) => {
  const mapped = mapDataset({ namespace, name }, ctx);
  return {
    kind: mapped.kind,
    ref: `${mapped.ref.typeName} ${mapped.ref.qualifiedName}`,
    entities: mapped.entities.map((e) => `${e.typeName} ${e.qualifiedName}`),
  };
};

describe('Function: mapDataset (the naming table)', () => {
  it('names a Kafka topic as the Kafka bridge does: lower-cased topic @ namespace, with topic and uri', () => {
    const mapped = mapDataset({ namespace: 'kafka://kafka-1:9092', name: 'Orders' }, naming);
    expect(mapped.ref).toEqual({ typeName: 'kafka_topic', qualifiedName: 'orders@primary' });
    expect(mapped.entities[0]?.attributes).toEqual({ qualifiedName: 'orders@primary', name: 'Orders', topic: 'Orders', uri: 'Orders' });
  });

  it('keeps a topic pattern as one entity for the pattern', () => {
    expect(summary('kafka://kafka-1:9092', 'orders-.*').ref).toBe('kafka_topic orders-.*@primary');
  });

  it('names a Hive table db.table@ns, lower-cased, linked to its hive_db', () => {
    const mapped = mapDataset({ namespace: 'hive://metastore:9083', name: 'Sales.Customers_Dim' }, naming);
    expect(mapped.ref).toEqual({ typeName: 'hive_table', qualifiedName: 'sales.customers_dim@primary' });
    expect(mapped.entities[0]?.references.db).toEqual({ typeName: 'hive_db', qualifiedName: 'sales@primary' });
    expect(mapped.entities[1]?.attributes).toMatchObject({ name: 'sales', clusterName: 'primary' });
  });

  it('puts a Hive table without database in default', () => {
    expect(summary('hive://metastore:9083', 'events').ref).toBe('hive_table default.events@primary');
  });

  it('names an HDFS path hdfs://nn:8020/path@ns and keeps its case', () => {
    const mapped = mapDataset({ namespace: 'hdfs://nn:8020', name: '/data/Raw' }, naming);
    expect(mapped.ref.qualifiedName).toBe('hdfs://nn:8020/data/Raw@primary');
    expect(mapped.entities[0]?.attributes).toMatchObject({ path: 'hdfs://nn:8020/data/Raw', name: '/data/Raw', clusterName: 'primary' });
  });

  it('names an S3 path as aws_s3_v2 directories, one per level, each contained in its parent', () => {
    const mapped = mapDataset({ namespace: 's3://Lake', name: 'enriched/orders' }, naming);
    expect(mapped.ref).toEqual({ typeName: 'aws_s3_v2_directory', qualifiedName: 's3://lake/enriched/orders/@primary' });
    expect(mapped.entities.map((e) => e.qualifiedName)).toEqual([
      's3://lake/enriched/orders/@primary', 's3://lake/enriched/@primary', 's3://lake@primary',
    ]);
    expect(mapped.entities[0]?.attributes).toMatchObject({ objectPrefix: '/enriched/orders/', name: 'orders' });
    expect(mapped.entities[0]?.references.container).toEqual({ typeName: 'aws_s3_v2_directory', qualifiedName: 's3://lake/enriched/@primary' });
    expect(mapped.entities[1]?.references.container).toEqual({ typeName: 'aws_s3_v2_bucket', qualifiedName: 's3://lake@primary' });
  });

  it('keeps the s3a scheme as given, like Atlas', () => {
    expect(summary('s3a://lake', '/x').ref).toBe('aws_s3_v2_directory s3a://lake/x/@primary');
  });

  it('names a bucket-only S3 dataset as the bucket', () => {
    expect(summary('s3://lake', '/').ref).toBe('aws_s3_v2_bucket s3://lake@primary');
  });

  it('names a local file as fs_path file:///path@ns', () => {
    const mapped = mapDataset({ namespace: 'file', name: '/tmp/out' }, naming);
    expect(mapped.ref).toEqual({ typeName: 'fs_path', qualifiedName: 'file:///tmp/out@primary' });
    expect(mapped.entities[0]?.attributes).toMatchObject({ path: 'file:///tmp/out' });
  });

  it('names an HBase table namespace:table@ns with its namespace entity', () => {
    const mapped = mapDataset({ namespace: 'hbase://zk:2181', name: 'crm:users' }, naming);
    expect(mapped.ref.qualifiedName).toBe('crm:users@primary');
    expect(mapped.entities[0]?.attributes).toMatchObject({ name: 'crm:users', uri: 'crm:users' });
    expect(mapped.entities[0]?.references.namespace).toEqual({ typeName: 'hbase_namespace', qualifiedName: 'crm@primary' });
  });

  it('puts an HBase table without namespace in default', () => {
    expect(summary('hbase://zk:2181', 'users').ref).toBe('hbase_table default:users@primary');
  });

  it.each([
    ['postgres://pg:5432', 'shop.public.orders', 'jdbc'],
    ['mysql://db:3306', 'shop.orders', 'jdbc'],
    ['sqlserver://db:1433', 'shop.dbo.orders', 'jdbc'],
    ['cassandra://c1:9042', 'ks.events', 'cassandra'],
    ['elasticsearch://es:9200', 'orders-index', 'elasticsearch'],
    ['iceberg://catalog', 'db.orders', 'iceberg'],
  ])('names %s %s as flink_dataset <namespace>/<name>@ns (%s)', (namespace, name, storageKind) => {
    const mapped = mapDataset({ namespace, name }, naming);
    expect(mapped.ref).toEqual({ typeName: 'flink_dataset', qualifiedName: `${namespace}/${name}@primary` });
    expect(mapped.entities[0]?.attributes).toMatchObject({ namespace, datasetName: name, storageKind, name });
  });

  it('lands an unknown scheme as flink_dataset rather than dropping it', () => {
    const mapped = mapDataset({ namespace: 'pulsar://broker:6650', name: 'persistent://t/ns/orders' }, naming);
    expect(mapped.kind).toBe('other');
    expect(mapped.entities[0]?.attributes).toMatchObject({ storageKind: 'pulsar' });
  });

  it('sends a dataset namespace to another Atlas namespace through the override map', () => {
    const ctx = { atlasNamespace: 'primary', namespaceOverrides: { 'kafka://broker-a:9092': 'kafka-prod' } };
    expect(summary('kafka://broker-a:9092', 'orders', ctx).ref).toBe('kafka_topic orders@kafka-prod');
    expect(summary('kafka://broker-b:9092', 'orders', ctx).ref).toBe('kafka_topic orders@primary');
  });
});
