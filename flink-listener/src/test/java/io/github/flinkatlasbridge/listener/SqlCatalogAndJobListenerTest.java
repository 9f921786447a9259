package io.github.flinkatlasbridge.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkatlasbridge.testsupport.LocalStack;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs on Flink 2.x (this module) and on Flink 1.20 (flink-listener-1.20): Flink SQL DDL through the catalog
 * listener, an INSERT job, and a DataStream job's result through the JobListener, in a real MiniCluster against
 * the real bridge. Job status comes from the JobStatusChangedListenerFactory where Flink has one (2.x), else from
 * the JobListener following the JobClient (1.20): the same assertions hold for both.
 */
class SqlCatalogAndJobListenerTest {
  @RegisterExtension static final LocalStack STACK = new LocalStack();
  private static final String CLUSTER = "flink-sql-it";
  private static final String KAFKA_SECRET = "kafka-sasl-secret-value";
  private static final String PG_SECRET = "pg-password-secret-value";
  private static final String DB_SECRET = "db-token-secret-value";
  private static Map<String, String> settings;

  static final boolean FLINK_2 = classExists("org.apache.flink.core.execution.JobStatusChangedListener");

  @BeforeAll
  static void configure() {
    settings = StackChecks.settings(STACK, CLUSTER);
    // Flink gives a JobListener no configuration: here it reads system properties, as it would read
    // $FLINK_CONF_DIR's file in a real cluster (on Flink 1.20 no factory of this jar configures a sender first).
    settings.forEach(System::setProperty);
  }

  @AfterAll
  static void flush() {
    EventSender.closeAllShared();
    settings.keySet().forEach(System::clearProperty);
  }

  private static Configuration conf() {
    Configuration conf = StackChecks.flinkConfiguration(settings);
    // By name: Flink 1.20 has no such option and ignores it.
    conf.setString("execution.job-status-changed-listeners", "io.github.flinkatlasbridge.listener.AtlasBridgeJobStatusListenerFactory");
    return conf;
  }

  private static boolean classExists(String name) {
    try {
      Class.forName(name);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  @Test
  void flinkSqlTablesViewsDatabasesAndAnInsertJob() throws Exception {
    TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(conf()).build());
    sql.executeSql("CREATE DATABASE sales COMMENT 'Sales data mart' WITH ('owner' = 'data-eng', 'api-token' = '" + DB_SECRET + "')");
    sql.executeSql("ALTER DATABASE sales SET ('owner' = 'platform')");
    sql.executeSql("CREATE TABLE sales.orders (order_id BIGINT NOT NULL, customer_id BIGINT, amount DECIMAL(10, 2), "
        + "order_time TIMESTAMP(3), PRIMARY KEY (order_id) NOT ENFORCED, WATERMARK FOR order_time AS order_time - INTERVAL '5' SECOND) "
        + "COMMENT 'Orders as the shop emits them' WITH ('connector' = 'kafka', 'topic' = 'orders', "
        + "'properties.bootstrap.servers' = 'kafka-1:9092', 'properties.security.protocol' = 'SASL_SSL', "
        + "'properties.sasl.mechanism' = 'PLAIN', 'properties.sasl.jaas.config' = "
        + "'org.apache.kafka.common.security.plain.PlainLoginModule required username=\"flink\" password=\"" + KAFKA_SECRET + "\";', "
        + "'key.format' = 'raw', 'key.fields' = 'order_id', 'value.format' = 'json')");
    sql.executeSql("CREATE TABLE sales.order_totals (customer_id BIGINT NOT NULL, total DECIMAL(38, 2), "
        + "PRIMARY KEY (customer_id) NOT ENFORCED) WITH ('connector' = 'jdbc', 'url' = 'jdbc:postgresql://pg:5432/shop', "
        + "'table-name' = 'public.order_totals', 'username' = 'flink', 'password' = '" + PG_SECRET + "')");
    sql.executeSql("CREATE TABLE gen (id BIGINT, amount DOUBLE) WITH ('connector' = 'datagen', 'number-of-rows' = '50')");
    // Flink tells catalog listeners nothing of CREATE VIEW (CatalogEventsTest): run it all the same, it must not
    // disturb what follows. A view is validated against its source's connector: over the datagen table.
    sql.executeSql("CREATE VIEW sales.big_orders AS SELECT id, amount FROM gen WHERE amount > 100");
    sql.executeSql("CREATE TABLE sink_bh (id BIGINT, amount DOUBLE) WITH ('connector' = 'blackhole')");
    TableResult insert = sql.executeSql("INSERT INTO sink_bh SELECT id, amount FROM gen");
    String jobId = insert.getJobClient().orElseThrow().getJobID().toHexString();
    insert.await();
    sql.executeSql("ALTER TABLE sales.order_totals SET ('sink.buffer-flush.max-rows' = '10')");
    sql.executeSql("CREATE DATABASE scratch");

    JsonNode sales = STACK.awaitAtlasEntity("flink_database", "default_catalog.sales@primary", StackChecks.ATLAS_WAIT,
        db -> StackChecks.mentions(db.path("attributes").path("properties"), "platform"));
    assertTrue(StackChecks.mentions(sales, "******"), sales.toString());

    JsonNode orders = StackChecks.awaitEntity(STACK, "flink_table", "default_catalog.sales.orders@primary");
    JsonNode options = orders.path("attributes").path("options");
    assertEquals("******", options.path("properties.sasl.jaas.config").asText(), orders.toString());
    assertEquals("raw", options.path("key.format").asText(), "key.format is not a secret");
    assertEquals("TABLE", orders.path("attributes").path("tableKind").asText());

    JsonNode totals = STACK.awaitAtlasEntity("flink_table", "default_catalog.sales.order_totals@primary", StackChecks.ATLAS_WAIT,
        t -> "10".equals(t.path("attributes").path("options").path("sink.buffer-flush.max-rows").asText()));
    assertEquals("******", totals.path("attributes").path("options").path("password").asText());

    // DROP: what existed in Atlas is deleted there (soft-deleted: no longer found as ACTIVE).
    StackChecks.awaitEntity(STACK, "flink_table", "default_catalog.default_database.sink_bh@primary");
    StackChecks.awaitEntity(STACK, "flink_database", "default_catalog.scratch@primary");
    sql.executeSql("DROP TABLE sink_bh");
    sql.executeSql("DROP DATABASE scratch");
    StackChecks.awaitGone(STACK, "flink_table", "default_catalog.default_database.sink_bh@primary");
    StackChecks.awaitGone(STACK, "flink_database", "default_catalog.scratch@primary");

    String jobName = "insert-into_default_catalog.default_database.sink_bh";
    StackChecks.awaitRun(STACK, CLUSTER, jobName, jobId, "FINISHED");
    if (FLINK_2) {
      // Flink 2's lineage graph names the SQL tables: the job links to them (TABLE symlinks).
      JsonNode gen = StackChecks.awaitEntity(STACK, "flink_table", "default_catalog.default_database.gen@primary");
      STACK.awaitAtlasEntity("flink_job", CLUSTER + "/" + jobName + "@primary", StackChecks.ATLAS_WAIT,
          j -> StackChecks.mentions(j, gen.path("guid").asText()));
    }
    StackChecks.assertNoSecretIn(StackChecks.everythingInAtlas(STACK), KAFKA_SECRET, PG_SECRET, DB_SECRET);
  }

  @Test
  void aDataStreamJobsResultWithItsAccumulators() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf());
    env.setParallelism(2);
    env.fromSequence(1, 500).map(new CountingMap(-1, false)).sinkTo(new DiscardingSink<>());
    JobExecutionResult result = env.execute("counting");
    String jobId = result.getJobID().toHexString();
    StackChecks.awaitRun(STACK, CLUSTER, "counting", jobId, "FINISHED");
    JsonNode run = STACK.awaitAtlasEntity("flink_job_run", CLUSTER + "/counting/" + jobId + "@primary", StackChecks.ATLAS_WAIT,
        r -> r.path("attributes").path("netRuntimeMs").asLong(-1) >= 0 && StackChecks.mentions(r.path("attributes").path("accumulators"), "500"));
    assertEquals(result.getNetRuntime(), run.path("attributes").path("netRuntimeMs").asLong());
  }
}
