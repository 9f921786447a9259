package io.github.flinkatlasbridge.listener;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for POST /flink/events on a free loopback port (JDK HttpServer): records each request, undoes gzip,
 * checks the Standard Webhooks signature over the inflated bytes with {@link #SECRET}, and answers as told.
 */
final class CapturingBridge implements AutoCloseable {
  static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("capturing-bridge-secret-32-bytes".getBytes(StandardCharsets.UTF_8));
  private static final ObjectMapper JSON = new ObjectMapper();

  static final class Answer {
    final int status;
    final String body;
    final String retryAfter;
    final long delayMillis;

    Answer(int status, String body, String retryAfter, long delayMillis) {
      this.status = status;
      this.body = body;
      this.retryAfter = retryAfter;
      this.delayMillis = delayMillis;
    }

    static Answer of(int status) {
      return new Answer(status, "{}", null, 0);
    }
  }

  static final class Request {
    final String contentEncoding;
    final String signature;
    final boolean signatureValid;
    final byte[] rawBody;
    final String body;

    Request(String contentEncoding, String signature, boolean signatureValid, byte[] rawBody, String body) {
      this.contentEncoding = contentEncoding;
      this.signature = signature;
      this.signatureValid = signatureValid;
      this.rawBody = rawBody;
      this.body = body;
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  private final HttpServer server;
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private volatile Function<Integer, Answer> answers = n -> Answer.of(200);

  CapturingBridge() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "capturing-bridge");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/flink/events", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/flink/events";
  }

  /** How to answer the n-th request (1-based). */
  void answer(Function<Integer, Answer> answers) {
    this.answers = answers;
  }

  List<Request> requests() {
    synchronized (requests) {
      return new ArrayList<>(requests);
    }
  }

  /** Every event of every request, in order. */
  List<JsonNode> events() {
    List<JsonNode> out = new ArrayList<>();
    for (Request r : requests()) r.json().forEach(out::add);
    return out;
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] raw = exchange.getRequestBody().readAllBytes();
    String encoding = exchange.getRequestHeaders().getFirst("content-encoding");
    byte[] body = raw;
    if ("gzip".equals(encoding)) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        body = in.readAllBytes();
      }
    }
    String id = exchange.getRequestHeaders().getFirst("webhook-id");
    String ts = exchange.getRequestHeaders().getFirst("webhook-timestamp");
    String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
    boolean valid = id != null && ts != null && signature != null
        && signature.equals(new WebhookSigner(SECRET).sign(id, Long.parseLong(ts), body));
    int n;
    synchronized (requests) {
      requests.add(new Request(encoding, signature, valid, raw, new String(body, StandardCharsets.UTF_8)));
      n = requests.size();
    }
    Answer answer = answers.apply(n);
    if (answer.delayMillis > 0) {
      try {
        Thread.sleep(answer.delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] out = answer.body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("content-type", "application/json");
    if (answer.retryAfter != null) exchange.getResponseHeaders().add("retry-after", answer.retryAfter);
    exchange.sendResponseHeaders(answer.status, out.length);
    exchange.getResponseBody().write(out);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
