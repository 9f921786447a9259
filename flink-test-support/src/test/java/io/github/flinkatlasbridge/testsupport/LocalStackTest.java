package io.github.flinkatlasbridge.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The helper against the real local stack: one start for the class, the last test stops it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackTest {
  @RegisterExtension static final LocalStack STACK = new LocalStack();

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String JOB_NAMESPACE = "support-it";
  private static final String JOB_NAME = "orders-enrichment-" + UUID.randomUUID().toString().substring(0, 8);

  /** An OpenLineage START as openlineage-flink sends it: one Kafka input, one Kafka output. */
  private static String runEvent() {
    return "{\"eventType\":\"START\",\"eventTime\":\"2026-12-03T12:00:00.000Z\","
        + "\"producer\":\"https://github.com/OpenLineage/OpenLineage/tree/1.52.0/integration/flink\","
        + "\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\","
        + "\"job\":{\"namespace\":\"" + JOB_NAMESPACE + "\",\"name\":\"" + JOB_NAME + "\",\"facets\":{}},"
        + "\"run\":{\"runId\":\"" + UUID.randomUUID() + "\",\"facets\":{\"flink_job\":{\"jobId\":\"" + UUID.randomUUID().toString().replace("-", "") + "\"}}},"
        + "\"inputs\":[{\"namespace\":\"kafka://broker-a:9092\",\"name\":\"orders\"}],"
        + "\"outputs\":[{\"namespace\":\"kafka://broker-a:9092\",\"name\":\"orders-enriched\"}]}";
  }

  @Test
  @Order(1)
  void printsEveryUrlAndCredential() {
    assertTrue(STACK.isRunning());
    for (String url : List.of(STACK.eventsUrl(), STACK.lineageUrl(), STACK.flinkJobsUrl(), STACK.atlasUrl())) {
      assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/.*|http://127\\.0\\.0\\.1:\\d+"), url);
    }
    assertTrue(STACK.eventsUrl().endsWith("/flink/events"));
    assertEquals(STACK.lineageBaseUrl() + "/api/v1/lineage", STACK.lineageUrl());
    assertEquals(2, STACK.webhookSecrets().size());
    assertEquals(STACK.webhookSecret(), STACK.webhookSecrets().get(0));
    assertTrue(STACK.webhookSecret().startsWith("whsec_"));
    assertTrue(STACK.apiKey().length() >= 16);
    assertTrue(STACK.retryQueueUrl().startsWith("http"));
    assertNotEquals(STACK.retryQueueUrl(), STACK.deadLetterQueueUrl());
  }

  @Test
  @Order(2)
  void readsWhatTheBridgeWroteAndWaitsForIt() throws Exception {
    assertEquals(Optional.empty(), STACK.atlasEntity("kafka_topic", "orders@primary"));
    HttpResponse<String> answer = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(STACK.lineageUrl()))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + STACK.apiKey())
            .POST(HttpRequest.BodyPublishers.ofString(runEvent()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());

    JsonNode topic = STACK.awaitAtlasEntity("kafka_topic", "orders@primary", WAIT, entity -> true);
    assertEquals("orders", topic.path("attributes").path("topic").asText());
    JsonNode job = STACK.awaitAtlasEntity("flink_job", JOB_NAMESPACE + "/" + JOB_NAME + "@primary", WAIT,
        entity -> entity.path("attributes").path("outputs").size() == 1);
    assertEquals(1, job.path("attributes").path("inputs").size(), job.toString());
    assertEquals(topic.path("guid").asText(), job.path("attributes").path("inputs").get(0).path("guid").asText());
  }

  @Test
  @Order(3)
  void switchesAtlasOutageOnAndOff() {
    STACK.atlasOutage(true);
    IllegalStateException down = assertThrows(IllegalStateException.class, () -> STACK.atlasEntity("kafka_topic", "orders@primary"));
    assertTrue(down.getMessage().contains("503"), down.getMessage());
    STACK.atlasOutage(false);
    assertTrue(STACK.atlasEntity("kafka_topic", "orders@primary").isPresent());
  }

  @Test
  @Order(4)
  void waitForNamesWhatItWaitedForAndTheLastFailure() {
    long started = System.nanoTime();
    AssertionError none = assertThrows(AssertionError.class,
        () -> LocalStack.waitFor("a topic nobody wrote", Duration.ofMillis(500), () -> STACK.atlasEntity("kafka_topic", "never@primary")));
    assertTrue(none.getMessage().contains("a topic nobody wrote"), none.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 500);

    AssertionError failing = assertThrows(AssertionError.class,
        () -> LocalStack.waitUntil("a failing probe", Duration.ofMillis(300), () -> { throw new IllegalStateException("boom"); }));
    assertTrue(failing.getMessage().contains("boom"), failing.getMessage());

    int[] calls = {0};
    assertEquals(3, LocalStack.waitFor("the third call", WAIT, () -> ++calls[0] == 3 ? Optional.of(calls[0]) : Optional.empty()));
  }

  @Test
  @Order(5)
  void closeStopsTheWholeProcessTree() {
    ProcessHandle launcher = STACK.processHandle().orElseThrow();
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(launcher);
    launcher.descendants().forEach(tree::add);
    assertTrue(tree.size() > 1, "serverless offline runs as a child of the launcher");

    STACK.close();
    assertFalse(STACK.isRunning());
    LocalStack.waitUntil("every process of the stack gone", Duration.ofSeconds(10), () -> tree.stream().noneMatch(ProcessHandle::isAlive));
    STACK.close(); // a second close (the extension's afterAll) is a no-op
  }
}
