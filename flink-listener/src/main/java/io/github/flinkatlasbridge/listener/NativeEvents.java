package io.github.flinkatlasbridge.listener;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The bridge's native events (schema/flink-event.schema.json) as JSON-ready maps. Pure: the caller passes the
 * time, so each builder is tested without a clock or a Flink cluster.
 */
public final class NativeEvents {
  private NativeEvents() {}

  static final int MAX_MESSAGE_CHARS = 100_000;

  /** {@code type}, a fresh {@code eventId}, {@code eventTime} and, for job and catalog events, {@code cluster}. */
  static Map<String, Object> envelope(String type, String cluster, long eventTimeMillis) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", type);
    event.put("eventId", UUID.randomUUID().toString());
    event.put("eventTime", Instant.ofEpochMilli(eventTimeMillis).toString());
    event.put("cluster", cluster);
    return event;
  }

  /** A {@code job.status} event; {@code previousStatus}, {@code executionMode}, times and lineage may be null. */
  public static Map<String, Object> jobStatus(String cluster, long eventTimeMillis, String jobId, String jobName, String status,
      String previousStatus, String executionMode, Long startTime, Long endTime, Map<String, Object> lineage, Map<String, Object> error) {
    Map<String, Object> event = envelope("job.status", cluster, eventTimeMillis);
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("id", jobId);
    job.put("name", jobName);
    job.put("status", status);
    putIfPresent(job, "previousStatus", previousStatus);
    putIfPresent(job, "executionMode", executionMode);
    putIfPresent(job, "startTime", startTime);
    putIfPresent(job, "endTime", endTime);
    event.put("job", job);
    putIfPresent(event, "lineage", lineage);
    putIfPresent(event, "error", error);
    return event;
  }

  /** A {@code job.result} event: net runtime and the accumulators (numbers stay numbers, anything else its text). */
  public static Map<String, Object> jobResult(String cluster, long eventTimeMillis, String jobId, String jobName, long netRuntimeMs,
      Map<String, Object> accumulators) {
    Map<String, Object> event = envelope("job.result", cluster, eventTimeMillis);
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("id", jobId);
    job.put("name", jobName);
    event.put("job", job);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("netRuntimeMs", Math.max(0, netRuntimeMs));
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : accumulators.entrySet()) {
      if (e.getKey() == null || e.getKey().length() > 1000) continue;
      Object v = e.getValue();
      boolean finite = v instanceof Number && !(v instanceof Double && !Double.isFinite((Double) v)) && !(v instanceof Float && !Float.isFinite((Float) v));
      values.put(e.getKey(), finite ? v : truncate(Redaction.redactValue(String.valueOf(v)), 10_000));
    }
    result.put("accumulators", values);
    event.put("result", result);
    return event;
  }

  /**
   * The error of a failed run: each exception's class and message down the cause chain (Flink wraps the job's own
   * exception in "Recovery is suppressed by ..."), and the stack trace, cut to {@code maxStackChars}. Both are
   * redacted: an exception message can quote a JDBC URL.
   */
  public static Map<String, Object> error(Throwable t, int maxStackChars) {
    if (t == null) return null;
    Map<String, Object> error = new LinkedHashMap<>();
    StringBuilder message = new StringBuilder(t.toString());
    Throwable root = t;
    int depth = 0;
    for (Throwable cause = t.getCause(); cause != null && cause != root && depth < 20; cause = cause.getCause(), depth++) {
      message.append("; caused by: ").append(cause);
      root = cause;
    }
    error.put("message", truncate(Redaction.redactValue(message.toString()), MAX_MESSAGE_CHARS));
    // The root cause's frames first: within the bound they say where the job failed, not where Flink noticed.
    StringWriter stack = new StringWriter();
    PrintWriter out = new PrintWriter(stack);
    if (root != t) {
      out.print("Root cause: ");
      root.printStackTrace(out);
      out.println("Reported as:");
    }
    t.printStackTrace(out);
    out.flush();
    error.put("stackTrace", truncate(Redaction.redactValue(stack.toString()), maxStackChars));
    return error;
  }

  /** {@code {sources, sinks}} of lineage datasets already mapped. */
  public static Map<String, Object> lineage(List<Map<String, Object>> sources, List<Map<String, Object>> sinks) {
    Map<String, Object> lineage = new LinkedHashMap<>();
    lineage.put("sources", sources);
    lineage.put("sinks", sinks);
    return lineage;
  }

  static String truncate(String s, int max) {
    if (s == null || s.length() <= max) return s;
    int end = max - 1;
    if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
    return s.substring(0, end) + "…";
  }

  static void putIfPresent(Map<String, Object> map, String key, Object value) {
    if (value != null) map.put(key, value);
  }
}
