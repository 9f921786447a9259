package io.github.flinkatlasbridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkatlasbridge.listener.AtlasBridgeJobListener;
import io.github.flinkatlasbridge.testsupport.LocalStack;
import io.github.flinkatlasbridge.testsupport.RecordingProxy;
import io.github.flinkatlasbridge.testsupport.SingleNodeKafka;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Session mode on Flink 1.20: a session cluster (a MiniCluster with its REST endpoint, in this JVM, without any of
 * the bridge's listeners: 1.20 has no JobStatusChangedListener, so the JobManager side has nothing to load) and a
 * client in another JVM ({@link SessionModeClient}) configured from its config.yaml with the JobListener only, which
 * submits a Kafka → Kafka job over REST. Everything Atlas gets comes from the client: the JobListener follows the job
 * through its JobClient (status polled over REST) and sends the result; there is no lineage on 1.20.
 */
class SessionModeFlink1Test {
  @RegisterExtension static final LocalStack STACK = new LocalStack();

  private static final String CLUSTER = "it-session-1";
  private static final String INPUT = "session1-orders";
  private static final String OUTPUT = "session1-orders-enriched";
  private static final int RECORDS = 9;
  private static final Duration ATLAS_WAIT = Duration.ofSeconds(90);

  private static SingleNodeKafka kafka;
  private static RecordingProxy clientSide;
  private static MiniCluster sessionCluster;
  private static URI restAddress;
  private static Path confDirs;

  @BeforeAll
  static void startKafkaAndSessionCluster() throws Exception {
    kafka = SingleNodeKafka.startWith(KafkaBroker::start, INPUT, OUTPUT)
        .produce(INPUT, IntStream.range(0, RECORDS).mapToObj(i -> "order-" + i).collect(Collectors.toList()));
    clientSide = RecordingProxy.inFrontOf(STACK);
    confDirs = Files.createDirectories(Paths.get(System.getProperty("basedir", "."), "target", "session-mode-" + UUID.randomUUID()));
    sessionCluster = SessionMode.startCluster(new Configuration());
    restAddress = sessionCluster.getRestAddress().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (sessionCluster != null) sessionCluster.close();
    if (clientSide != null) clientSide.close();
    if (kafka != null) kafka.close();
  }

  @Test
  void theClientsJobListenerAloneBringsTheRunAndItsResult() throws Exception {
    String jobName = "session1-enrichment-" + UUID.randomUUID().toString().substring(0, 8);
    // The client's config.yaml: the JobListener, which on 1.20 reads the bridge's keys from this file itself
    // (Flink 1.20 hands a JobListener no configuration).
    Map<String, String> client = new LinkedHashMap<>();
    client.put("execution.job-listeners", AtlasBridgeJobListener.class.getName());
    client.putAll(clientSide.bridgeSettings(CLUSTER));
    Path clientConf = SessionMode.writeConfigYaml(confDirs.resolve("client-" + jobName), client);

    SessionMode.ClientRun run = SessionMode.runClient(clientConf, restAddress, jobName, kafka.bootstrapServers(), INPUT, OUTPUT);
    String jobId = run.jobId;
    System.out.printf("flink-it: Flink %s session-mode client submitted %s (%s): net runtime %d ms, %s=%s%n",
        EnvironmentInformation.getVersion(), jobName, jobId, run.netRuntimeMs, SessionModeClient.ACCUMULATOR, run.accumulator);
    assertEquals(String.valueOf(RECORDS), run.accumulator, "the job's accumulator, as the client saw it");

    // One run for the JobID, FINISHED, with the client's result.
    String runName = CLUSTER + "/" + jobName + "/" + jobId + "@primary";
    JsonNode finished = SessionMode.awaitOneFinishedRun(STACK, runName, run, RECORDS, ATLAS_WAIT);
    assertTrue(finished.path("attributes").path("endTime").asLong() >= finished.path("attributes").path("startTime").asLong(), finished.toString());

    // The job's Process, without lineage: 1.20 has no JobCreatedEvent, and the client sent none (asserted as seen,
    // so a release that reports lineage here gets noticed).
    JsonNode job = STACK.awaitAtlasEntity("flink_job", CLUSTER + "/" + jobName + "@primary", ATLAS_WAIT, e -> true);
    assertEquals(0, job.path("attributes").path("inputs").size(), job.toString());
    assertEquals(0, job.path("attributes").path("outputs").size(), job.toString());
    assertTrue(STACK.atlasEntity("kafka_topic", INPUT + "@primary").isEmpty(), "a topic reached Atlas without lineage");

    // What the client side sent: the statuses it polled, ending FINISHED, then the result; no lineage.
    List<JsonNode> fromClient = SessionMode.eventsOf(clientSide, jobId);
    List<String> kinds = EventKinds.kindsOf(fromClient);
    System.out.printf("flink-it: session mode on Flink 1.20: the client side sent %s%n", kinds);
    assertTrue(kinds.contains("job.status:FINISHED") && kinds.contains("job.result"), kinds.toString());
    assertTrue(fromClient.stream().noneMatch(e -> e.has("lineage")), "lineage sent on 1.20: " + kinds);
    JsonNode result = fromClient.stream().filter(e -> "job.result".equals(e.path("type").asText())).findFirst().orElseThrow().path("result");
    assertEquals(run.netRuntimeMs, result.path("netRuntimeMs").asLong(), result.toString());
    assertEquals(RECORDS, result.path("accumulators").path(SessionModeClient.ACCUMULATOR).asInt(), result.toString());
    for (RecordingProxy.Exchange exchange : clientSide.exchangesTo("/flink/events")) {
      assertTrue(exchange.status == 200 || exchange.status == 202, exchange.status + " " + exchange.answer);
    }
  }
}
