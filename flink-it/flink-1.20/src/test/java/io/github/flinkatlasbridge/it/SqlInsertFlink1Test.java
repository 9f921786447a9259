package io.github.flinkatlasbridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkatlasbridge.listener.AtlasBridgeCatalogListenerFactory;
import io.github.flinkatlasbridge.listener.AtlasBridgeJobListener;
import io.github.flinkatlasbridge.listener.BridgeConfig;
import io.github.flinkatlasbridge.testsupport.LocalStack;
import io.github.flinkatlasbridge.testsupport.RecordingProxy;
import io.github.flinkatlasbridge.testsupport.SingleNodeKafka;
import io.openlineage.flink.OpenLineageFlinkJobListener;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Flink SQL on Flink 1.20: CREATE TABLE over two Kafka topics (a SASL secret in the options), then an INSERT INTO
 * job, with the bridge's catalog listener and JobListener and the real openlineage-flink (its Flink 1 JobListener)
 * in one MiniCluster, both through the recording proxy to the real local stack; Atlas's state checked after.
 */
class SqlInsertFlink1Test {
  @RegisterExtension static final LocalStack STACK = new LocalStack();

  private static final String CLUSTER = KafkaLineageTest.CLUSTER;
  private static final Duration ATLAS_WAIT = Duration.ofSeconds(60);
  private static final String INPUT = "sql-orders";
  private static final String OUTPUT = "sql-orders-big";

  private static SingleNodeKafka kafka;
  private static RecordingProxy proxy;

  @BeforeAll
  static void startKafkaAndProxy() throws Exception {
    kafka = SingleNodeKafka.startWith(KafkaBroker::start, INPUT, OUTPUT)
        .produce(INPUT, IntStream.range(0, 10).mapToObj(i -> "{\"id\":" + i + ",\"amount\":" + (i * 2.5) + "}").collect(Collectors.toList()));
    proxy = RecordingProxy.inFrontOf(STACK);
  }

  @AfterAll
  static void stop() throws Exception {
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(BridgeConfig.PREFIX)).forEach(System::clearProperty);
    if (proxy != null) proxy.close();
    if (kafka != null) kafka.close();
  }

  @Test
  void anInsertIntoJobWithItsTablesLineageAndRun() throws Exception {
    String jobName = "sql-big-orders-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> bridge = proxy.bridgeSettings(CLUSTER);
    bridge.forEach(System::setProperty); // Flink 1.20 gives the JobListener no configuration
    Map<String, String> conf = new HashMap<>(KafkaLineageTest.openLineageConfig(proxy.baseUrl(), STACK.apiKey(), jobName, false));
    conf.putAll(bridge);
    conf.put("execution.job-listeners", AtlasBridgeJobListener.class.getName());
    conf.put("table.catalog-modification.listeners", AtlasBridgeCatalogListenerFactory.IDENTIFIER);
    conf.put("pipeline.name", jobName); // the INSERT job's name, as openlineage-flink's job-name
    conf.put("parallelism.default", "1");
    conf.put("rest.bind-port", "0");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(conf));
    env.registerJobListener(OpenLineageFlinkJobListener.builder().executionEnvironment(env).build());
    // Flink 1.20 builds the catalog listeners from the EnvironmentSettings' configuration only, not the
    // StreamExecutionEnvironment's: without it here, CREATE TABLE reaches no listener.
    StreamTableEnvironment sql = StreamTableEnvironment.create(env,
        EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(Configuration.fromMap(conf)).build());

    String kafkaOptions = "'connector' = 'kafka', 'properties.bootstrap.servers' = '" + kafka.bootstrapServers() + "', "
        + "'properties.sasl.jaas.config' = '" + KafkaLineageTest.JAAS.replace("'", "''") + "', 'format' = 'json'";
    sql.executeSql("CREATE TABLE orders (id BIGINT, amount DOUBLE) WITH (" + kafkaOptions + ", 'topic' = '" + INPUT + "', "
        + "'properties.group.id' = 'sql-it', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset')");
    sql.executeSql("CREATE TABLE big_orders (id BIGINT, amount DOUBLE) WITH (" + kafkaOptions + ", 'topic' = '" + OUTPUT + "', "
        + "'sink.delivery-guarantee' = 'at-least-once')");
    TableResult insert = sql.executeSql("INSERT INTO big_orders SELECT id, amount FROM orders WHERE amount > 10");
    String jobId = insert.getJobClient().orElseThrow().getJobID().toHexString();
    insert.await();
    System.out.printf("flink-it: Flink %s SQL job %s (%s) finished%n", EnvironmentInformation.getVersion(), jobName, jobId);

    // The run, from the bridge's JobListener following the JobClient (Flink 1.20 has no JobStatusChangedListener).
    JsonNode run = STACK.awaitAtlasEntity("flink_job_run", CLUSTER + "/" + jobName + "/" + jobId + "@primary", ATLAS_WAIT,
        e -> "FINISHED".equals(e.path("attributes").path("status").asText()));
    assertTrue(run.path("attributes").path("endTime").asLong() >= run.path("attributes").path("startTime").asLong(), run.toString());

    // Both tables, from the catalog listener, their SASL secret masked.
    for (String table : List.of("orders", "big_orders")) {
      JsonNode entity = STACK.awaitAtlasEntity("flink_table", "default_catalog.default_database." + table + "@primary", ATLAS_WAIT, e -> true);
      assertEquals("******", entity.path("attributes").path("options").path("properties.sasl.jaas.config").asText(), entity.toString());
    }

    // The lineage. Flink 1.20 has no JobCreatedEvent, so the bridge's listener reports none; openlineage-flink
    // 1.53's Flink 1 listener reads the environment's transformation list, which the table planner bypasses (it
    // hands its own transformations to the executor): a START with no inputs and no outputs. And no COMPLETE: that
    // listener sends it from onJobExecuted, which Flink calls for env.execute() only, not for executeSql + await.
    // Asserted as seen, so an openlineage-flink (or Flink) release that reports SQL lineage here gets noticed.
    LocalStack.waitUntil("openlineage-flink's START for " + jobName, ATLAS_WAIT,
        () -> eventsOf(jobName).stream().anyMatch(x -> "START".equals(x.body.path("eventType").asText())));
    JsonNode job = STACK.awaitAtlasEntity("flink_job", CLUSTER + "/" + jobName + "@primary", ATLAS_WAIT, e -> true);
    Thread.sleep(5000); // time for a COMPLETE, were one coming
    List<RecordingProxy.Exchange> sent = eventsOf(jobName);
    List<String> types = sent.stream().map(x -> x.body.path("eventType").asText()).collect(Collectors.toList());
    JsonNode start = sent.stream().filter(x -> "START".equals(x.body.path("eventType").asText())).findFirst().orElseThrow().body;
    System.out.printf("flink-it: openlineage-flink sent %s for the SQL job: inputs %s, outputs %s%n", types,
        names(start.path("inputs")), names(start.path("outputs")));
    assertEquals(List.of("START"), types, "openlineage-flink's events for the SQL job");
    assertEquals(Set.of(), names(start.path("inputs")), start.toString());
    assertEquals(Set.of(), names(start.path("outputs")), start.toString());
    job = STACK.atlasEntity("flink_job", CLUSTER + "/" + jobName + "@primary").orElseThrow();
    assertEquals(0, job.path("attributes").path("inputs").size(), job.toString());
    assertEquals(0, job.path("attributes").path("outputs").size(), job.toString());
    // openlineage-flink's START (an earlier event) does not take the run back from FINISHED.
    assertEquals("FINISHED", STACK.atlasEntity("flink_job_run", CLUSTER + "/" + jobName + "/" + jobId + "@primary")
        .orElseThrow().path("attributes").path("status").asText());

    for (RecordingProxy.Exchange exchange : proxy.exchangesTo("/flink/events")) {
      assertTrue(exchange.status == 200 || exchange.status == 202, exchange.status + " " + exchange.answer);
      assertFalse(exchange.body.toString().contains(KafkaLineageTest.SECRET), "the bridge's listener sent the Kafka secret");
    }
    assertFalse(sent.stream().anyMatch(x -> x.body.toString().contains(KafkaLineageTest.SECRET)), "openlineage-flink sent the Kafka secret");
    for (JsonNode entity : STACK.atlasEntities("Referenceable")) {
      assertFalse(entity.toString().contains(KafkaLineageTest.SECRET), "Atlas holds the Kafka secret: " + entity);
    }
  }

  private static List<RecordingProxy.Exchange> eventsOf(String jobName) {
    List<RecordingProxy.Exchange> sent = proxy.exchangesTo("/api/v1/lineage").stream()
        .filter(x -> jobName.equals(x.body.path("job").path("name").asText())).collect(Collectors.toList());
    for (RecordingProxy.Exchange exchange : sent) assertEquals(200, exchange.status, exchange.answer);
    return sent;
  }

  private static Set<String> names(JsonNode datasets) {
    Set<String> names = new TreeSet<>();
    datasets.forEach(d -> names.add(d.path("name").asText()));
    return names;
  }
}
