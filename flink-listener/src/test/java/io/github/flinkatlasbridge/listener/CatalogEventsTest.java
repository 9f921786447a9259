package io.github.flinkatlasbridge.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The catalog listener in a real TableEnvironment (Flink 1.20 and 2.x), against a capturing stand-in: the exact events. */
class CatalogEventsTest {
  private static CapturingBridge bridge;
  private static TableEnvironment sql;

  @BeforeAll
  static void start() throws Exception {
    bridge = new CapturingBridge();
    Configuration conf = new Configuration();
    conf.setString("table.catalog-modification.listeners", AtlasBridgeCatalogListenerFactory.IDENTIFIER);
    conf.setString(BridgeConfig.URL, bridge.url());
    conf.setString(BridgeConfig.WEBHOOK_SECRETS, CapturingBridge.SECRET);
    conf.setString(BridgeConfig.CLUSTER, "catalog-test");
    conf.setString(BridgeConfig.LINGER, "10 ms");
    sql = TableEnvironment.create(EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(conf).build());
  }

  @AfterAll
  static void stop() {
    EventSender.closeAllShared();
    bridge.close();
  }

  private static List<JsonNode> eventsAfter(int before, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (bridge.events().size() < before + expected && System.nanoTime() < deadline) Thread.sleep(20);
    List<JsonNode> all = bridge.events();
    return new ArrayList<>(all.subList(before, all.size()));
  }

  @Test
  void tablesViewsAndDatabasesAsTheContractNamesThem() throws Exception {
    int before = bridge.events().size();
    sql.executeSql("CREATE DATABASE shop COMMENT 'the shop' WITH ('owner' = 'team-a', 'secret.token' = 'db-secret-1')");
    sql.executeSql("CREATE TABLE shop.orders (id BIGINT NOT NULL, amount DECIMAL(10, 2) COMMENT 'EUR', ts TIMESTAMP(3), "
        + "cost AS amount * 2, PRIMARY KEY (id) NOT ENFORCED, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) "
        + "COMMENT 'orders' WITH ('connector' = 'jdbc', 'password' = 'opt-secret-2', 'key.format' = 'raw')");
    sql.executeSql("CREATE TABLE shop.src (id BIGINT, amount DECIMAL(10, 2)) WITH ('connector' = 'datagen')");
    sql.executeSql("CREATE VIEW shop.big AS SELECT id, amount FROM shop.src WHERE amount > 100");
    sql.executeSql("ALTER TABLE shop.orders SET ('table-name' = 'orders_v2')");
    sql.executeSql("DROP VIEW shop.big");
    sql.executeSql("DROP TABLE shop.orders");
    sql.executeSql("DROP TABLE shop.src");
    sql.executeSql("DROP DATABASE shop");
    // Flink notifies catalog listeners only of tables (CatalogManager.createTable checks for a CatalogTable or
    // CatalogMaterializedTable, in 1.20 and 2.3 alike): neither CREATE VIEW nor DROP VIEW sends anything.
    List<JsonNode> events = eventsAfter(before, 7);
    Thread.sleep(300);
    events = eventsAfter(before, 7);
    assertEquals(7, events.size(), events.toString());
    for (CapturingBridge.Request r : bridge.requests()) assertTrue(r.signatureValid);
    String all = events.toString();
    assertFalse(all.contains("db-secret-1") || all.contains("opt-secret-2"), all);

    JsonNode db = events.get(0);
    assertEquals("catalog.database", db.path("type").asText());
    assertEquals("CREATE", db.path("action").asText());
    assertEquals("catalog-test", db.path("cluster").asText());
    assertEquals("default_catalog", db.path("catalogName").asText());
    assertEquals("shop", db.path("databaseName").asText());
    assertEquals("the shop", db.path("database").path("comment").asText());
    assertEquals("team-a", db.path("database").path("properties").path("owner").asText());
    assertEquals("******", db.path("database").path("properties").path("secret.token").asText());

    JsonNode table = events.get(1);
    assertEquals("catalog.table", table.path("type").asText());
    assertEquals("CREATE", table.path("action").asText());
    assertEquals("orders", table.path("identifier").path("objectName").asText());
    assertEquals("shop", table.path("identifier").path("databaseName").asText());
    assertFalse(table.path("temporary").asBoolean());
    JsonNode def = table.path("table");
    assertEquals("TABLE", def.path("tableKind").asText());
    assertEquals("orders", def.path("comment").asText());
    JsonNode columns = def.path("schema").path("columns");
    assertEquals("id", columns.get(0).path("name").asText());
    assertEquals("BIGINT NOT NULL", columns.get(0).path("dataType").asText());
    assertEquals("PHYSICAL", columns.get(0).path("kind").asText());
    assertEquals("EUR", columns.get(1).path("comment").asText());
    assertEquals("COMPUTED", columns.get(3).path("kind").asText());
    assertTrue(columns.get(3).path("expression").asText().contains("amount"), columns.toString());
    assertEquals("id", def.path("schema").path("primaryKey").path("columns").get(0).asText());
    assertEquals("ts", def.path("schema").path("watermarkSpecs").get(0).path("rowtimeAttribute").asText());
    assertEquals("******", def.path("options").path("password").asText());
    assertEquals("raw", def.path("options").path("key.format").asText());

    for (JsonNode e : events) assertFalse("big".equals(e.path("identifier").path("objectName").asText()), e.toString());

    JsonNode alter = events.get(3);
    assertEquals("ALTER", alter.path("action").asText());
    assertEquals("orders_v2", alter.path("table").path("options").path("table-name").asText());

    assertEquals("DROP", events.get(4).path("action").asText());
    assertEquals("orders", events.get(4).path("identifier").path("objectName").asText());
    assertEquals("src", events.get(5).path("identifier").path("objectName").asText());
    JsonNode dropDb = events.get(6);
    assertEquals("catalog.database", dropDb.path("type").asText());
    assertEquals("DROP", dropDb.path("action").asText());
    assertFalse(dropDb.path("cascade").asBoolean());
  }
}
