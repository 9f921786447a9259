package io.github.flinkatlasbridge.listener;

import com.sun.net.httpserver.HttpServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The listener's benchmark (not a test): `npm run bench:flink-listener`.
 *
 * <p>1. Job throughput in a MiniCluster without the listeners, with them (bridge answering 202), and with them
 * while the bridge is down (connection refused, so the sender retries all along): records per second of the same
 * job, interleaved rounds, ratios against the run without, measured in the same run.
 *
 * <p>2. The sender's memory bound: heap retained by one sender whose bridge never answers, after 100,000 offers of
 * a typical job.status with lineage (~1 KB) and after 2,000 offers of a 256 KB one, against the heap before.
 */
public final class ListenerBench {
  private static final long RECORDS = Long.getLong("bench.records", 20_000_000L);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

  public static void main(String[] args) throws Exception {
    HttpServer bridge = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    bridge.setExecutor(Executors.newFixedThreadPool(2));
    bridge.createContext("/flink/events", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(202, -1);
      exchange.close();
    });
    bridge.start();
    String upUrl = "http://127.0.0.1:" + bridge.getAddress().getPort() + "/flink/events";
    String downUrl = "http://127.0.0.1:" + freePort() + "/flink/events";

    Map<String, List<Double>> rates = new LinkedHashMap<>();
    for (String mode : new String[] {"without", "with", "with-bridge-down"}) rates.put(mode, new ArrayList<>());
    runJob(null); // warm-up: class loading and JIT
    for (int round = 0; round < ROUNDS; round++) {
      rates.get("without").add(runJob(null));
      rates.get("with").add(runJob(upUrl));
      rates.get("with-bridge-down").add(runJob(downUrl));
    }
    double without = median(rates.get("without"));
    System.out.printf("throughput (%,d records, parallelism 2, median of %d rounds):%n", RECORDS, ROUNDS);
    for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
      double m = median(e.getValue());
      System.out.printf("  %-17s %,12.0f records/s  ratio %.3f  (rounds: %s)%n", e.getKey(), m, m / without, format(e.getValue()));
    }
    EventSender.closeAllShared();
    bridge.stop(0);

    memoryBound();
    System.exit(0);
  }

  private static double runJob(String url) throws Exception {
    Configuration conf = new Configuration();
    if (url != null) {
      conf.setString("execution.job-status-changed-listeners", AtlasBridgeJobStatusListenerFactory.class.getName());
      conf.setString("execution.job-listeners", AtlasBridgeJobListener.class.getName());
      conf.setString(BridgeConfig.URL, url);
      conf.setString(BridgeConfig.WEBHOOK_SECRETS, CapturingBridge.SECRET);
      conf.setString(BridgeConfig.CLOSE_TIMEOUT, "1 s");
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    env.fromSequence(1, RECORDS).map(v -> v * 2).returns(Long.class).sinkTo(new DiscardingSink<>());
    long start = System.nanoTime();
    env.execute(url == null ? "bench-without" : "bench-with");
    double seconds = (System.nanoTime() - start) / 1e9;
    return RECORDS / seconds;
  }

  private static void memoryBound() throws Exception {
    // A bridge that accepts connections and never answers: every batch waits out the timeout, then backs off.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String url = "http://127.0.0.1:" + silent.getLocalPort() + "/flink/events";
      report("typical job.status with lineage", url, typicalEvent(), 100_000);
      report("256 KB job.status (a lineage of 2,000 wide datasets)", url, bigEvent(), 2_000);
    }
  }

  private static void report(String what, String url, Map<String, Object> event, int offers) throws Exception {
    Map<String, String> values = new LinkedHashMap<>();
    values.put(BridgeConfig.URL, url);
    values.put(BridgeConfig.WEBHOOK_SECRETS, CapturingBridge.SECRET);
    values.put(BridgeConfig.TIMEOUT, "60 s");
    values.put(BridgeConfig.CLOSE_TIMEOUT, "100 ms");
    long before = usedHeapAfterGc();
    EventSender sender = new EventSender(BridgeConfig.of(values));
    int eventChars = Json.write(event).length();
    long start = System.nanoTime();
    for (int i = 0; i < offers; i++) sender.offer(event);
    double offerMicros = (System.nanoTime() - start) / 1e3 / offers;
    long after = usedHeapAfterGc();
    System.out.printf("memory bound, %s (%,d chars each): %,d offered, %,d queued, %,d dropped; heap %+,.1f MB "
            + "(%,.0f bytes per queued event); %.1f µs per offer%n",
        what, eventChars, offers, sender.queued(), sender.dropped(), (after - before) / 1e6,
        sender.queued() == 0 ? 0.0 : (after - before) / (double) sender.queued(), offerMicros);
    sender.close();
  }

  private static Map<String, Object> typicalEvent() {
    List<Map<String, Object>> fields = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("name", "column_" + i);
      f.put("type", "DECIMAL(10, 2)");
      fields.add(f);
    }
    Map<String, Object> dataset = new LinkedHashMap<>();
    dataset.put("namespace", "kafka://kafka-1:9092");
    dataset.put("name", "orders");
    dataset.put("schema", Collections.singletonMap("fields", fields));
    return NativeEvents.jobStatus("flink-prod", System.currentTimeMillis(), "3f2a9c1e5b7d4e0f8a6b1c2d3e4f5a6b", "orders-enrichment",
        "RUNNING", "CREATED", "STREAMING", 1L, null, NativeEvents.lineage(Collections.singletonList(dataset), Collections.singletonList(dataset)), null);
  }

  private static Map<String, Object> bigEvent() {
    List<Map<String, Object>> datasets = new ArrayList<>();
    for (int d = 0; d < 2000; d++) {
      Map<String, Object> dataset = new LinkedHashMap<>();
      dataset.put("namespace", "kafka://kafka-1:9092");
      dataset.put("name", "topic-with-a-rather-long-name-" + d + "-" + "x".repeat(60));
      datasets.add(dataset);
    }
    return NativeEvents.jobStatus("flink-prod", System.currentTimeMillis(), "3f2a9c1e5b7d4e0f8a6b1c2d3e4f5a6b", "wide",
        "RUNNING", null, null, null, null, NativeEvents.lineage(datasets, Collections.emptyList()), null);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static String format(List<Double> values) {
    List<String> out = new ArrayList<>();
    for (double v : values) out.add(String.format("%,.0f", v));
    return String.join(", ", out);
  }
}
