package io.github.flinkatlasbridge.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that exits right after an attached job ends (`flink run`, a session client) must not lose the job's end:
 * the JobListener's onJobExecuted lets the job's status follower report it first, even while the follower is still
 * looking the job's name up, then sends job.result.
 */
class JobListenerEndTest {
  private static final String JOB_NAME = "slow-named-job";
  private static final long NAME_LOOKUP_MILLIS = 700;
  private CapturingBridge bridge;

  @BeforeEach
  void start() throws Exception {
    bridge = new CapturingBridge();
    JobNames.statusListenerInJvm = false;
  }

  @AfterEach
  void stop() {
    bridge.close();
  }

  @Test
  void anAttachedJobThatEndsBeforeItsNameIsKnownStillReportsItsEndAndResult() throws Exception {
    Map<String, String> conf = new HashMap<>();
    conf.put(BridgeConfig.URL, bridge.url());
    conf.put(BridgeConfig.WEBHOOK_SECRETS, CapturingBridge.SECRET);
    conf.put(BridgeConfig.CLUSTER, "end-test");
    conf.put(BridgeConfig.LINGER, "20 ms");
    AtlasBridgeJobListener listener = new AtlasBridgeJobListener(conf);
    SlowlyNamedJobClient client = new SlowlyNamedJobClient();

    listener.onJobSubmitted(client, null);
    JobExecutionResult result = new JobExecutionResult(client.id, 42, Collections.emptyMap());
    client.result.complete(result);
    listener.onJobExecuted(result, null); // what execute() does as it returns; the client may exit right after

    long deadline = System.currentTimeMillis() + 10_000;
    while (kinds().size() < 2 && System.currentTimeMillis() < deadline) Thread.sleep(20);
    assertEquals(List.of("job.status:FINISHED", "job.result"), kinds(), "what reached the bridge");
    JsonNode jobResult = bridge.events().get(1);
    assertEquals(JOB_NAME, jobResult.path("job").path("name").asText(), jobResult.toString());
    assertEquals(42, jobResult.path("result").path("netRuntimeMs").asLong(), jobResult.toString());
    assertTrue(bridge.requests().stream().allMatch(r -> r.signatureValid));
  }

  private List<String> kinds() {
    return bridge.events().stream()
        .map(e -> e.path("type").asText() + (e.path("job").has("status") ? ":" + e.path("job").path("status").asText() : ""))
        .collect(Collectors.toList());
  }

  /**
   * A JobClient whose cluster names the job only after a delay, as a REST round trip from a fresh client does; found
   * by FlinkJobNameLookup as MiniClusterJobClient's {@code miniCluster} field. Its status is never answered.
   */
  static final class SlowlyNamedJobClient implements JobClient {
    final JobID id = new JobID();
    final CompletableFuture<JobExecutionResult> result = new CompletableFuture<>();
    @SuppressWarnings("unused") // read by reflection
    private final SlowCluster miniCluster = new SlowCluster();

    @Override public JobID getJobID() { return id; }
    @Override public CompletableFuture<JobStatus> getJobStatus() { return new CompletableFuture<>(); }
    @Override public CompletableFuture<Void> cancel() { return new CompletableFuture<>(); }
    @Override public CompletableFuture<String> stopWithSavepoint(boolean drain, String dir, SavepointFormatType format) { return new CompletableFuture<>(); }
    @Override public CompletableFuture<String> triggerSavepoint(String dir, SavepointFormatType format) { return new CompletableFuture<>(); }
    @Override public CompletableFuture<Map<String, Object>> getAccumulators() { return new CompletableFuture<>(); }
    @Override public CompletableFuture<JobExecutionResult> getJobExecutionResult() { return result; }
  }

  public static final class SlowCluster {
    public CompletableFuture<ExecutionGraph> getExecutionGraph(JobID id) throws InterruptedException {
      Thread.sleep(NAME_LOOKUP_MILLIS);
      return CompletableFuture.completedFuture(new ExecutionGraph());
    }
  }

  public static final class ExecutionGraph {
    public String getJobName() {
      return JOB_NAME;
    }
  }
}
