package io.github.flinkatlasbridge.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.core.execution.JobExecutionStatusEvent;
import org.apache.flink.streaming.api.lineage.LineageDataset;
import org.apache.flink.streaming.api.lineage.LineageEdge;
import org.apache.flink.streaming.api.lineage.LineageGraph;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.SourceLineageVertex;
import org.apache.flink.streaming.runtime.execution.JobCreatedEvent;
import org.junit.jupiter.api.Test;

class LineageMappingFlink2Test {
  private static final String SECRET_URL = "postgres://flink:pg-url-secret@pg:5432";

  private static LineageGraph graph() {
    LineageDataset in = Flink2LineageConnectors.dataset(Flink2LineageConnectors.BROKER, "orders", "id", "BIGINT");
    LineageDataset jdbc = Flink2LineageConnectors.dataset(SECRET_URL, "shop.public.totals");
    LineageDataset nameless = Flink2LineageConnectors.dataset("", "default_catalog.default_database.t");
    SourceLineageVertex source = new SourceLineageVertex() {
      @Override public Boundedness boundedness() { return Boundedness.CONTINUOUS_UNBOUNDED; }
      @Override public List<LineageDataset> datasets() { return Arrays.asList(in, in, nameless); }
    };
    LineageVertex sink = () -> Collections.singletonList(jdbc);
    return new LineageGraph() {
      @Override public List<SourceLineageVertex> sources() { return Collections.singletonList(source); }
      @Override public List<LineageVertex> sinks() { return Collections.singletonList(sink); }
      @Override public List<LineageEdge> relations() { return Collections.emptyList(); }
    };
  }

  @Test
  void mapsDatasetsWithSchemasAndNeverTheirConfig() {
    Map<String, Object> lineage = LineageMapping.lineageOf(graph());
    String json = Json.write(lineage);
    assertEquals("{\"sources\":[{\"namespace\":\"kafka://broker-1:9092\",\"name\":\"orders\",\"schema\":{\"fields\":[{\"name\":\"id\",\"type\":\"BIGINT\"}]}}],"
        + "\"sinks\":[{\"namespace\":\"postgres://flink:******@pg:5432\",\"name\":\"shop.public.totals\"}]}", json);
    assertFalse(json.contains(Flink2LineageConnectors.JAAS_SECRET));
    assertFalse(json.contains("pg-url-secret"));
  }

  private static BridgeConfig config() {
    Map<String, String> values = new HashMap<>();
    values.put(BridgeConfig.URL, "http://127.0.0.1:1/flink/events");
    values.put(BridgeConfig.WEBHOOK_SECRETS, CapturingBridge.SECRET);
    values.put(BridgeConfig.CLUSTER, "c1");
    return BridgeConfig.of(values);
  }

  @Test
  void mapsTheJobCreatedEventAndStatusChanges() {
    AtlasBridgeJobStatusListener listener = new AtlasBridgeJobStatusListener(null, config());
    JobID id = new JobID();
    JobCreatedEvent created = new JobCreatedEvent() {
      @Override public LineageGraph lineageGraph() { return graph(); }
      @Override public RuntimeExecutionMode executionMode() { return RuntimeExecutionMode.AUTOMATIC; }
      @Override public JobID jobId() { return id; }
      @Override public String jobName() { return "orders"; }
    };
    Map<String, Object> first = listener.map(created, System.currentTimeMillis() + 60_000);
    assertEquals("job.status", first.get("type"));
    assertEquals("c1", first.get("cluster"));
    @SuppressWarnings("unchecked") Map<String, Object> job = (Map<String, Object>) first.get("job");
    assertEquals(id.toHexString(), job.get("id"));
    assertEquals("INITIALIZING", job.get("status"));
    assertNull(job.get("executionMode"), "AUTOMATIC is not a contract value");
    assertTrue(first.containsKey("lineage"));
    assertTrue(Instantly.before((String) first.get("eventTime"), System.currentTimeMillis() + 1),
        "stamped no later than the listener's creation, so it never outranks the JobManager's events");

    Map<String, Object> failed = listener.map(status(id, JobStatus.FAILING, JobStatus.FAILED, new RuntimeException("boom", new IllegalStateException("root"))), 5000);
    @SuppressWarnings("unchecked") Map<String, Object> failedJob = (Map<String, Object>) failed.get("job");
    assertEquals("FAILED", failedJob.get("status"));
    assertEquals("FAILING", failedJob.get("previousStatus"));
    assertEquals(5000L, failedJob.get("endTime"));
    @SuppressWarnings("unchecked") Map<String, Object> error = (Map<String, Object>) failed.get("error");
    assertEquals("java.lang.RuntimeException: boom; caused by: java.lang.IllegalStateException: root", error.get("message"));
    assertTrue(((String) error.get("stackTrace")).length() <= 8000);
  }

  private static JobExecutionStatusEvent status(JobID id, JobStatus from, JobStatus to, Throwable error) {
    return new JobExecutionStatusEvent() {
      @Override public JobStatus oldStatus() { return from; }
      @Override public JobStatus newStatus() { return to; }
      @Override public Throwable exception() { return error; }
      @Override public JobID jobId() { return id; }
      @Override public String jobName() { return "orders"; }
    };
  }

  /** ISO-8601 instant comparisons. */
  static final class Instantly {
    static boolean before(String iso, long millis) {
      return java.time.Instant.parse(iso).toEpochMilli() < millis;
    }
  }
}
