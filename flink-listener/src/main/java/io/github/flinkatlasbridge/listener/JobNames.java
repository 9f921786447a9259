package io.github.flinkatlasbridge.listener;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Job names by JobID, learnt from JobCreatedEvents in this JVM: Flink passes a JobListener no job name, and the
 * contract needs one. Bounded, oldest forgotten first.
 */
final class JobNames {
  private JobNames() {}

  /**
   * Set when an AtlasBridgeJobStatusListenerFactory created a listener in this JVM. Kept here, not on the factory:
   * the JobListener reads it on Flink 1.20 too, where loading the factory class (whose interface 1.20 lacks) fails.
   */
  static volatile boolean statusListenerInJvm;

  private static final int MAX = 10_000;
  private static final Map<String, String> NAMES = new LinkedHashMap<String, String>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > MAX;
    }
  };

  static synchronized void remember(String jobId, String name) {
    if (jobId != null && name != null && !name.isEmpty()) NAMES.put(jobId, name);
  }

  static synchronized String nameOf(String jobId) {
    return NAMES.get(jobId);
  }
}
