import { describe, expect, it } from 'vitest';
import { isSecretKey, REDACTED, redactOptions, redactValue } from '../../../lib/contract/index.js';
import { writeEvents } from '../../../lib/ingest/index.js';
import { id, tableEvent } from '../../helpers/catalogEvents.js';
import { naming } from '../../helpers/events.js';
import { MemoryAtlas } from '../../helpers/memoryAtlas.js';

// Real option names of Flink's connectors and formats whose values are secrets.
const SECRET_OPTIONS = [
  // Kafka / upsert-kafka (Kafka client properties) and the Confluent schema registry formats
  'properties.sasl.jaas.config', 'properties.ssl.keystore.password', 'properties.ssl.truststore.password', 'properties.ssl.key.password',
  'properties.ssl.keystore.key', 'properties.ssl.keystore.certificate.chain', 'properties.sasl.oauthbearer.client.secret',
  'avro-confluent.basic-auth.user-info', 'avro-confluent.bearer-auth.token', 'avro-confluent.ssl.keystore.password',
  'avro-confluent.ssl.truststore.password', 'debezium-avro-confluent.basic-auth.user-info',
  // JDBC
  'password',
  // Elasticsearch / OpenSearch
  'elasticsearch.password',
  // filesystem on S3 / Azure / GCS (Flink's file system plugins)
  's3.access-key', 's3.secret-key', 'fs.s3a.access.key', 'fs.s3a.secret.key', 'fs.s3a.session.token',
  'fs.azure.account.key.lake.dfs.core.windows.net', 'fs.azure.sas.raw.lake.blob.core.windows.net',
  'fs.gs.auth.service.account.private.key', 'google.cloud.auth.service.account.json.keyfile',
  // Hive (metastore client properties passed as table or database properties)
  'javax.jdo.option.ConnectionPassword', 'hive.metastore.client.keytab.password', 'hive.server2.keystore.password',
  // Kinesis, Pulsar, others
  'aws.credentials.basic.secretkey', 'aws.credentials.basic.accesskeyid', 'aws.credentials.role.session-token',
  'pulsar.client.authParams', 'pulsar.client.tlsTrustStorePassword', 'api-key', 'http-headers',
] as const;

// Real option names that are not secrets: they must reach Atlas as they are.
const PLAIN_OPTIONS = [
  'connector', 'topic', 'topic-pattern', 'properties.bootstrap.servers', 'properties.group.id', 'scan.startup.mode',
  'properties.security.protocol', 'properties.sasl.mechanism', 'properties.ssl.keystore.location', 'properties.ssl.keystore.type',
  'key.format', 'key.fields', 'value.format', 'value.fields-include', 'sink.partitioner',
  'url', 'table-name', 'username', 'driver', 'sink.buffer-flush.max-rows', 'lookup.cache',
  'hosts', 'index', 'document-id.key-delimiter', 'path', 'format', 'sink.rolling-policy.file-size',
  'hive.metastore.uris', 'streaming-source.enable', 'aws.region', 'stream', 'aws.credentials.provider',
] as const;

describe('Function: redactOptions (secrets never leave the contract)', () => {
  it.each(SECRET_OPTIONS)('redacts %s', (key) => {
    expect(isSecretKey(key)).toBe(true);
    expect(redactOptions({ [key]: 'hunter2' })).toEqual({ [key]: REDACTED });
  });

  it.each(PLAIN_OPTIONS)('keeps %s', (key) => {
    expect(isSecretKey(key)).toBe(false);
    expect(redactOptions({ [key]: 'value' })).toEqual({ [key]: 'value' });
  });

  it.each([
    ['a password in a JDBC URL query', 'jdbc:postgresql://pg:5432/shop?user=flink&password=hunter2&ssl=true', 'jdbc:postgresql://pg:5432/shop?user=flink&password=******&ssl=true'],
    ['a password in a SQL Server property list', 'jdbc:sqlserver://db;databaseName=shop;password=hunter2;encrypt=true', 'jdbc:sqlserver://db;databaseName=shop;password=******;encrypt=true'],
    ['user info in a MongoDB URI', 'mongodb://flink:hunter2@mongo:27017/shop', 'mongodb://flink:******@mongo:27017/shop'],
    ['user info in Elasticsearch hosts', 'https://elastic:hunter2@es-1:9200;https://es-2:9200', 'https://elastic:******@es-1:9200;https://es-2:9200'],
  ])('redacts %s but keeps the rest of the value', (_label, value, expected) => {
    expect(redactValue(value)).toBe(expected);
  });

  it('lets no secret reach Atlas from a CREATE TABLE, its columns or its options', async () => {
    // Prepare
    const options: Record<string, string> = {
      ...Object.fromEntries(PLAIN_OPTIONS.map((key) => [key, `plain-${key}`])),
      ...Object.fromEntries(SECRET_OPTIONS.map((key) => [key, 'hunter2'])),
      connector: 'kafka',
      url: 'jdbc:mysql://db:3306/shop?password=hunter2',
    };
    const event = tableEvent('CREATE', id('orders'), Date.parse('2026-11-25T09:00:00Z'), {
      tableKind: 'TABLE',
      schema: { columns: [{ name: 'id', dataType: 'BIGINT', kind: 'PHYSICAL' }] },
      options,
    });
    const atlas = new MemoryAtlas();

    // Act
    await writeEvents([{ index: 0, event }], atlas, naming);

    // Assess
    const written = JSON.stringify([...atlas.entities.values()]);
    expect(written).not.toContain('hunter2');
    expect(written).toContain('plain-properties.group.id');
    expect(event.table?.options?.['properties.sasl.jaas.config']).toBe(REDACTED);
  });
});
