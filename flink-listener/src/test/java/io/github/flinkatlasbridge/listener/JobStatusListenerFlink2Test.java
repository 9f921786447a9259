package io.github.flinkatlasbridge.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkatlasbridge.testsupport.BridgeOutage;
import io.github.flinkatlasbridge.testsupport.LocalStack;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Flink 2.x jobs in a real MiniCluster with the JobStatusChangedListenerFactory and the JobListener, against the
 * real bridge (the functions with signatures required, the Atlas emulator): what each run leaves in Atlas.
 */
class JobStatusListenerFlink2Test {
  @RegisterExtension static final LocalStack STACK = new LocalStack();
  private static final String CLUSTER = "flink-it";
  private static Map<String, String> settings;

  @BeforeAll
  static void configure() {
    settings = StackChecks.settings(STACK, CLUSTER);
  }

  @AfterAll
  static void flush() {
    EventSender.closeAllShared();
  }

  private static StreamExecutionEnvironment env(String... extra) {
    return env(settings, extra);
  }

  private static StreamExecutionEnvironment env(Map<String, String> bridgeSettings, String... extra) {
    Configuration conf = StackChecks.flinkConfiguration(bridgeSettings);
    conf.setString("execution.job-status-changed-listeners", AtlasBridgeJobStatusListenerFactory.class.getName());
    for (int i = 0; i < extra.length; i += 2) conf.setString(extra[i], extra[i + 1]);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    return env;
  }

  private static void pipeline(StreamExecutionEnvironment env, long to, CountingMap map, String in, String out) {
    env.fromSource(new Flink2LineageConnectors.Source(to, in), WatermarkStrategy.noWatermarks(), "orders")
        .map(map)
        .sinkTo(new Flink2LineageConnectors.Sink<>(out));
  }

  @Test
  void aFinishedJobWithItsLineageResultAndNoSecret() throws Exception {
    StreamExecutionEnvironment env = env();
    pipeline(env, 1000, new CountingMap(-1, false), "orders-in", "orders-out");
    JobExecutionResult result = env.execute("orders-doubling");
    String jobId = result.getJobID().toHexString();

    JsonNode run = StackChecks.awaitRun(STACK, CLUSTER, "orders-doubling", jobId, "FINISHED");
    JsonNode withResult = STACK.awaitAtlasEntity("flink_job_run", CLUSTER + "/orders-doubling/" + jobId + "@primary",
        // Atlas stores an unset long as 0, so netRuntimeMs is there (0) before the result: wait for the result's time.
        StackChecks.ATLAS_WAIT, r -> r.path("attributes").path("resultTime").asLong(0) > 0);
    assertEquals(result.getNetRuntime(), withResult.path("attributes").path("netRuntimeMs").asLong());
    assertTrue(StackChecks.mentions(withResult.path("attributes").path("accumulators"), "1000"), withResult.toString());
    assertEquals("RUNNING", run.path("attributes").path("previousStatus").asText());
    assertTrue(run.path("attributes").path("endTime").asLong() >= run.path("attributes").path("startTime").asLong());
    assertEquals("STREAMING", run.path("attributes").path("executionMode").asText(""), run.toString());

    JsonNode job = StackChecks.awaitEntity(STACK, "flink_job", CLUSTER + "/orders-doubling@primary");
    JsonNode in = StackChecks.awaitEntity(STACK, "kafka_topic", "orders-in@primary");
    JsonNode out = StackChecks.awaitEntity(STACK, "kafka_topic", "orders-out@primary");
    JsonNode lineaged = STACK.awaitAtlasEntity("flink_job", CLUSTER + "/orders-doubling@primary", StackChecks.ATLAS_WAIT,
        j -> StackChecks.mentions(j, in.path("guid").asText()) && StackChecks.mentions(j, out.path("guid").asText()));
    assertTrue(StackChecks.mentions(lineaged, "doubled"), "the sink's schema facet: " + lineaged);
    assertFalse(job.isMissingNode());
    StackChecks.assertNoSecretIn(StackChecks.everythingInAtlas(STACK), Flink2LineageConnectors.JAAS_SECRET, "pg-secret");
  }

  @Test
  void aFailedJobWithItsError() throws Exception {
    StreamExecutionEnvironment env = env("restart-strategy.type", "none");
    pipeline(env, 100, new CountingMap(50, false), "poison-in", "poison-out");
    JobClient client = env.executeAsync("poisoned");
    String jobId = client.getJobID().toHexString();
    assertThrows(Exception.class, () -> client.getJobExecutionResult().get());

    JsonNode run = StackChecks.awaitRun(STACK, CLUSTER, "poisoned", jobId, "FAILED");
    String message = run.path("attributes").path("errorMessage").asText();
    assertTrue(message.contains("IllegalStateException") && message.contains("record 50 is poison"), message);
    assertTrue(run.path("attributes").path("errorStackTrace").asText().contains("CountingMap.map"), run.toString());
    StackChecks.assertNoSecretIn(StackChecks.everythingInAtlas(STACK), "pg-secret-in-error");
  }

  @Test
  void aJobThatFailsBeforeItRunsIsFailedWithItsErrorWhenItsNameIsKnown() throws Exception {
    // A checkpoint directory on a file system the cluster does not have: the JobMaster cannot be created, so the
    // job fails while INITIALIZING (JobInitializationException), before any task runs. In a MiniCluster the
    // submission itself fails: Flink calls JobListener.onJobSubmitted(null, error) and sends no JobCreatedEvent,
    // so the listener knows the JobID (from the exception) but the job's name only from pipeline.name.
    String unnamedJobId = "0000000000000000000000000000a17b";
    StreamExecutionEnvironment unnamed = env("$internal.pipeline.job-id", unnamedJobId, "execution.checkpointing.interval", "1 s",
        "execution.checkpointing.storage", "filesystem", "execution.checkpointing.dir", "nosuchfs://nowhere/checkpoints");
    pipeline(unnamed, 100, new CountingMap(-1, false), "never-in", "never-out");
    Exception unnamedFailure = assertThrows(Exception.class, () -> unnamed.executeAsync("never-started-unnamed"));
    assertTrue(mentionsInChain(unnamedFailure, "JobInitializationException"), String.valueOf(unnamedFailure));

    // Named: a JobListener given the environment's configuration (Flink gives the one it instantiates from
    // execution.job-listeners none, so that one knows pipeline.name only from the configuration file).
    String jobId = "0000000000000000000000000000a17a";
    Configuration conf = StackChecks.flinkConfiguration(settings);
    conf.removeKey("execution.job-listeners");
    conf.setString("execution.job-status-changed-listeners", AtlasBridgeJobStatusListenerFactory.class.getName());
    conf.setString("pipeline.name", "never-started");
    conf.setString("$internal.pipeline.job-id", jobId);
    conf.setString("execution.checkpointing.interval", "1 s");
    conf.setString("execution.checkpointing.storage", "filesystem");
    conf.setString("execution.checkpointing.dir", "nosuchfs://nowhere/checkpoints");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.registerJobListener(new AtlasBridgeJobListener(env.getConfiguration().toMap()));
    pipeline(env, 100, new CountingMap(-1, false), "never-in", "never-out");
    Exception failure = assertThrows(Exception.class, () -> env.executeAsync("never-started"));
    assertTrue(mentionsInChain(failure, "nosuchfs"), String.valueOf(failure));

    JsonNode run = StackChecks.awaitRun(STACK, CLUSTER, "never-started", jobId, "FAILED");
    assertTrue(run.path("attributes").path("errorMessage").asText().contains("nosuchfs")
        || run.path("attributes").path("errorStackTrace").asText().contains("nosuchfs"), run.toString());
    assertEquals(0L, run.path("attributes").path("startTime").asLong(0), "it never ran: " + run);
    assertEquals(List.of("FAILED"), StackChecks.auditedStatuses(STACK, run), run.toString());
    // The unnamed job was submitted first through the same sender: it sent nothing (no name for a qualifiedName).
    for (JsonNode any : STACK.atlasEntities("flink_job_run")) {
      assertFalse(StackChecks.mentions(any, unnamedJobId), "a run for the unnamed job: " + any);
    }
  }

  private static boolean mentionsInChain(Throwable error, String text) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (String.valueOf(t).contains(text)) return true;
    }
    return false;
  }

  @Test
  void aCancelledJob() throws Exception {
    StreamExecutionEnvironment env = env();
    // Long enough to be cancelled while running.
    env.fromSource(new Flink2LineageConnectors.Source(Long.MAX_VALUE, "endless-in"), WatermarkStrategy.noWatermarks(), "endless")
        .sinkTo(new Flink2LineageConnectors.Sink<>("endless-out"));
    JobClient client = env.executeAsync("endless");
    String jobId = client.getJobID().toHexString();
    StackChecks.awaitRun(STACK, CLUSTER, "endless", jobId, "RUNNING");
    client.cancel().get();
    JsonNode run = StackChecks.awaitRun(STACK, CLUSTER, "endless", jobId, "CANCELED");
    assertEquals("CANCELLING", run.path("attributes").path("previousStatus").asText());
  }

  @Test
  void aRestartedJobThatThenFinishes() throws Exception {
    // failover-strategy full: the whole job restarts (RESTARTING), where region failover would restart the one
    // failed region with no job status change at all.
    StreamExecutionEnvironment env = env("restart-strategy.type", "fixed-delay", "restart-strategy.fixed-delay.attempts", "2",
        "restart-strategy.fixed-delay.delay", "300 ms", "jobmanager.execution.failover-strategy", "full");
    pipeline(env, 100, new CountingMap(10, true), "flaky-in", "flaky-out");
    JobExecutionResult result = env.execute("flaky");
    String jobId = result.getJobID().toHexString();
    JsonNode run = StackChecks.awaitRun(STACK, CLUSTER, "flaky", jobId, "FINISHED");
    assertEquals(JobStatus.FINISHED.name(), run.path("attributes").path("status").asText());
    assertEquals("RUNNING", run.path("attributes").path("previousStatus").asText(), run.toString());
    // Atlas's audit of the run: every status it held, oldest first, the restart among them.
    List<String> statuses = StackChecks.auditedStatuses(STACK, run);
    int restarting = statuses.indexOf("RESTARTING");
    assertTrue(restarting > 0, "no RESTARTING in " + statuses);
    assertEquals("RUNNING", statuses.get(restarting - 1), "RESTARTING after RUNNING: " + statuses);
    // The RUNNING after the restart is its own stored version only when it reached the bridge in another batch
    // than FINISHED (seen both ways: [RUNNING, RESTARTING, RUNNING, FINISHED] and [RUNNING, RESTARTING, FINISHED]).
    assertEquals("FINISHED", statuses.get(statuses.size() - 1), statuses.toString());
    assertTrue(statuses.subList(restarting + 1, statuses.size()).stream().allMatch(st -> st.equals("RUNNING") || st.equals("FINISHED")),
        "after the restart only RUNNING and FINISHED: " + statuses);
    JsonNode restartingEntity = StackChecks.auditedEntities(STACK, run).stream()
        .filter(stored -> "RESTARTING".equals(stored.path("attributes").path("status").asText())).findFirst().orElseThrow();
    assertEquals("RUNNING", restartingEntity.path("attributes").path("previousStatus").asText(), restartingEntity.toString());
    // Flink's RESTARTING transition carries no exception (the scheduler sets it without one): no error on the run.
    assertTrue(run.path("attributes").path("errorMessage").isNull(), run.toString());
  }

  @Test
  void theBridgesAtlasDownForAWhileLosesNothingAndDoesNotSlowTheJob() throws Exception {
    StreamExecutionEnvironment warm = env();
    pipeline(warm, 1000, new CountingMap(-1, false), "warm-in", "warm-out");
    long baselineStart = System.nanoTime();
    warm.execute("warm-up");
    long baselineMs = (System.nanoTime() - baselineStart) / 1_000_000;

    STACK.atlasOutage(true);
    String jobId;
    long outageMs;
    long droppedBefore = EventSender.droppedInJvm();
    try {
      StreamExecutionEnvironment env = env();
      pipeline(env, 1000, new CountingMap(-1, false), "outage-in", "outage-out");
      long start = System.nanoTime();
      jobId = env.execute("during-outage").getJobID().toHexString();
      outageMs = (System.nanoTime() - start) / 1_000_000;
      // Everything the listener sent during the outage was answered 202 (queued by the bridge), none dropped.
      Thread.sleep(1000);
    } finally {
      STACK.atlasOutage(false);
    }
    // The bridge answered 202 (queued); its retry worker writes once Atlas is back.
    JsonNode run = StackChecks.awaitRun(STACK, CLUSTER, "during-outage", jobId, "FINISHED");
    assertFalse(run.isMissingNode());
    assertEquals(droppedBefore, EventSender.droppedInJvm());
    StackChecks.awaitEntity(STACK, "kafka_topic", "outage-out@primary");
    assertTrue(outageMs < baselineMs * 3 + 3000, "the job took " + outageMs + " ms during the outage, " + baselineMs + " ms before");
  }

  @Test
  void theBridgeItselfDownForAWhileLosesNothingAndDoesNotSlowTheJob() throws Exception {
    try (BridgeOutage outage = new BridgeOutage(STACK.eventsUrl())) {
      Map<String, String> through = new LinkedHashMap<>(settings);
      through.put(BridgeConfig.URL, outage.through(STACK.eventsUrl()));
      EventSender sender = EventSender.shared(BridgeConfig.from(through)); // the one the listeners will use

      StreamExecutionEnvironment warm = env(through);
      pipeline(warm, 1000, new CountingMap(-1, false), "bridge-warm-in", "bridge-warm-out");
      long baselineStart = System.nanoTime();
      String warmJobId = warm.execute("bridge-warm-up").getJobID().toHexString();
      long baselineMs = (System.nanoTime() - baselineStart) / 1_000_000;
      StackChecks.awaitRun(STACK, CLUSTER, "bridge-warm-up", warmJobId, "FINISHED");

      long droppedBefore = EventSender.droppedInJvm();
      long retriesBefore = sender.retries();
      long deliveredBefore = sender.delivered();
      outage.down();
      String jobId;
      long outageMs;
      try {
        StreamExecutionEnvironment env = env(through);
        pipeline(env, 1000, new CountingMap(-1, false), "bridge-down-in", "bridge-down-out");
        long start = System.nanoTime();
        jobId = env.execute("while-bridge-down").getJobID().toHexString();
        outageMs = (System.nanoTime() - start) / 1_000_000;
        LocalStack.waitUntil("the sender retrying against the bridge that is down", StackChecks.ATLAS_WAIT,
            () -> sender.retries() > retriesBefore + 2 && outage.refused() > 2);
        assertEquals(deliveredBefore, sender.delivered(), "delivered while the bridge was down");
        assertFalse(STACK.atlasEntity("flink_job_run", CLUSTER + "/while-bridge-down/" + jobId + "@primary").isPresent());
      } finally {
        outage.up();
      }
      // Back up: the queued events are delivered, the job's whole story lands in Atlas.
      StackChecks.awaitRun(STACK, CLUSTER, "while-bridge-down", jobId, "FINISHED");
      JsonNode withResult = STACK.awaitAtlasEntity("flink_job_run", CLUSTER + "/while-bridge-down/" + jobId + "@primary",
          StackChecks.ATLAS_WAIT, r -> r.path("attributes").path("resultTime").asLong(0) > 0);
      assertTrue(StackChecks.mentions(withResult.path("attributes").path("accumulators"), "1000"), withResult.toString());
      JsonNode in = StackChecks.awaitEntity(STACK, "kafka_topic", "bridge-down-in@primary");
      JsonNode out = StackChecks.awaitEntity(STACK, "kafka_topic", "bridge-down-out@primary");
      STACK.awaitAtlasEntity("flink_job", CLUSTER + "/while-bridge-down@primary", StackChecks.ATLAS_WAIT,
          j -> StackChecks.mentions(j, in.path("guid").asText()) && StackChecks.mentions(j, out.path("guid").asText()));
      assertEquals(droppedBefore, EventSender.droppedInJvm(), "events dropped");
      assertTrue(outageMs < baselineMs * 3 + 3000, "the job took " + outageMs + " ms with the bridge down, " + baselineMs + " ms before");
    }
  }
}
