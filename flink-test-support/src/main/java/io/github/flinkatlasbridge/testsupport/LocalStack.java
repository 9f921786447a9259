package io.github.flinkatlasbridge.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole local bridge ({@code local/testStack.ts}) for one test class: the Atlas emulator with the bridge's types,
 * local SQS with the retry worker, and serverless offline serving the bundled functions with credentials required.
 *
 * <pre>
 * &#64;RegisterExtension static final LocalStack STACK = new LocalStack();
 * </pre>
 *
 * starts it before the class's first test and stops it after its last (stdin closed, then the process tree
 * destroyed); {@link #start()} / {@link #close()} do the same outside JUnit. The repository root is found by walking up
 * from the working directory to the folder holding {@code local/testStack.ts} (system property
 * {@code flinkatlasbridge.repoRoot} overrides it); its {@code node_modules} must be installed ({@code npm ci}).
 */
public final class LocalStack implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  static final String LAUNCHER = "local/testStack.ts";
  /** Bundling the functions and starting serverless offline on a loaded 2-core machine can take minutes. */
  static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
  private static final int STDERR_LINES_KEPT = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Duration startTimeout;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private Process process;
  private Path logFile;
  private JsonNode info;

  public LocalStack() {
    this(DEFAULT_START_TIMEOUT);
  }

  public LocalStack(Duration startTimeout) {
    this.startTimeout = startTimeout;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** Starts the stack and waits for its JSON line; throws with the stack's last stderr lines if it fails. */
  public synchronized LocalStack start() {
    if (process != null) throw new IllegalStateException("the local stack is already running");
    Path root = repoRoot();
    Path tsx = root.resolve("node_modules/tsx/dist/cli.mjs");
    if (!Files.isRegularFile(tsx)) {
      throw new IllegalStateException(tsx + " is missing: run `npm ci` in " + root + " first");
    }
    logFile = logFile();
    ProcessBuilder builder = new ProcessBuilder("node", tsx.toString(), LAUNCHER).directory(root.toFile());
    builder.environment().put("SLS_TELEMETRY_DISABLED", "1");
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start `node tsx " + LAUNCHER + "` in " + root, e);
    }
    pumpStderr(process.getErrorStream());
    CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> readFirstLine(process.getInputStream()));
    String line;
    try {
      line = firstLine.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      String message = "the local stack printed no JSON line within " + startTimeout.toSeconds() + " s";
      close();
      throw new IllegalStateException(message + "; its stderr ended:\n" + stderrTail());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while the local stack started", e);
    } catch (ExecutionException e) {
      close();
      throw new IllegalStateException("reading the local stack's stdout failed: " + e.getCause(), e.getCause());
    }
    if (line == null) {
      String exit = exitDescription();
      close();
      throw new IllegalStateException("the local stack exited (" + exit + ") before it was ready; its stderr ended:\n" + stderrTail());
    }
    try {
      info = JSON.readTree(line);
    } catch (IOException e) {
      close();
      throw new IllegalStateException("the local stack's first stdout line is not JSON: " + line, e);
    }
    // Keep draining stdout so the launcher never blocks on a full pipe.
    CompletableFuture.runAsync(() -> drain(process.getInputStream()));
    return this;
  }

  /** Closes the stack's stdin (it cleans up and exits), then destroys the process tree if it is still there. */
  @Override
  public synchronized void close() {
    if (process == null) return;
    Process stopping = process;
    process = null;
    List<ProcessHandle> tree = new ArrayList<>();
    stopping.toHandle().descendants().forEach(tree::add);
    try {
      stopping.getOutputStream().close();
    } catch (IOException ignored) {
      // already closed: the process is exiting anyway
    }
    try {
      if (!stopping.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) stopping.destroy();
      if (!stopping.waitFor(5, TimeUnit.SECONDS)) stopping.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping.destroyForcibly();
    }
    // serverless offline and its lambda workers are grandchildren: none may outlive the test class.
    for (ProcessHandle child : tree) if (child.isAlive()) child.destroyForcibly();
  }

  public boolean isRunning() {
    Process current = process;
    return current != null && current.isAlive();
  }

  /** The launcher's process, for tests that check how it ends. */
  Optional<ProcessHandle> processHandle() {
    Process current = process;
    return current == null ? Optional.empty() : Optional.of(current.toHandle());
  }

  // ---- what the stack printed ----

  /** The whole JSON line the launcher printed. */
  public JsonNode info() {
    if (info == null) throw new IllegalStateException("the local stack has not started");
    return info;
  }

  /** Signed webhooks (Standard Webhooks): {@code POST /flink/events}. */
  public String eventsUrl() {
    return text("eventsUrl");
  }

  /** OpenLineage RunEvents with {@code Authorization: Bearer <apiKey>}: {@code POST /api/v1/lineage}. */
  public String lineageUrl() {
    return text("lineageUrl");
  }

  /** The base URL openlineage-flink's {@code openlineage.transport.url} takes (its default endpoint is the path). */
  public String lineageBaseUrl() {
    String url = lineageUrl();
    return url.substring(0, url.indexOf("/api/v1/lineage"));
  }

  public String flinkJobsUrl() {
    return text("flinkJobsUrl");
  }

  public String atlasUrl() {
    return text("atlasUrl");
  }

  public String atlasUser() {
    return text("atlasUser");
  }

  public String atlasPassword() {
    return text("atlasPassword");
  }

  /** The secret senders sign with ({@code whsec_…}); {@link #webhookSecrets()} holds it and a second accepted one. */
  public String webhookSecret() {
    return text("webhookSecret");
  }

  public List<String> webhookSecrets() {
    List<String> secrets = new ArrayList<>();
    info().path("webhookSecrets").forEach(node -> secrets.add(node.asText()));
    return Collections.unmodifiableList(secrets);
  }

  public String apiKey() {
    return text("apiKey");
  }

  public String retryQueueUrl() {
    return text("retryQueueUrl");
  }

  public String deadLetterQueueUrl() {
    return text("deadLetterQueueUrl");
  }

  /** The stack's stderr so far, as a file (also where a failure's details are). */
  public Path logFile() {
    if (logFile == null) {
      String base = System.getProperty("basedir", System.getProperty("user.dir"));
      logFile = Paths.get(base, "target", "local-stack-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".log");
    }
    return logFile;
  }

  // ---- helpers ----

  /** Makes Atlas answer 503 to everything (true) or ends the outage (false). */
  public void atlasOutage(boolean on) {
    JsonNode outage = info().path("outage");
    String method = outage.path(on ? "on" : "off").asText();
    HttpRequest request = HttpRequest.newBuilder(URI.create(outage.path("url").asText()))
        .timeout(HTTP_TIMEOUT)
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(method + " " + request.uri() + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  /**
   * The Atlas entity of this type with this qualifiedName ({@code GET /api/atlas/v2/entity/uniqueAttribute/type/…}),
   * the response's {@code entity} object; empty when Atlas answers 404. Any other answer throws.
   */
  public Optional<JsonNode> atlasEntity(String typeName, String qualifiedName) {
    String path = "/api/atlas/v2/entity/uniqueAttribute/type/" + encode(typeName) + "?attr:qualifiedName=" + encode(qualifiedName);
    return atlasGet(path).map(body -> body.path("entity"));
  }

  /** {@code GET <atlasUrl><pathAndQuery>} with the stack's Atlas credentials; empty on 404, throws on any other non-200. */
  public Optional<JsonNode> atlasGet(String pathAndQuery) {
    String credentials = Base64.getEncoder().encodeToString((atlasUser() + ":" + atlasPassword()).getBytes(StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(URI.create(atlasUrl() + pathAndQuery))
        .timeout(HTTP_TIMEOUT)
        .header("Authorization", "Basic " + credentials)
        .header("Accept", "application/json")
        .GET()
        .build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() == 404) return Optional.empty();
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + request.uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    try {
      return Optional.of(JSON.readTree(response.body()));
    } catch (IOException e) {
      throw new IllegalStateException("GET " + request.uri() + " answered 200 with a body that is not JSON: " + response.body(), e);
    }
  }

  /**
   * Every active entity of this type or its subtypes (basic search, then each entity by guid): "Referenceable" gives
   * all of them, e.g. to check that a secret reached no attribute anywhere.
   */
  public List<JsonNode> atlasEntities(String typeName) {
    List<JsonNode> entities = new ArrayList<>();
    for (int offset = 0; ; offset += 100) {
      JsonNode page = atlasGet("/api/atlas/v2/search/basic?limit=100&offset=" + offset + "&typeName=" + encode(typeName))
          .orElseThrow(() -> new IllegalStateException("no basic search for type " + typeName));
      JsonNode headers = page.path("entities");
      for (JsonNode header : headers) {
        atlasGet("/api/atlas/v2/entity/guid/" + encode(header.path("guid").asText())).ifPresent(found -> entities.add(found.path("entity")));
      }
      if (headers.size() < 100) return entities;
    }
  }

  /** Waits until the Atlas entity exists and {@code condition} holds for it; returns it. */
  public JsonNode awaitAtlasEntity(String typeName, String qualifiedName, Duration timeout, java.util.function.Predicate<JsonNode> condition) {
    return waitFor(typeName + " " + qualifiedName + " in Atlas", timeout,
        () -> atlasEntity(typeName, qualifiedName).filter(condition));
  }

  /**
   * Polls {@code probe} every 200 ms until it gives a value, and returns it; after {@code timeout} throws an
   * AssertionError naming {@code what} (and the probe's last exception, if it threw).
   */
  public static <T> T waitFor(String what, Duration timeout, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException lastFailure = null;
    while (true) {
      try {
        Optional<T> value = probe.get();
        if (value.isPresent()) return value.get();
        lastFailure = null;
      } catch (RuntimeException e) {
        lastFailure = e;
      }
      if (System.nanoTime() > deadline) {
        AssertionError timedOut = new AssertionError("waited " + timeout.toMillis() + " ms for " + what
            + (lastFailure == null ? "" : "; the last check threw " + lastFailure));
        if (lastFailure != null) timedOut.initCause(lastFailure);
        throw timedOut;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  /** {@link #waitFor} for a yes/no condition. */
  public static void waitUntil(String what, Duration timeout, Supplier<Boolean> condition) {
    waitFor(what, timeout, () -> Boolean.TRUE.equals(condition.get()) ? Optional.of(Boolean.TRUE) : Optional.empty());
  }

  // ---- internals ----

  private String text(String field) {
    JsonNode node = info().get(field);
    if (node == null || !node.isTextual()) throw new IllegalStateException("the local stack's JSON line has no " + field + ": " + info);
    return node.asText();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static Path repoRoot() {
    String override = System.getProperty("flinkatlasbridge.repoRoot");
    if (override != null && !override.isEmpty()) return Paths.get(override).toAbsolutePath();
    Path start = Paths.get(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(LAUNCHER))) return dir;
    }
    throw new IllegalStateException("no " + LAUNCHER + " in " + start + " or any folder above it (set -Dflinkatlasbridge.repoRoot)");
  }

  private static String readFirstLine(InputStream stdout) {
    try {
      return new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void drain(InputStream stream) {
    byte[] buffer = new byte[8192];
    try {
      while (stream.read(buffer) >= 0) {
        // discard: the launcher prints nothing after its JSON line
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  private void pumpStderr(InputStream stderr) {
    Thread pump = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8));
           OutputStream file = openLog();
           PrintWriter log = new PrintWriter(new java.io.OutputStreamWriter(file, StandardCharsets.UTF_8), true)) {
        for (String line; (line = reader.readLine()) != null; ) {
          log.println(line);
          synchronized (stderrTail) {
            stderrTail.addLast(line);
            if (stderrTail.size() > STDERR_LINES_KEPT) stderrTail.removeFirst();
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "local-stack-stderr");
    pump.setDaemon(true);
    pump.start();
  }

  private OutputStream openLog() throws IOException {
    Files.createDirectories(logFile.getParent());
    return Files.newOutputStream(logFile);
  }

  /** The stack's last stderr lines (what a failure message shows). */
  public String stderrTail() {
    synchronized (stderrTail) {
      return String.join("\n", stderrTail);
    }
  }

  private String exitDescription() {
    Process current = process;
    if (current == null) return "stopped";
    try {
      return current.waitFor(5, TimeUnit.SECONDS) ? "exit code " + current.exitValue() : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
