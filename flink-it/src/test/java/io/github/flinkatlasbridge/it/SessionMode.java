package io.github.flinkatlasbridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkatlasbridge.testsupport.LocalStack;
import io.github.flinkatlasbridge.testsupport.RecordingProxy;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * What the session-mode tests of both Flink versions share: each side's config.yaml, the client JVM
 * ({@link SessionModeClient}) forked on the test's classpath with FLINK_CONF_DIR its own configuration, and reading
 * back which side sent what (named by {@link EventKinds}).
 */
final class SessionMode {
  static final Duration CLIENT_WAIT = Duration.ofMinutes(4);

  private SessionMode() {}

  /** The client's run: JobID, net runtime and accumulator from its result line. */
  static final class ClientRun {
    final String jobId;
    final long netRuntimeMs;
    final String accumulator;

    ClientRun(String jobId, long netRuntimeMs, String accumulator) {
      this.jobId = jobId;
      this.netRuntimeMs = netRuntimeMs;
      this.accumulator = accumulator;
    }
  }

  /** A session cluster: a MiniCluster with its REST endpoint on loopback, one TaskManager of two slots. */
  static MiniCluster startCluster(Configuration conf) throws Exception {
    conf.setString("rest.address", "127.0.0.1");
    conf.setString("rest.bind-address", "127.0.0.1");
    conf.setString("rest.bind-port", "0");
    conf.setString("parallelism.default", "1");
    MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
        .setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build());
    cluster.start();
    return cluster;
  }

  /**
   * The run of the client's job as Atlas holds it once FINISHED with the client's net runtime: its JobID and
   * accumulator checked, and no other flink_job_run for the JobID.
   */
  static JsonNode awaitOneFinishedRun(LocalStack stack, String runName, ClientRun run, int records, Duration wait) {
    JsonNode finished = stack.awaitAtlasEntity("flink_job_run", runName, wait,
        e -> "FINISHED".equals(e.path("attributes").path("status").asText())
            && e.path("attributes").path("netRuntimeMs").asLong(-1) == run.netRuntimeMs);
    assertEquals(run.jobId, finished.path("attributes").path("jobId").asText(), finished.toString());
    assertEquals(String.valueOf(records), finished.path("attributes").path("accumulators").path(SessionModeClient.ACCUMULATOR).asText(), finished.toString());
    List<String> runsOfJobId = stack.atlasEntities("flink_job_run").stream()
        .filter(e -> run.jobId.equals(e.path("attributes").path("jobId").asText()))
        .map(e -> e.path("attributes").path("qualifiedName").asText()).collect(Collectors.toList());
    assertEquals(List.of(runName), runsOfJobId, "exactly one flink_job_run for the JobID");
    return finished;
  }

  /** A Flink config.yaml of flat keys (both Flink 2's YAML and 1.20's config.yaml read this form). */
  static Path writeConfigYaml(Path dir, Map<String, String> settings) throws IOException {
    Files.createDirectories(dir);
    List<String> lines = settings.entrySet().stream()
        .map(e -> e.getKey() + ": '" + e.getValue().replace("'", "''") + "'").collect(Collectors.toList());
    Files.write(dir.resolve("config.yaml"), lines, StandardCharsets.UTF_8);
    return dir;
  }

  /**
   * Runs SessionModeClient in a new JVM on this test's classpath, FLINK_CONF_DIR the client's configuration, the
   * environment without ATLAS_BRIDGE_ variables (the client's settings come from its config.yaml only).
   */
  static ClientRun runClient(Path clientConf, URI restAddress, String jobName, String bootstrapServers, String input, String output) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path argFile = clientConf.resolve("java.args");
    List<String> jvmArgs = new ArrayList<>();
    // as the test JVM has them (the pom's argLine): Flink reflects into the JDK
    for (String pkg : List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util", "java.util.concurrent", "java.time")) {
      jvmArgs.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
    }
    jvmArgs.add("-Xmx512m");
    jvmArgs.add("-cp");
    jvmArgs.add(quoted(classpath));
    Files.write(argFile, jvmArgs, StandardCharsets.UTF_8);
    Path log = clientConf.resolve("client.log");
    ProcessBuilder builder = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "@" + argFile,
        SessionModeClient.class.getName(), restAddress.getHost(), String.valueOf(restAddress.getPort()), jobName,
        bootstrapServers, input, output)
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("FLINK_CONF_DIR", clientConf.toString());
    builder.environment().keySet().removeIf(k -> k.startsWith("ATLAS_BRIDGE_"));
    Process process = builder.start();
    if (!process.waitFor(CLIENT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the session client did not end within " + CLIENT_WAIT + "; its output:\n" + Files.readString(log));
    }
    String clientOutput = Files.readString(log);
    assertEquals(0, process.exitValue(), "the session client failed; its output:\n" + clientOutput);
    String line = clientOutput.lines().filter(l -> l.startsWith(SessionModeClient.RESULT_LINE + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no result line from the session client:\n" + clientOutput));
    String[] parts = line.split(" ");
    return new ClientRun(parts[1], Long.parseLong(parts[2]), parts[3]);
  }

  private static String quoted(String argFileValue) {
    return "\"" + argFileValue.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The native events about the job this proxy's side sent, in the order the bridge received them. */
  static List<JsonNode> eventsOf(RecordingProxy proxy, String jobId) {
    List<JsonNode> events = new ArrayList<>();
    for (RecordingProxy.Exchange exchange : proxy.exchangesTo("/flink/events")) {
      StreamSupport.stream(exchange.body.spliterator(), false)
          .filter(event -> jobId.equals(event.path("job").path("id").asText())).forEach(events::add);
    }
    return events;
  }
}
