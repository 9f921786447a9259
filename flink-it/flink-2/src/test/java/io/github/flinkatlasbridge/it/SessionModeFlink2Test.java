package io.github.flinkatlasbridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkatlasbridge.listener.AtlasBridgeJobListener;
import io.github.flinkatlasbridge.listener.AtlasBridgeJobStatusListenerFactory;
import io.github.flinkatlasbridge.testsupport.LocalStack;
import io.github.flinkatlasbridge.testsupport.RecordingProxy;
import io.github.flinkatlasbridge.testsupport.SingleNodeKafka;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Session mode on Flink 2: a session cluster (a MiniCluster with its REST endpoint, in this JVM, configured from its
 * own config.yaml with the status listener: the JobManager side) and a client in another JVM ({@link SessionModeClient},
 * configured from the client's config.yaml with the JobListener and the status listener: the client side) that
 * submits a Kafka → Kafka job over REST. Each side sends through its own recording proxy, so the test sees which
 * process sent what; the bridge joins both by JobID into one flink_job_run.
 */
class SessionModeFlink2Test {
  @RegisterExtension static final LocalStack STACK = new LocalStack();

  private static final String CLUSTER = "it-session";
  private static final String INPUT = "session-orders";
  private static final String OUTPUT = "session-orders-enriched";
  private static final int RECORDS = 12;
  private static final Duration ATLAS_WAIT = Duration.ofSeconds(90);
  private static final String STATUS_FACTORY = AtlasBridgeJobStatusListenerFactory.class.getName();

  private static SingleNodeKafka kafka;
  private static RecordingProxy jobManagerSide;
  private static RecordingProxy clientSide;
  private static MiniCluster sessionCluster;
  private static URI restAddress;
  private static Path confDirs;

  @BeforeAll
  static void startKafkaAndSessionCluster() throws Exception {
    kafka = SingleNodeKafka.startWith(KafkaBroker::start, INPUT, OUTPUT)
        .produce(INPUT, IntStream.range(0, RECORDS).mapToObj(i -> "order-" + i).collect(Collectors.toList()));
    jobManagerSide = RecordingProxy.inFrontOf(STACK);
    clientSide = RecordingProxy.inFrontOf(STACK);
    confDirs = Files.createDirectories(Paths.get(System.getProperty("basedir", "."), "target", "session-mode-" + UUID.randomUUID()));

    // The cluster's config.yaml: only the status listener, which Flink creates on the JobManager for every job.
    Map<String, String> cluster = new LinkedHashMap<>();
    cluster.put("execution.job-status-changed-listeners", STATUS_FACTORY);
    cluster.putAll(jobManagerSide.bridgeSettings(CLUSTER));
    Path clusterConf = SessionMode.writeConfigYaml(confDirs.resolve("cluster"), cluster);
    sessionCluster = SessionMode.startCluster(GlobalConfiguration.loadConfiguration(clusterConf.toString()));
    restAddress = sessionCluster.getRestAddress().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (sessionCluster != null) sessionCluster.close();
    if (clientSide != null) clientSide.close();
    if (jobManagerSide != null) jobManagerSide.close();
    if (kafka != null) kafka.close();
  }

  @Test
  void theClientAndTheJobManagerListenersJoinIntoOneRun() throws Exception {
    String jobName = "session-enrichment-" + UUID.randomUUID().toString().substring(0, 8);
    // The client's config.yaml: the JobListener (job.result) and the status listener (the JobCreatedEvent with the
    // lineage, fired on the client by the session executor), with the same cluster name as the JobManager's.
    Map<String, String> client = new LinkedHashMap<>();
    client.put("execution.job-listeners", AtlasBridgeJobListener.class.getName());
    client.put("execution.job-status-changed-listeners", STATUS_FACTORY);
    client.putAll(clientSide.bridgeSettings(CLUSTER));
    Path clientConf = SessionMode.writeConfigYaml(confDirs.resolve("client-" + jobName), client);

    SessionMode.ClientRun run = SessionMode.runClient(clientConf, restAddress, jobName, kafka.bootstrapServers(), INPUT, OUTPUT);
    String jobId = run.jobId;
    System.out.printf("flink-it: session-mode client submitted %s (%s): net runtime %d ms, %s=%s%n",
        jobName, jobId, run.netRuntimeMs, SessionModeClient.ACCUMULATOR, run.accumulator);
    assertEquals(String.valueOf(RECORDS), run.accumulator, "the job's accumulator, as the client saw it");

    // One run for the JobID, FINISHED, with the client's result.
    String runName = CLUSTER + "/" + jobName + "/" + jobId + "@primary";
    SessionMode.awaitOneFinishedRun(STACK, runName, run, RECORDS, ATLAS_WAIT);

    // The job's lineage, from the client's JobCreatedEvent: both topics.
    JsonNode inputTopic = STACK.awaitAtlasEntity("kafka_topic", INPUT + "@primary", ATLAS_WAIT, e -> true);
    JsonNode outputTopic = STACK.awaitAtlasEntity("kafka_topic", OUTPUT + "@primary", ATLAS_WAIT, e -> true);
    JsonNode job = STACK.awaitAtlasEntity("flink_job", CLUSTER + "/" + jobName + "@primary", ATLAS_WAIT,
        e -> e.path("attributes").path("inputs").size() > 0 && e.path("attributes").path("outputs").size() > 0);
    assertEquals(Set.of(inputTopic.path("guid").asText()), guids(job.path("attributes").path("inputs")), job.toString());
    assertEquals(Set.of(outputTopic.path("guid").asText()), guids(job.path("attributes").path("outputs")), job.toString());

    // Which side sent what. The JobManager's proxy URL is only in the cluster's configuration, the client's only in the
    // client's (another JVM): the JobManager sent the transitions, the client the JobCreatedEvent and the result.
    List<JsonNode> fromJobManager = SessionMode.eventsOf(jobManagerSide, jobId);
    List<JsonNode> fromClient = SessionMode.eventsOf(clientSide, jobId);
    System.out.printf("flink-it: session mode: the JobManager side sent %s, the client side %s%n", EventKinds.kindsOf(fromJobManager), EventKinds.kindsOf(fromClient));
    assertTrue(EventKinds.kindsOf(fromJobManager).containsAll(List.of("job.status:RUNNING", "job.status:FINISHED")), EventKinds.kindsOf(fromJobManager).toString());
    assertTrue(fromJobManager.stream().noneMatch(e -> e.has("lineage") || "job.result".equals(e.path("type").asText())),
        "the JobManager side sent lineage or a result: " + EventKinds.kindsOf(fromJobManager));
    assertEquals(List.of("job.status:INITIALIZING", "job.result"), EventKinds.kindsOf(fromClient), "what the client side sent");
    JsonNode created = fromClient.get(0);
    assertEquals(Set.of(INPUT), names(created.path("lineage").path("sources")), created.toString());
    assertEquals(Set.of(OUTPUT), names(created.path("lineage").path("sinks")), created.toString());
    JsonNode result = fromClient.get(1).path("result");
    assertEquals(run.netRuntimeMs, result.path("netRuntimeMs").asLong(), result.toString());
    assertEquals(RECORDS, result.path("accumulators").path(SessionModeClient.ACCUMULATOR).asInt(), result.toString());
    for (RecordingProxy.Exchange exchange : concat(jobManagerSide.exchangesTo("/flink/events"), clientSide.exchangesTo("/flink/events"))) {
      assertTrue(exchange.status == 200 || exchange.status == 202, exchange.status + " " + exchange.answer);
    }
  }

  private static Set<String> names(JsonNode datasets) {
    Set<String> names = new TreeSet<>();
    datasets.forEach(d -> names.add(d.path("name").asText()));
    return names;
  }

  private static Set<String> guids(JsonNode references) {
    Set<String> guids = new TreeSet<>();
    references.forEach(ref -> guids.add(ref.path("guid").asText()));
    return guids;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
