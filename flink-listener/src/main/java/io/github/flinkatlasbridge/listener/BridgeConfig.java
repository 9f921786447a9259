package io.github.flinkatlasbridge.listener;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The listener's settings, all under {@code atlas-bridge.}: read from the Flink configuration the factories are
 * given, else from JVM system properties of the same name, else from environment variables
 * ({@code atlas-bridge.webhook-secrets} → {@code ATLAS_BRIDGE_WEBHOOK_SECRETS}).
 */
public final class BridgeConfig {
  public static final String PREFIX = "atlas-bridge.";
  public static final String URL = PREFIX + "url";
  public static final String WEBHOOK_SECRETS = PREFIX + "webhook-secrets";
  public static final String CLUSTER = PREFIX + "cluster";
  public static final String GZIP = PREFIX + "gzip";
  public static final String QUEUE_CAPACITY = PREFIX + "queue-capacity";
  public static final String BATCH_SIZE = PREFIX + "batch-size";
  public static final String LINGER = PREFIX + "linger";
  public static final String TIMEOUT = PREFIX + "timeout";
  public static final String RETRY_INITIAL_BACKOFF = PREFIX + "retry.initial-backoff";
  public static final String RETRY_MAX_BACKOFF = PREFIX + "retry.max-backoff";
  public static final String CLOSE_TIMEOUT = PREFIX + "close-timeout";
  public static final String STACK_TRACE_MAX_CHARS = PREFIX + "stack-trace-max-chars";
  public static final String STATUS_POLL_INTERVAL = PREFIX + "status-poll-interval";

  /** The bridge takes at most 500 events per request. */
  public static final int MAX_BATCH_SIZE = 500;

  public final URI url;
  public final String webhookSecrets;
  public final String cluster;
  public final boolean gzip;
  public final int queueCapacity;
  public final int batchSize;
  public final Duration linger;
  public final Duration timeout;
  public final Duration initialBackoff;
  public final Duration maxBackoff;
  public final Duration closeTimeout;
  public final int stackTraceMaxChars;
  public final Duration statusPollInterval;

  private BridgeConfig(Map<String, String> values) {
    String url = require(values, URL);
    try {
      this.url = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(URL + " is not a URI: " + e.getMessage());
    }
    if (!"http".equals(this.url.getScheme()) && !"https".equals(this.url.getScheme())) {
      throw new IllegalArgumentException(URL + " must be an http:// or https:// URL of POST /flink/events");
    }
    this.webhookSecrets = require(values, WEBHOOK_SECRETS);
    new WebhookSigner(webhookSecrets); // fails now, with the secret's position, rather than on the first event
    this.cluster = clusterOf(values);
    this.gzip = bool(values, GZIP, true);
    this.queueCapacity = positiveInt(values, QUEUE_CAPACITY, 10_000, Integer.MAX_VALUE);
    this.batchSize = positiveInt(values, BATCH_SIZE, 100, MAX_BATCH_SIZE);
    this.linger = duration(values, LINGER, Duration.ofMillis(200));
    this.timeout = duration(values, TIMEOUT, Duration.ofSeconds(10));
    this.initialBackoff = duration(values, RETRY_INITIAL_BACKOFF, Duration.ofSeconds(1));
    this.maxBackoff = duration(values, RETRY_MAX_BACKOFF, Duration.ofSeconds(60));
    this.closeTimeout = duration(values, CLOSE_TIMEOUT, Duration.ofSeconds(10));
    this.stackTraceMaxChars = positiveInt(values, STACK_TRACE_MAX_CHARS, 8_000, 1_000_000);
    this.statusPollInterval = duration(values, STATUS_POLL_INTERVAL, Duration.ofSeconds(1));
  }

  /** The settings from a Flink configuration's map (may be empty), system properties and the environment. */
  public static BridgeConfig from(Map<String, String> flinkConfiguration) {
    return new BridgeConfig(merged(flinkConfiguration, System.getenv()));
  }

  /** True when a URL is configured anywhere: without one the listeners stay silent rather than fail a job. */
  public static boolean isConfigured(Map<String, String> flinkConfiguration) {
    return merged(flinkConfiguration, System.getenv()).get(URL) != null;
  }

  static BridgeConfig of(Map<String, String> values) {
    return new BridgeConfig(values);
  }

  static Map<String, String> merged(Map<String, String> flinkConfiguration, Map<String, String> env) {
    Map<String, String> values = new HashMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith("ATLAS_BRIDGE_")) {
        values.put(PREFIX + e.getKey().substring("ATLAS_BRIDGE_".length()).toLowerCase(Locale.ROOT).replace('_', '-'), e.getValue());
      }
    }
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith(PREFIX)) values.put(name, System.getProperty(name));
    }
    for (String name : new String[] {"kubernetes.cluster-id", "high-availability.cluster-id"}) {
      if (flinkConfiguration.get(name) != null) values.put(name, flinkConfiguration.get(name));
    }
    for (Map.Entry<String, String> e : flinkConfiguration.entrySet()) {
      if (e.getKey().startsWith(PREFIX) && e.getValue() != null) values.put(e.getKey(), e.getValue());
    }
    return values;
  }

  /** A key naming one sender: listeners with the same endpoint, secrets and settings in one JVM share it. */
  String senderKey() {
    return String.join("\n", url.toString(), webhookSecrets, Boolean.toString(gzip), Integer.toString(queueCapacity),
        Integer.toString(batchSize), linger.toString(), timeout.toString(), initialBackoff.toString(),
        maxBackoff.toString(), closeTimeout.toString());
  }

  private static String clusterOf(Map<String, String> values) {
    // The cluster is part of every job's qualifiedName: default to what names the deployment in Kubernetes.
    String cluster = firstNonBlank(values.get(CLUSTER), values.get("kubernetes.cluster-id"), values.get("high-availability.cluster-id"), "flink");
    if (!cluster.matches("[^/@\\s\\p{Cntrl}]{1,128}")) {
      throw new IllegalArgumentException(CLUSTER + " must be 1 to 128 characters without '/', '@' or whitespace: " + cluster);
    }
    return cluster;
  }

  private static String firstNonBlank(String... candidates) {
    for (String c : candidates) if (c != null && !c.trim().isEmpty()) return c.trim();
    return null;
  }

  private static String require(Map<String, String> values, String key) {
    String value = values.get(key);
    if (value == null || value.trim().isEmpty()) throw new IllegalArgumentException(key + " is not set");
    return value.trim();
  }

  private static boolean bool(Map<String, String> values, String key, boolean fallback) {
    String value = values.get(key);
    if (value == null || value.trim().isEmpty()) return fallback;
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true": return true;
      case "false": return false;
      default: throw new IllegalArgumentException(key + " must be true or false, not " + value);
    }
  }

  private static int positiveInt(Map<String, String> values, String key, int fallback, int max) {
    String value = values.get(key);
    if (value == null || value.trim().isEmpty()) return fallback;
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 1 || n > max) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number from 1 to " + max + ", not " + value);
    }
  }

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|milli|millis|s|sec|secs|second|seconds|min|m|minute|minutes|h|hour|hours)?");

  /** Flink's duration syntax: {@code 500 ms}, {@code 10 s}, {@code 1 min}; a bare number is milliseconds. */
  static Duration duration(Map<String, String> values, String key, Duration fallback) {
    String value = values.get(key);
    if (value == null || value.trim().isEmpty()) return fallback;
    Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) throw new IllegalArgumentException(key + " must be a duration such as 500 ms, 10 s or 1 min, not " + value);
    long n = Long.parseLong(m.group(1));
    String unit = Objects.toString(m.group(2), "ms");
    if (unit.startsWith("h")) return Duration.ofHours(n);
    if (unit.startsWith("mi") && !unit.startsWith("milli") || unit.equals("m")) return Duration.ofMinutes(n);
    if (unit.startsWith("s")) return Duration.ofSeconds(n);
    return Duration.ofMillis(n);
  }
}
