package io.github.flinkatlasbridge.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void knowsSecretKeysFromOrdinaryOnes() {
    for (String key : new String[] {"password", "properties.sasl.jaas.config", "properties.ssl.truststore.password",
        "client.secret", "oauth.token", "s3.secret-key", "s3.access-key", "fs.azure.account.key.acc.dfs.core.windows.net",
        "properties.ssl.key.password", "api-key", "PASSWORD"}) {
      assertTrue(Redaction.isSecretKey(key), key);
    }
    // `key` alone names Kafka's message key, not a secret.
    for (String key : new String[] {"key.format", "key.fields", "key.fields-prefix", "sink.partitioner", "connector",
        "properties.bootstrap.servers", "username", "url", "table-name", "value.format", "scan.startup.mode"}) {
      assertFalse(Redaction.isSecretKey(key), key);
    }
  }

  @Test
  void redactsSecretsInsideValues() {
    assertEquals("jdbc:postgresql://pg:5432/shop?user=flink&password=******",
        Redaction.redactValue("jdbc:postgresql://pg:5432/shop?user=flink&password=pg-secret"));
    assertEquals("mongodb://flink:******@mongo:27017/db", Redaction.redactValue("mongodb://flink:s3cr3t@mongo:27017/db"));
    assertEquals("PlainLoginModule required username=\"flink\" password=******;",
        Redaction.redactValue("PlainLoginModule required username=\"flink\" password=\"s3cr3t\";"));
    assertEquals("kafka://broker:9092", Redaction.redactValue("kafka://broker:9092"));
    // Inside an exception message, the URL ends where the text goes on.
    assertEquals("failed (jdbc:postgresql://pg/shop?password=******)\n\tat A.b(A.java:1)",
        Redaction.redactValue("failed (jdbc:postgresql://pg/shop?password=pw)\n\tat A.b(A.java:1)"));
  }

  @Test
  void redactsOptionsKeepingTheirKeys() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("connector", "kafka");
    options.put("properties.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"kafka-secret\";");
    options.put("key.format", "json");
    options.put("url", "jdbc:mysql://db:3306/shop?password=pw1");
    Map<String, String> out = Redaction.redactOptions(options);
    assertEquals("kafka", out.get("connector"));
    assertEquals("******", out.get("properties.sasl.jaas.config"));
    assertEquals("json", out.get("key.format"));
    assertEquals("jdbc:mysql://db:3306/shop?password=******", out.get("url"));
    assertFalse(out.toString().contains("kafka-secret") || out.toString().contains("pw1"));
  }

  @Test
  void redactsSecretOptionsInSql() {
    String sql = "SELECT * FROM `t` /*+ OPTIONS('password'='hunter2', 'scan.startup.mode'='earliest-offset') */";
    assertEquals("SELECT * FROM `t` /*+ OPTIONS('password'='******', 'scan.startup.mode'='earliest-offset') */", Redaction.redactSql(sql));
  }
}
