package io.github.flinkatlasbridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkatlasbridge.testsupport.LocalStack;
import io.github.flinkatlasbridge.testsupport.RecordingProxy;
import io.github.flinkatlasbridge.testsupport.SingleNodeKafka;
import io.github.flinkatlasbridge.listener.AtlasBridgeJobListener;
import io.github.flinkatlasbridge.listener.AtlasBridgeJobStatusListenerFactory;
import io.github.flinkatlasbridge.listener.BridgeConfig;
import io.openlineage.flink.OpenLineageFlinkJobListener;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real Flink job reading one Kafka topic and writing another (an in-JVM KRaft broker), with the real
 * openlineage-flink listener in the same MiniCluster sending to the bridge's {@code POST /api/v1/lineage} through a
 * recording proxy; Atlas's state checked in the emulator afterwards, and the payloads kept as fixtures.
 */
class KafkaLineageTest {
  @RegisterExtension static final LocalStack STACK = new LocalStack();

  static final String CLUSTER = "it-flink";
  static final String INPUT = "orders";
  static final String OUTPUT = "orders-enriched";
  /** A secret in the Kafka client properties, where real jobs keep their SASL credentials. */
  static final String SECRET = "it-secret-" + UUID.randomUUID();
  static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"it\" password=\"" + SECRET + "\";";
  private static final Duration ATLAS_WAIT = Duration.ofSeconds(60);
  private static final int RECORDS = 20;
  static final boolean FLINK_1 = EnvironmentInformation.getVersion().startsWith("1.");
  /** openlineage-flink's transport compression: gzip, as in production, unless -Dflinkit.openlineage.compression=none. */
  static final String COMPRESSION = "none".equals(System.getProperty("flinkit.openlineage.compression", "gzip"))
      ? null : System.getProperty("flinkit.openlineage.compression", "gzip");

  private static SingleNodeKafka kafka;
  private static RecordingProxy proxy;

  @BeforeAll
  static void startKafkaAndProxy() throws Exception {
    kafka = SingleNodeKafka.startWith(KafkaBroker::start, INPUT, OUTPUT)
        .produce(INPUT, IntStream.range(0, RECORDS).mapToObj(i -> "order-" + i).collect(Collectors.toList()));
    proxy = RecordingProxy.inFrontOf(STACK);
  }

  @AfterAll
  static void stopKafkaAndProxy() throws Exception {
    if (proxy != null) proxy.close();
    if (kafka != null) kafka.close();
  }

  /**
   * openlineage-flink as flink-listeners.md configures it: HTTP transport to the bridge, API key, gzip (unless
   * -Dflinkit.openlineage.compression=none), checkpoint tracking every second. Flink 2: its JobStatusChangedListener,
   * with detached job tracking if asked; Flink 1 has no such interface: its JobListener, registered in runJob.
   */
  static Map<String, String> openLineageConfig(String baseUrl, String jobName, boolean detachedTracking) {
    return openLineageConfig(baseUrl, STACK.apiKey(), jobName, detachedTracking);
  }

  static Map<String, String> openLineageConfig(String baseUrl, String apiKey, String jobName, boolean detachedTracking) {
    Map<String, String> conf = new HashMap<>();
    conf.put("openlineage.transport.type", "http");
    conf.put("openlineage.transport.url", baseUrl);
    conf.put("openlineage.transport.endpoint", "/api/v1/lineage");
    conf.put("openlineage.transport.timeoutInMillis", "10000");
    if (COMPRESSION != null) conf.put("openlineage.transport.compression", COMPRESSION);
    conf.put("openlineage.transport.auth.type", "api_key");
    conf.put("openlineage.transport.auth.apiKey", apiKey);
    conf.put("openlineage.job.namespace", CLUSTER);
    conf.put("openlineage.trackingIntervalInSeconds", "1");
    if (FLINK_1) {
      conf.put("execution.job-listener.openlineage.namespace", CLUSTER);
      conf.put("execution.job-listener.openlineage.job-name", jobName);
      conf.put("execution.job-listener.openlineage.tracking-interval", "1s");
      conf.put("execution.attached", "true");
    } else {
      conf.put("execution.job-status-changed-listeners", "io.openlineage.flink.listener.OpenLineageJobStatusChangedListenerFactory");
      conf.put("openlineage.flink.enableDetachedJobTracking", String.valueOf(detachedTracking));
    }
    return conf;
  }

  /**
   * The bridge's own listeners (flink-listener) beside openlineage-flink, sending to /flink/events through the proxy,
   * signed with the stack's secret: the JobListener everywhere, the JobStatusChangedListener on Flink 2 (listed after
   * openlineage-flink's). Flink 1 gives a JobListener no configuration: it reads atlas-bridge.* system properties.
   */
  static Map<String, String> besideBridgeListeners(Map<String, String> openLineage) {
    Map<String, String> bridge = proxy.bridgeSettings(CLUSTER);
    Map<String, String> conf = new HashMap<>(openLineage);
    conf.putAll(bridge);
    conf.put("execution.job-listeners", AtlasBridgeJobListener.class.getName());
    if (FLINK_1) {
      bridge.forEach(System::setProperty);
    } else {
      conf.put("execution.job-status-changed-listeners",
          conf.get("execution.job-status-changed-listeners") + ";" + AtlasBridgeJobStatusListenerFactory.class.getName());
    }
    return conf;
  }

  private static void assertNoAtlasEntityHolds(String secret) {
    List<String> leaking = new ArrayList<>();
    for (JsonNode entity : STACK.atlasEntities("Referenceable")) {
      if (entity.toString().contains(secret)) leaking.add(entity.path("typeName").asText() + " " + entity.path("attributes").path("qualifiedName").asText());
    }
    assertTrue(leaking.isEmpty(), "Atlas holds the Kafka secret in " + leaking);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The job: Kafka topic → map → Kafka topic, both with a SASL secret in their client properties. */
  private static JobExecutionResult runJob(String jobName, Map<String, String> listenerConfig) throws Exception {
    return runJob(jobName, listenerConfig, INPUT, OUTPUT);
  }

  private static JobExecutionResult runJob(String jobName, Map<String, String> listenerConfig, String input, String output) throws Exception {
    Map<String, String> conf = new HashMap<>(listenerConfig);
    // openlineage-flink's detached tracking reads the job's start time from the JobManager's REST API at
    // rest.address:rest.port, so the MiniCluster's REST endpoint gets a known free port.
    conf.put("rest.address", "127.0.0.1");
    conf.put("rest.bind-address", "127.0.0.1");
    conf.put("rest.port", String.valueOf(freePort()));
    conf.put("parallelism.default", "1");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(conf));
    // before the job's transformations: it swaps the environment's transformation list for one it can read later
    if (FLINK_1) env.registerJobListener(OpenLineageFlinkJobListener.builder().executionEnvironment(env).build());

    KafkaSource<String> source = KafkaSource.<String>builder()
        .setBootstrapServers(kafka.bootstrapServers())
        .setTopics(input)
        .setGroupId("flink-it")
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setBounded(OffsetsInitializer.latest())
        .setValueOnlyDeserializer(new SimpleStringSchema())
        .setProperty("sasl.jaas.config", JAAS)
        .build();
    KafkaSink<String> sink = KafkaSink.<String>builder()
        .setBootstrapServers(kafka.bootstrapServers())
        .setRecordSerializer(KafkaRecordSerializationSchema.builder().setTopic(output).setValueSerializationSchema(new SimpleStringSchema()).build())
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .setProperty("sasl.jaas.config", JAAS)
        .build();
    env.fromSource(source, WatermarkStrategy.noWatermarks(), input)
        .map(new EnrichAfterStart(jobName)).returns(Types.STRING).name("enrich")
        .sinkTo(sink).name(output);

    long started = System.nanoTime();
    JobExecutionResult result = env.execute(jobName);
    System.out.printf("flink-it: Flink %s job %s (%s) finished in %d ms%n", EnvironmentInformation.getVersion(), jobName,
        result.getJobID(), Duration.ofNanos(System.nanoTime() - started).toMillis());
    return result;
  }

  /**
   * Holds the job until openlineage-flink's START for it has reached the bridge, as a long-running job would be: its
   * detached tracking fetches the job's start time from the JobManager's REST API before sending START, and a short
   * bounded job on a per-job MiniCluster can finish (and take the REST API down) first on a loaded machine, losing the
   * START ("Skipping START event because runUuid could not be initialized"). Same JVM, so it reads the proxy directly.
   */
  static final class EnrichAfterStart extends RichMapFunction<String, String> {
    private final String jobName;

    EnrichAfterStart(String jobName) {
      this.jobName = jobName;
    }

    @Override
    public void open(OpenContext context) {
      try {
        LocalStack.waitUntil("openlineage-flink's START for " + jobName, ATLAS_WAIT, () -> eventTypes(openLineageEventsOf(jobName)).contains("START"));
      } catch (AssertionError noStart) {
        // the test's own assertions report it; the job goes on
      }
    }

    @Override
    public String map(String value) {
      return value.toUpperCase(Locale.ROOT);
    }
  }

  /** What openlineage-flink sent about one job, in order; every request answered 200 by the bridge. */
  private static List<RecordingProxy.Exchange> openLineageEventsOf(String jobName) {
    List<RecordingProxy.Exchange> sent = proxy.exchangesTo("/api/v1/lineage").stream()
        .filter(x -> jobName.equals(x.body.path("job").path("name").asText()))
        .collect(Collectors.toList());
    for (RecordingProxy.Exchange exchange : sent) assertEquals(200, exchange.status, exchange.answer);
    return sent;
  }

  private static void report(String jobName, List<RecordingProxy.Exchange> sent) {
    System.out.printf("flink-it: openlineage-flink sent %s for %s (Content-Encoding %s), answered %s%n", eventTypes(sent), jobName,
        sent.isEmpty() ? "-" : sent.get(0).contentEncoding, sent.stream().map(x -> x.status).collect(Collectors.toList()));
  }

  private static JsonNode startOf(List<RecordingProxy.Exchange> sent) {
    return sent.stream().filter(x -> "START".equals(x.body.path("eventType").asText())).findFirst().orElseThrow().body;
  }

  private static List<String> eventTypes(List<RecordingProxy.Exchange> sent) {
    return sent.stream().map(x -> x.body.path("eventType").asText()).collect(Collectors.toList());
  }

  private static String newJobName() {
    return "orders-enrichment-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void kafkaLineageAndTerminalStatusFromOpenLineageFlink() throws Exception {
    String jobName = newJobName();
    String jobId = runJob(jobName, openLineageConfig(proxy.baseUrl(), jobName, true)).getJobID().toString();
    LocalStack.waitUntil("a START from openlineage-flink", ATLAS_WAIT, () -> eventTypes(openLineageEventsOf(jobName)).contains("START"));

    // What openlineage-flink saw of the job: on Flink 2 both topics (from the connector's lineage vertices). On Flink 1
    // its KafkaSink visitor reads a `topicSelector` field that connector 3.4.0-1.20's serialization schema does not
    // have ("Can't access the field", NoSuchElementException in KafkaSinkWrapper.getKafkaTopic): no output at all.
    JsonNode start = startOf(openLineageEventsOf(jobName));
    assertEquals(Set.of(INPUT), datasetNames(start.path("inputs")), start.toString());
    assertEquals(FLINK_1 ? Set.of() : Set.of(OUTPUT), datasetNames(start.path("outputs")), start.toString());

    // Atlas: the topics under the bridge's naming (topic@<atlas namespace>), the job's Process linking them.
    JsonNode input = STACK.awaitAtlasEntity("kafka_topic", INPUT + "@primary", ATLAS_WAIT, e -> true);
    assertEquals(INPUT, input.path("attributes").path("topic").asText());
    Set<String> outputGuids = new TreeSet<>();
    if (!FLINK_1) {
      JsonNode output = STACK.awaitAtlasEntity("kafka_topic", OUTPUT + "@primary", ATLAS_WAIT, e -> true);
      assertEquals(OUTPUT, output.path("attributes").path("topic").asText());
      outputGuids.add(output.path("guid").asText());
    }
    JsonNode job = STACK.awaitAtlasEntity("flink_job", CLUSTER + "/" + jobName + "@primary", ATLAS_WAIT,
        e -> e.path("attributes").path("inputs").size() > 0);
    assertEquals(Set.of(input.path("guid").asText()), guids(job.path("attributes").path("inputs")), job.toString());
    assertEquals(outputGuids, guids(job.path("attributes").path("outputs")), job.toString());

    // START from the client side; the COMPLETE on Flink 2 from the JobManager side (detached tracking) under the same
    // run id, on Flink 1 from the client's JobListener when the attached execute() returns.
    LocalStack.waitUntil("a COMPLETE from openlineage-flink", ATLAS_WAIT, () -> eventTypes(openLineageEventsOf(jobName)).contains("COMPLETE"));
    List<RecordingProxy.Exchange> sent = openLineageEventsOf(jobName);
    List<String> types = eventTypes(sent);
    // The client's START and the JobManager's COMPLETE are posted concurrently and may arrive in either order on a
    // short job; the bridge orders them by event time.
    assertEquals(Set.of("START", "COMPLETE"), Set.copyOf(types).stream().filter(t -> !"RUNNING".equals(t)).collect(Collectors.toSet()), types.toString());
    assertEquals(1, sent.stream().map(x -> x.body.path("run").path("runId").asText()).distinct().count(), "one run id");
    for (RecordingProxy.Exchange event : sent) assertEquals(jobId, event.body.path("run").path("facets").path("flink_job").path("jobId").asText());
    if (COMPRESSION != null) assertEquals(COMPRESSION, sent.get(0).contentEncoding);

    JsonNode run = STACK.awaitAtlasEntity("flink_job_run", CLUSTER + "/" + jobName + "/" + jobId + "@primary", ATLAS_WAIT,
        e -> "FINISHED".equals(e.path("attributes").path("status").asText()));
    assertTrue(run.path("attributes").path("endTime").asLong() > 0, run.toString());

    // A secret in the Kafka client properties reaches neither the payloads nor Atlas.
    assertFalse(sent.stream().anyMatch(x -> x.body.toString().contains(SECRET)), "openlineage-flink sent the Kafka secret");
    assertNoAtlasEntityHolds(SECRET);

    report(jobName, sent);
    RecordedFixtures.write("openlineage-flink", sent, SECRET);
  }

  /**
   * Flink 2 without detached tracking: the client-side instance sends START, the JobManager-side one (which never saw
   * the JobCreatedEvent) no terminal event (flink-listeners.md). The bridge's run shows what arrived: FINISHED only if a
   * COMPLETE came, else the run stays non-terminal.
   */
  @Test
  void withoutDetachedTrackingTheRunShowsWhatOpenLineageFlinkSent() throws Exception {
    String jobName = newJobName();
    assumeFalse(FLINK_1, "Flink 1's JobListener runs on the client only: there is no JobManager-side instance");
    String jobId = runJob(jobName, openLineageConfig(proxy.baseUrl(), jobName, false)).getJobID().toString();
    STACK.awaitAtlasEntity("flink_job", CLUSTER + "/" + jobName + "@primary", ATLAS_WAIT, e -> e.path("attributes").path("outputs").size() > 0);
    boolean completed;
    try {
      LocalStack.waitUntil("a COMPLETE from openlineage-flink", Duration.ofSeconds(5), () -> eventTypes(openLineageEventsOf(jobName)).contains("COMPLETE"));
      completed = true;
    } catch (AssertionError none) {
      completed = false;
    }
    List<RecordingProxy.Exchange> sent = openLineageEventsOf(jobName);
    assertTrue(eventTypes(sent).contains("START"), eventTypes(sent).toString());
    // START means INITIALIZING, a checkpoint-tracking RUNNING means RUNNING; only a COMPLETE would finish the run.
    String expected = completed ? "FINISHED" : eventTypes(sent).contains("RUNNING") ? "RUNNING" : "INITIALIZING";
    JsonNode run = STACK.awaitAtlasEntity("flink_job_run", CLUSTER + "/" + jobName + "/" + jobId + "@primary", ATLAS_WAIT,
        e -> expected.equals(e.path("attributes").path("status").asText()));
    System.out.printf("flink-it: without detached tracking openlineage-flink sent %s; the run in Atlas is %s%n",
        eventTypes(sent), run.path("attributes").path("status").asText());
    RecordedFixtures.write("openlineage-flink-not-detached", sent, SECRET);
  }

  /**
   * Both listeners on one job: the bridge's own (signed native events to /flink/events) and openlineage-flink (to
   * /api/v1/lineage). The datasets each reports land on the same kafka_topic entities, one job, one run that ends
   * FINISHED with the JobListener's result, and no secret in any payload or entity.
   */
  @Test
  void besideTheBridgesOwnListenerBothLandOnTheSameEntities() throws Exception {
    String jobName = newJobName();
    String input = "payments";
    String output = "payments-enriched";
    kafka.createTopics(input, output).produce(input, List.of("p-1", "p-2", "p-3"));
    String jobId;
    try {
      jobId = runJob(jobName, besideBridgeListeners(openLineageConfig(proxy.baseUrl(), jobName, true)), input, output).getJobID().toString();
    } finally {
      System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(BridgeConfig.PREFIX)).forEach(System::clearProperty);
    }
    String runName = CLUSTER + "/" + jobName + "/" + jobId + "@primary";
    JsonNode run = STACK.awaitAtlasEntity("flink_job_run", runName, ATLAS_WAIT,
        e -> "FINISHED".equals(e.path("attributes").path("status").asText()) && e.path("attributes").path("netRuntimeMs").asLong() > 0);

    // The proxy records a request once the bridge has answered it, just after Atlas holds what it wrote.
    LocalStack.waitUntil("the bridge listener's job.result recorded", ATLAS_WAIT,
        () -> bridgeEventsOf(jobId).stream().anyMatch(x -> x.body.toString().contains("\"job.result\"")));
    List<RecordingProxy.Exchange> native_ = bridgeEventsOf(jobId);
    List<RecordingProxy.Exchange> openLineage = openLineageEventsOf(jobName);
    for (RecordingProxy.Exchange exchange : native_) assertTrue(exchange.status == 200 || exchange.status == 202, exchange.status + " " + exchange.answer);
    Set<String> nativeKinds = new TreeSet<>();
    native_.forEach(x -> x.body.forEach(event -> nativeKinds.add(EventKinds.kindOf(event))));
    System.out.printf("flink-it: beside openlineage-flink %s the bridge's listener sent %d requests: %s%n", eventTypes(openLineage), native_.size(), nativeKinds);

    // The same datasets, by namespace and name, from both listeners where both report them.
    Set<String> nativeInputs = nativeDatasets(native_, "sources");
    Set<String> nativeOutputs = nativeDatasets(native_, "sinks");
    JsonNode start = startOf(openLineage);
    Set<String> olInputs = datasetKeys(start.path("inputs"));
    Set<String> olOutputs = datasetKeys(start.path("outputs"));
    if (!FLINK_1) {
      assertEquals(olInputs, nativeInputs, "inputs");
      assertEquals(olOutputs, nativeOutputs, "outputs");
    }

    // In Atlas: one kafka_topic per topic, and the job's Process links exactly those.
    JsonNode job = STACK.awaitAtlasEntity("flink_job", CLUSTER + "/" + jobName + "@primary", ATLAS_WAIT, e -> e.path("attributes").path("inputs").size() > 0);
    JsonNode inputTopic = STACK.awaitAtlasEntity("kafka_topic", input + "@primary", ATLAS_WAIT, e -> true);
    assertEquals(Set.of(inputTopic.path("guid").asText()), guids(job.path("attributes").path("inputs")), job.toString());
    if (!FLINK_1) {
      JsonNode outputTopic = STACK.awaitAtlasEntity("kafka_topic", output + "@primary", ATLAS_WAIT, e -> true);
      assertEquals(Set.of(outputTopic.path("guid").asText()), guids(job.path("attributes").path("outputs")), job.toString());
    }
    assertEquals(jobId, run.path("attributes").path("jobId").asText(), run.toString());

    for (RecordingProxy.Exchange exchange : native_) assertFalse(exchange.body.toString().contains(SECRET), "the bridge's listener sent the Kafka secret");
    assertNoAtlasEntityHolds(SECRET);
    RecordedFixtures.write("bridge-listener", native_, SECRET);
    RecordedFixtures.write("openlineage-flink-beside-bridge-listener", openLineage, SECRET);
  }

  /** What the bridge's listener sent about one job (a JSON array of native events per request). */
  private static List<RecordingProxy.Exchange> bridgeEventsOf(String jobId) {
    return proxy.exchangesTo("/flink/events").stream()
        .filter(x -> x.body.isArray() && java.util.stream.StreamSupport.stream(x.body.spliterator(), false)
            .anyMatch(event -> jobId.equals(event.path("job").path("id").asText())))
        .collect(Collectors.toList());
  }

  /** namespace + name of every lineage dataset in the native events' {@code lineage.sources} or {@code .sinks}. */
  private static Set<String> nativeDatasets(List<RecordingProxy.Exchange> sent, String side) {
    Set<String> keys = new TreeSet<>();
    for (RecordingProxy.Exchange exchange : sent) {
      for (JsonNode event : exchange.body) keys.addAll(datasetKeys(event.path("lineage").path(side)));
    }
    return keys;
  }

  private static Set<String> datasetKeys(JsonNode datasets) {
    Set<String> keys = new TreeSet<>();
    datasets.forEach(dataset -> keys.add(dataset.path("namespace").asText() + " " + dataset.path("name").asText()));
    return keys;
  }

  private static Set<String> datasetNames(JsonNode datasets) {
    Set<String> names = new TreeSet<>();
    datasets.forEach(dataset -> names.add(dataset.path("name").asText()));
    return names;
  }

  private static Set<String> guids(JsonNode references) {
    Set<String> guids = new TreeSet<>();
    references.forEach(ref -> guids.add(ref.path("guid").asText()));
    return guids;
  }
}
