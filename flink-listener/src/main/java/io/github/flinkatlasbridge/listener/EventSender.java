package io.github.flinkatlasbridge.listener;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Delivers native events to {@code POST /flink/events} without ever blocking a Flink thread: {@link #offer} only
 * puts the serialised event in a bounded queue (when full, the newest event is dropped and counted), and one daemon
 * thread sends batches as JSON arrays, signed (Standard Webhooks, every configured secret), gzip-compressed,
 * with timeouts, retried with backoff (honouring Retry-After) on 408, 429, 5xx and network errors. 2xx is delivered
 * (202 means the bridge queued the events durably); other 4xx are dropped with a log line, never retried.
 *
 * <p>One sender per endpoint configuration and JVM ({@link #shared}), so the client-side and JobManager-side
 * listener instances Flink creates in one JVM share a queue and a connection.
 */
public final class EventSender implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EventSender.class.getName());
  private static final Map<String, EventSender> SHARED = new ConcurrentHashMap<>();
  private static final AtomicLong DROPPED_IN_JVM = new AtomicLong();
  private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static volatile EventSender lastShared;

  private final BridgeConfig config;
  private final WebhookSigner signer;
  private final HttpClient http;
  private final BlockingQueue<String> queue;
  private final long maxQueuedChars;
  private final AtomicLong queuedChars = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong lastDropLogMillis = new AtomicLong();
  private final Thread thread;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean closing;
  private volatile long closeDeadlineNanos = Long.MAX_VALUE;

  /** The JVM's sender for this configuration, started on first use. */
  public static EventSender shared(BridgeConfig config) {
    EventSender sender = SHARED.computeIfAbsent(config.senderKey(), k -> new EventSender(config));
    lastShared = sender;
    if (HOOK_INSTALLED.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(EventSender::closeAllShared, "atlas-bridge-flush"));
    }
    return sender;
  }

  /** The sender a factory configured most recently in this JVM, for a JobListener that is given no configuration. */
  static Optional<EventSender> lastShared() {
    EventSender sender = lastShared;
    return sender == null || sender.closing ? Optional.empty() : Optional.of(sender);
  }

  /** Closes every shared sender, each flushing within its close timeout (the JVM's shutdown hook). */
  public static void closeAllShared() {
    for (EventSender sender : SHARED.values()) sender.close();
    SHARED.clear();
    lastShared = null;
  }

  /** Events dropped by every sender of this JVM so far (queue full, refused by the bridge, or unsent at close). */
  public static long droppedInJvm() {
    return DROPPED_IN_JVM.get();
  }

  public EventSender(BridgeConfig config) {
    this.config = config;
    this.signer = new WebhookSigner(config.webhookSecrets);
    this.http = HttpClient.newBuilder().connectTimeout(config.timeout).version(HttpClient.Version.HTTP_1_1).build();
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity);
    // Events are queued as JSON text: bound their characters too, so a few huge lineage graphs cannot exhaust the heap.
    this.maxQueuedChars = Math.min((long) config.queueCapacity * 64 * 1024, 64L * 1024 * 1024);
    this.thread = new Thread(this::run, "atlas-bridge-sender-" + THREADS.incrementAndGet());
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Queues one event (a JSON-ready map); never blocks. False when it was dropped (queue full or closing). */
  public boolean offer(Map<String, Object> event) {
    String json = Json.write(event);
    if (closing) return drop(1, "the sender is closed", describe(event));
    if (queuedChars.addAndGet(json.length()) > maxQueuedChars) {
      queuedChars.addAndGet(-json.length());
      return drop(1, "the queue holds " + maxQueuedChars + " characters already", describe(event));
    }
    pending.incrementAndGet();
    if (!queue.offer(json)) {
      pending.decrementAndGet();
      queuedChars.addAndGet(-json.length());
      return drop(1, "the queue is full (" + config.queueCapacity + " events)", describe(event));
    }
    return true;
  }

  public long delivered() { return delivered.get(); }
  public long dropped() { return dropped.get(); }
  public long requests() { return requests.get(); }
  public long retries() { return retries.get(); }
  public int queued() { return queue.size(); }
  public BridgeConfig config() { return config; }

  /** Waits until everything queued so far is delivered or dropped, at most {@code timeout}. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (pending.get() == 0) return true;
      Thread.sleep(20);
    }
    return false;
  }

  /** Events accepted and not yet delivered or dropped. */
  private final AtomicLong pending = new AtomicLong();

  /** Stops taking events and sends what is queued, waiting at most the close timeout; the rest is dropped and counted. */
  @Override
  public void close() {
    if (!closing) {
      closeDeadlineNanos = System.nanoTime() + config.closeTimeout.toNanos();
      closing = true; // the sender thread sees it within 50 ms; a request in flight is never cut off
    }
    try {
      if (!finished.await(config.closeTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        LOG.warning("atlas-bridge: the sender did not finish within " + config.closeTimeout + "; "
            + queue.size() + " queued events are lost");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    SHARED.remove(config.senderKey(), this);
  }

  private void run() {
    try {
      List<String> batch = new ArrayList<>();
      while (true) {
        batch.clear();
        String first = closing ? queue.poll() : takeQuietly();
        if (first == null) {
          if (closing) break;
          continue;
        }
        batch.add(first);
        long lingerEnd = System.nanoTime() + config.linger.toNanos();
        while (batch.size() < config.batchSize) {
          long wait = closing ? 0 : Math.min(lingerEnd - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50));
          String next = wait <= 0 ? queue.poll() : pollQuietly(wait);
          if (next == null && !closing && System.nanoTime() < lingerEnd) continue;
          if (next == null) break;
          batch.add(next);
        }
        for (String json : batch) queuedChars.addAndGet(-json.length());
        try {
          deliver(new ArrayList<>(batch));
        } finally {
          pending.addAndGet(-batch.size());
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "atlas-bridge: the sender thread failed; queued events are lost", e);
    } finally {
      int left = queue.size();
      queue.clear();
      pending.addAndGet(-left);
      if (left > 0) drop(left, "the sender closed before they were sent", left + " events");
      finished.countDown();
    }
  }

  private String takeQuietly() {
    try {
      return queue.poll(50, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      return null;
    }
  }

  private String pollQuietly(long nanos) {
    try {
      return queue.poll(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      return queue.poll();
    }
  }

  /** Sends one batch until it is delivered, refused, or the close deadline passes. */
  void deliver(List<String> batch) {
    byte[] body = ("[" + String.join(",", batch) + "]").getBytes(StandardCharsets.UTF_8);
    Duration backoff = config.initialBackoff;
    for (int attempt = 1; ; attempt++) {
      Outcome outcome = post(body);
      if (outcome.delivered) {
        delivered.addAndGet(batch.size() - outcome.refusedItems);
        if (outcome.refusedItems > 0) drop(outcome.refusedItems, "the bridge refused them (" + outcome.detail + ")", outcome.refusedItems + " events of a batch");
        return;
      }
      if (outcome.tooLarge && batch.size() > 1) {
        // 413: the batch is over the bridge's body limit; each half may pass.
        deliver(batch.subList(0, batch.size() / 2));
        deliver(batch.subList(batch.size() / 2, batch.size()));
        return;
      }
      if (!outcome.retryable) {
        drop(batch.size(), "the bridge answered " + outcome.detail + "; not retried", batch.size() + " events");
        return;
      }
      // Retry-After is honoured as given (at least 100 ms, so a "0" cannot make a busy loop).
      Duration wait = outcome.retryAfter != null ? max(outcome.retryAfter, Duration.ofMillis(100)) : jittered(backoff);
      long remaining = closeDeadlineNanos - System.nanoTime();
      if (closing && remaining < wait.toNanos()) {
        drop(batch.size(), "the bridge was unavailable (" + outcome.detail + ") until the close timeout", batch.size() + " events");
        return;
      }
      retries.incrementAndGet();
      if (attempt == 1 || attempt % 10 == 0) {
        LOG.warning("atlas-bridge: delivery of " + batch.size() + " events failed (" + outcome.detail + "), attempt "
            + attempt + "; retrying in " + wait.toMillis() + " ms (" + queue.size() + " more queued)");
      }
      if (!sleep(wait)) {
        drop(batch.size(), "the bridge was unavailable (" + outcome.detail + ") until the close timeout", batch.size() + " events");
        return;
      }
      Duration doubled = backoff.multipliedBy(2);
      backoff = doubled.compareTo(config.maxBackoff) > 0 ? config.maxBackoff : doubled;
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration jittered(Duration backoff) {
    // ±20 % so many task managers retrying one outage do not all come back at the same instant.
    double factor = 0.8 + Math.random() * 0.4;
    return Duration.ofMillis(Math.max(1, (long) (backoff.toMillis() * factor)));
  }

  /** Sleeps {@code wait} in short slices; false when the close deadline comes first. */
  private boolean sleep(Duration wait) {
    long until = System.nanoTime() + wait.toNanos();
    while (true) {
      long now = System.nanoTime();
      if (closing && now >= closeDeadlineNanos) return false;
      if (now >= until) return true;
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(until - now, TimeUnit.MILLISECONDS.toNanos(50)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  private static final Pattern OUTCOME_REFUSED = Pattern.compile("\"outcome\"\\s*:\\s*\"(rejected|dead-lettered|failed)\"");

  private Outcome post(byte[] json) {
    requests.incrementAndGet();
    long timestamp = System.currentTimeMillis() / 1000;
    String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(config.url)
          .timeout(config.timeout)
          .header("content-type", "application/json")
          .header("webhook-id", id)
          .header("webhook-timestamp", Long.toString(timestamp))
          // The signature covers the JSON as sent before compression: the bridge verifies the inflated bytes.
          .header("webhook-signature", signer.sign(id, timestamp, json))
          .header("user-agent", "flink-atlas-bridge-listener/0.1.0");
      if (config.gzip) {
        request.header("content-encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gzip(json)));
      } else {
        request.POST(HttpRequest.BodyPublishers.ofByteArray(json));
      }
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return Outcome.of(response.statusCode(), response.body(), response.headers().firstValue("retry-after").orElse(null));
    } catch (IOException e) {
      return Outcome.retry(e.getClass().getSimpleName() + ": " + e.getMessage(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.retry("interrupted", null);
    }
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, bytes.length / 4));
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new IllegalStateException("gzip into memory failed", e);
    }
    return out.toByteArray();
  }

  private boolean drop(long count, String reason, String what) {
    dropped.addAndGet(count);
    long total = DROPPED_IN_JVM.addAndGet(count);
    // One line per second at most: a full queue under a flood must not turn into a flood of log lines.
    long now = System.currentTimeMillis();
    long last = lastDropLogMillis.get();
    if (now - last >= 1000 && lastDropLogMillis.compareAndSet(last, now)) {
      LOG.warning("atlas-bridge: dropped " + what + ": " + reason + "; " + dropped.get() + " dropped by this sender, "
          + total + " in this JVM");
    }
    return false;
  }

  private static String describe(Map<String, Object> event) {
    return "event " + event.get("type") + " " + event.get("eventId");
  }

  /** What one POST came to. */
  static final class Outcome {
    final boolean delivered;
    final boolean retryable;
    final boolean tooLarge;
    final int refusedItems;
    final Duration retryAfter;
    final String detail;

    private Outcome(boolean delivered, boolean retryable, boolean tooLarge, int refusedItems, Duration retryAfter, String detail) {
      this.delivered = delivered;
      this.retryable = retryable;
      this.tooLarge = tooLarge;
      this.refusedItems = refusedItems;
      this.retryAfter = retryAfter;
      this.detail = detail;
    }

    static Outcome retry(String detail, Duration retryAfter) {
      return new Outcome(false, true, false, 0, retryAfter, detail);
    }

    static Outcome of(int status, String body, String retryAfterHeader) {
      String detail = status + " " + abbreviate(body);
      if (status >= 200 && status < 300) {
        int refused = 0;
        if (status == 207) {
          Matcher m = OUTCOME_REFUSED.matcher(body);
          while (m.find()) refused++;
        }
        return new Outcome(true, false, false, refused, null, detail);
      }
      if (status == 408 || status == 429 || status >= 500) return retry(detail, parseRetryAfter(retryAfterHeader, System.currentTimeMillis()));
      return new Outcome(false, false, status == 413, 0, null, detail);
    }

    private static String abbreviate(String body) {
      String oneLine = body == null ? "" : body.replaceAll("\\s+", " ");
      return oneLine.length() <= 500 ? oneLine : oneLine.substring(0, 500) + "…";
    }
  }

  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

  /** Retry-After as delay-seconds or an HTTP-date (RFC 9110); null when absent or unreadable. Capped at 10 minutes. */
  static Duration parseRetryAfter(String value, long nowMillis) {
    if (value == null || value.trim().isEmpty()) return null;
    String v = value.trim();
    Duration wait;
    if (v.matches("\\d{1,10}")) {
      wait = Duration.ofSeconds(Long.parseLong(v));
    } else {
      try {
        long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        wait = Duration.ofMillis(Math.max(0, at - nowMillis));
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
  }
}
