package io.github.flinkatlasbridge.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * Sits between a listener and the local stack and records what the listener really sent: each request is forwarded
 * byte for byte (same body, same content and auth headers, so signatures and gzip reach the bridge untouched) and kept
 * with its decoded body and the bridge's answer. One proxy per sender tells which process sent what (session mode:
 * the client's and the JobManager's listeners).
 */
public final class RecordingProxy implements AutoCloseable {
  /** The request headers forwarded; everything else (Host, Content-Length, hop-by-hop) is the client's own. */
  private static final Set<String> FORWARDED = Set.of(
      "content-type", "content-encoding", "authorization", "accept", "user-agent", "webhook-id", "webhook-timestamp", "webhook-signature");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as the listener sent it and as the bridge answered it. */
  public static final class Exchange {
    public final String method;
    public final String path;
    public final String contentEncoding;
    public final String userAgent;
    public final boolean authorized;
    public final byte[] rawBody;
    public final JsonNode body;
    public final int status;
    public final String answer;

    Exchange(String method, String path, String contentEncoding, String userAgent, boolean authorized, byte[] rawBody, JsonNode body, int status, String answer) {
      this.method = method;
      this.path = path;
      this.contentEncoding = contentEncoding;
      this.userAgent = userAgent;
      this.authorized = authorized;
      this.rawBody = rawBody;
      this.body = body;
      this.status = status;
      this.answer = answer;
    }
  }

  private final HttpServer server;
  private final String upstreamBase;
  private final LocalStack stack;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Exchange> exchanges = new ArrayList<>();

  /** A proxy in front of the running stack's HTTP API (both /flink/events and /api/v1/lineage). */
  public static RecordingProxy inFrontOf(LocalStack stack) throws IOException {
    return new RecordingProxy(stack.lineageBaseUrl(), stack);
  }

  /** @param upstreamBase scheme://host:port of the stack's HTTP API; the request's path is kept. */
  private RecordingProxy(String upstreamBase, LocalStack stack) throws IOException {
    this.upstreamBase = upstreamBase;
    this.stack = stack;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::forward);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** http://127.0.0.1:port, the base URL to give a listener in place of the stack's. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * The bridge listener's atlas-bridge.* settings sending through this proxy to the stack's /flink/events, signed with
   * the stack's secret, with short waits (the documented keys, spelled out: this module cannot see the listener's
   * BridgeConfig).
   */
  public Map<String, String> bridgeSettings(String cluster) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("atlas-bridge.url", baseUrl() + "/flink/events");
    settings.put("atlas-bridge.webhook-secrets", stack.webhookSecret());
    settings.put("atlas-bridge.cluster", cluster);
    settings.put("atlas-bridge.linger", "50 ms");
    settings.put("atlas-bridge.status-poll-interval", "100 ms");
    return settings;
  }

  public synchronized List<Exchange> exchanges() {
    return new ArrayList<>(exchanges);
  }

  public synchronized List<Exchange> exchangesTo(String path) {
    List<Exchange> matching = new ArrayList<>();
    for (Exchange exchange : exchanges) if (exchange.path.equals(path)) matching.add(exchange);
    return matching;
  }

  private void forward(HttpExchange exchange) throws IOException {
    try {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstreamBase + path + (query == null ? "" : "?" + query)))
          .timeout(Duration.ofSeconds(60))
          .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(raw));
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (FORWARDED.contains(name.toLowerCase(Locale.ROOT))) values.forEach(value -> request.header(name, value));
      });
      int status;
      byte[] answer;
      try {
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        status = response.statusCode();
        answer = response.body();
        response.headers().firstValue("content-type").ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
        response.headers().firstValue("retry-after").ifPresent(after -> exchange.getResponseHeaders().add("Retry-After", after));
      } catch (IOException | InterruptedException e) {
        if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        status = 502;
        answer = ("recording proxy: the stack did not answer: " + e).getBytes(StandardCharsets.UTF_8);
      }
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      synchronized (this) {
        exchanges.add(new Exchange(exchange.getRequestMethod(), path, encoding, exchange.getRequestHeaders().getFirst("User-Agent"),
            exchange.getRequestHeaders().containsKey("Authorization") || exchange.getRequestHeaders().containsKey("Webhook-Signature"),
            raw, decode(raw, encoding), status, new String(answer, StandardCharsets.UTF_8)));
      }
      exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) exchange.getResponseBody().write(answer);
    } finally {
      exchange.close(); // not try-with-resources: HttpExchange is no AutoCloseable in every JDK this module targets (11+)
    }
  }

  /** The body as JSON, gunzipped first when the listener compressed it; a text node when it is not JSON. */
  private static JsonNode decode(byte[] raw, String encoding) {
    byte[] plain = raw;
    if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        plain = in.readAllBytes();
      } catch (IOException e) {
        return JSON.getNodeFactory().textNode("<not gzip: " + e.getMessage() + ">");
      }
    }
    try {
      return JSON.readTree(plain);
    } catch (IOException e) {
      ObjectNode unparsed = JSON.createObjectNode();
      unparsed.put("unparsed", new String(plain, StandardCharsets.UTF_8));
      return unparsed;
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
