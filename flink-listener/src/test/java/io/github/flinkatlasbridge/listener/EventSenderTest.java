package io.github.flinkatlasbridge.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventSenderTest {
  private CapturingBridge bridge;
  private final List<EventSender> senders = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    bridge = new CapturingBridge();
  }

  @AfterEach
  void stop() {
    senders.forEach(EventSender::close);
    bridge.close();
  }

  private EventSender sender(String... settings) {
    Map<String, String> values = new HashMap<>();
    values.put(BridgeConfig.URL, bridge.url());
    values.put(BridgeConfig.WEBHOOK_SECRETS, CapturingBridge.SECRET);
    values.put(BridgeConfig.RETRY_INITIAL_BACKOFF, "50 ms");
    values.put(BridgeConfig.RETRY_MAX_BACKOFF, "200 ms");
    for (int i = 0; i < settings.length; i += 2) values.put(BridgeConfig.PREFIX + settings[i], settings[i + 1]);
    EventSender sender = new EventSender(BridgeConfig.of(values));
    senders.add(sender);
    return sender;
  }

  private static Map<String, Object> event(int n) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", "job.result");
    e.put("eventId", "e-" + n);
    e.put("n", n);
    return e;
  }

  private static void await(EventSender sender) throws InterruptedException {
    assertTrue(sender.awaitIdle(Duration.ofSeconds(20)), "the sender did not become idle");
  }

  @Test
  void sendsBatchesAsSignedGzippedJsonArrays() throws Exception {
    EventSender sender = sender("batch-size", "100", "linger", "1 s");
    for (int i = 0; i < 250; i++) assertTrue(sender.offer(event(i)));
    await(sender);
    List<CapturingBridge.Request> requests = bridge.requests();
    assertEquals(3, requests.size());
    List<Integer> seen = new ArrayList<>();
    for (CapturingBridge.Request r : requests) {
      assertEquals("gzip", r.contentEncoding);
      assertTrue(r.signatureValid, "signature over the inflated body");
      assertTrue(r.rawBody.length < r.body.length(), "the body was compressed");
      assertTrue(r.json().isArray());
      for (JsonNode e : r.json()) seen.add(e.get("n").asInt());
    }
    assertEquals(100, requests.get(0).json().size());
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 250; i++) expected.add(i);
    assertEquals(expected, seen);
    assertEquals(250, sender.delivered());
    assertEquals(0, sender.dropped());
  }

  @Test
  void sendsPlainJsonWhenGzipIsOff() throws Exception {
    EventSender sender = sender("gzip", "false");
    sender.offer(event(1));
    await(sender);
    CapturingBridge.Request r = bridge.requests().get(0);
    assertNull(r.contentEncoding);
    assertTrue(r.signatureValid);
    assertEquals("[{\"type\":\"job.result\",\"eventId\":\"e-1\",\"n\":1}]", r.body);
  }

  @Test
  void treats202AsDelivered() throws Exception {
    bridge.answer(n -> CapturingBridge.Answer.of(202));
    EventSender sender = sender();
    sender.offer(event(1));
    await(sender);
    Thread.sleep(300);
    assertEquals(1, bridge.requests().size());
    assertEquals(1, sender.delivered());
    assertEquals(0, sender.retries());
  }

  @Test
  void dropsWhatTheBridgeRefusesWithoutRetrying() throws Exception {
    bridge.answer(n -> new CapturingBridge.Answer(400, "{\"error\":\"INVALID_EVENT\"}", null, 0));
    EventSender sender = sender();
    long before = EventSender.droppedInJvm();
    sender.offer(event(1));
    sender.offer(event(2));
    await(sender);
    Thread.sleep(300);
    assertEquals(1, bridge.requests().size());
    assertEquals(2, sender.dropped());
    assertEquals(0, sender.delivered());
    assertTrue(EventSender.droppedInJvm() - before >= 2);
  }

  @Test
  void retries503And429And408HonouringRetryAfter() throws Exception {
    // The backoff alone would wait 30 s; Retry-After says 1 s.
    bridge.answer(n -> n == 1 ? new CapturingBridge.Answer(503, "{}", "1", 0)
        : n == 2 ? new CapturingBridge.Answer(429, "{}", "1", 0)
        : n == 3 ? new CapturingBridge.Answer(408, "{}", "1", 0)
        : CapturingBridge.Answer.of(200));
    EventSender sender = sender("retry.initial-backoff", "30 s", "retry.max-backoff", "60 s");
    long start = System.nanoTime();
    sender.offer(event(1));
    await(sender);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(4, bridge.requests().size());
    assertEquals(1, sender.delivered());
    assertEquals(3, sender.retries());
    assertTrue(elapsedMs >= 2900 && elapsedMs < 15_000, "waited " + elapsedMs + " ms");
    // Each attempt is signed anew (a fresh timestamp), and carries the same event.
    for (CapturingBridge.Request r : bridge.requests()) {
      assertTrue(r.signatureValid);
      assertEquals("e-1", r.json().get(0).get("eventId").asText());
    }
  }

  @Test
  void readsRetryAfterAsSecondsOrHttpDate() {
    long now = java.time.ZonedDateTime.parse("2026-12-03T12:00:00Z").toInstant().toEpochMilli();
    assertEquals(Duration.ofSeconds(120), EventSender.parseRetryAfter("120", now));
    assertEquals(Duration.ofSeconds(90), EventSender.parseRetryAfter("Thu, 03 Dec 2026 12:01:30 GMT", now));
    assertEquals(Duration.ZERO, EventSender.parseRetryAfter("Thu, 03 Dec 2026 11:00:00 GMT", now));
    assertEquals(Duration.ofMinutes(10), EventSender.parseRetryAfter("86400", now));
    assertNull(EventSender.parseRetryAfter("soon", now));
    assertNull(EventSender.parseRetryAfter(null, now));
  }

  @Test
  void retriesNetworkErrorsUntilTheBridgeAnswers() throws Exception {
    // A bridge slower than the timeout: the first attempts time out, then it answers in time.
    bridge.answer(n -> n <= 2 ? new CapturingBridge.Answer(200, "{}", null, 1500) : CapturingBridge.Answer.of(200));
    EventSender sender = sender("timeout", "500 ms");
    sender.offer(event(1));
    await(sender);
    assertTrue(bridge.requests().size() >= 3);
    assertEquals(1, sender.delivered());
    assertTrue(sender.retries() >= 2);
  }

  @Test
  void dropsTheNewestWhenTheQueueIsFullAndNeverBlocks() throws Exception {
    bridge.answer(n -> new CapturingBridge.Answer(200, "{}", null, 300));
    EventSender sender = sender("queue-capacity", "10", "batch-size", "1", "linger", "0 ms");
    long start = System.nanoTime();
    List<Integer> accepted = new ArrayList<>();
    for (int i = 0; i < 1000; i++) if (sender.offer(event(i))) accepted.add(i);
    long offerMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(offerMs < 1000, "1,000 offers took " + offerMs + " ms against a bridge that takes 300 ms per request");
    // Full at 10 queued (plus whatever the sender thread took meanwhile): the newest are refused, the oldest kept.
    assertTrue(accepted.size() >= 10 && accepted.size() <= 13, "accepted " + accepted);
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), accepted.subList(0, 10));
    assertEquals(1000 - accepted.size(), sender.dropped());
    sender.close();
    // Exactly what was accepted is delivered, in order (at least once: eventIds make copies harmless).
    java.util.Set<Integer> delivered = new java.util.LinkedHashSet<>();
    for (JsonNode e : bridge.events()) delivered.add(e.get("n").asInt());
    assertEquals(accepted, new ArrayList<>(delivered));
  }

  @Test
  void flushesOnCloseWithABoundedWait() throws Exception {
    EventSender sender = sender("linger", "5 s", "batch-size", "500");
    for (int i = 0; i < 20; i++) sender.offer(event(i));
    sender.close();
    assertEquals(20, bridge.events().size());
    assertEquals(20, sender.delivered());
    assertFalse(sender.offer(event(99)), "a closed sender takes nothing");

    bridge.answer(n -> new CapturingBridge.Answer(503, "{}", "1", 0));
    EventSender stuck = sender("close-timeout", "1 s");
    stuck.offer(event(1));
    Thread.sleep(200);
    long start = System.nanoTime();
    stuck.close();
    long closeMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(closeMs < 3000, "close took " + closeMs + " ms");
    assertEquals(1, stuck.dropped());
  }

  @Test
  void countsItemsABatchAnswerRefused() throws Exception {
    bridge.answer(n -> new CapturingBridge.Answer(207,
        "{\"results\":[{\"outcome\":\"written\"},{\"outcome\":\"rejected\",\"problems\":[]},{\"outcome\":\"queued\"}]}", null, 0));
    EventSender sender = sender();
    for (int i = 0; i < 3; i++) sender.offer(event(i));
    await(sender);
    assertEquals(1, bridge.requests().size());
    assertEquals(2, sender.delivered());
    assertEquals(1, sender.dropped());
  }

  @Test
  void splitsABatchTheBridgeFindsTooLarge() throws Exception {
    bridge.answer(n -> n == 1 ? CapturingBridge.Answer.of(413) : CapturingBridge.Answer.of(200));
    EventSender sender = sender("linger", "500 ms");
    for (int i = 0; i < 4; i++) sender.offer(event(i));
    await(sender);
    assertEquals(3, bridge.requests().size());
    assertEquals(2, bridge.requests().get(1).json().size());
    assertEquals(4, sender.delivered());
  }

  @Test
  void sharesOneSenderPerConfigurationInAJvm() {
    Map<String, String> values = new HashMap<>();
    values.put(BridgeConfig.URL, bridge.url());
    values.put(BridgeConfig.WEBHOOK_SECRETS, CapturingBridge.SECRET);
    EventSender a = EventSender.shared(BridgeConfig.of(values));
    EventSender b = EventSender.shared(BridgeConfig.of(new HashMap<>(values)));
    values.put(BridgeConfig.GZIP, "false");
    EventSender c = EventSender.shared(BridgeConfig.of(values));
    senders.add(a);
    senders.add(c);
    assertTrue(a == b);
    assertFalse(a == c);
    assertNotNull(EventSender.lastShared().orElse(null));
  }
}
