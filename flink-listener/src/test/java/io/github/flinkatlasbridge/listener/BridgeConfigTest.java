package io.github.flinkatlasbridge.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgeConfigTest {
  private static Map<String, String> minimal() {
    Map<String, String> values = new HashMap<>();
    values.put(BridgeConfig.URL, "https://bridge.example/flink/events");
    values.put(BridgeConfig.WEBHOOK_SECRETS, CapturingBridge.SECRET);
    return values;
  }

  @Test
  void hasDefaultsForEverythingButTheUrlAndSecrets() {
    BridgeConfig config = BridgeConfig.of(minimal());
    assertTrue(config.gzip);
    assertEquals(10_000, config.queueCapacity);
    assertEquals(100, config.batchSize);
    assertEquals(Duration.ofSeconds(10), config.timeout);
    assertEquals("flink", config.cluster);
  }

  @Test
  void readsFlinkDurationsAndTheCluster() {
    Map<String, String> values = minimal();
    values.put(BridgeConfig.TIMEOUT, "1 min");
    values.put(BridgeConfig.LINGER, "250ms");
    values.put(BridgeConfig.CLOSE_TIMEOUT, "3 s");
    values.put(BridgeConfig.RETRY_MAX_BACKOFF, "2 h");
    values.put("kubernetes.cluster-id", "flink-prod");
    BridgeConfig config = BridgeConfig.of(values);
    assertEquals(Duration.ofMinutes(1), config.timeout);
    assertEquals(Duration.ofMillis(250), config.linger);
    assertEquals(Duration.ofSeconds(3), config.closeTimeout);
    assertEquals(Duration.ofHours(2), config.maxBackoff);
    assertEquals("flink-prod", config.cluster);
  }

  @Test
  void saysWhatIsWrongAndWhere() {
    Map<String, String> values = minimal();
    values.remove(BridgeConfig.URL);
    assertEquals("atlas-bridge.url is not set", assertThrows(IllegalArgumentException.class, () -> BridgeConfig.of(values)).getMessage());
    Map<String, String> badBatch = minimal();
    badBatch.put(BridgeConfig.BATCH_SIZE, "501");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BridgeConfig.of(badBatch)).getMessage().startsWith("atlas-bridge.batch-size"));
    Map<String, String> badCluster = minimal();
    badCluster.put(BridgeConfig.CLUSTER, "a/b");
    assertThrows(IllegalArgumentException.class, () -> BridgeConfig.of(badCluster));
    Map<String, String> badSecret = minimal();
    badSecret.put(BridgeConfig.WEBHOOK_SECRETS, "whsec_***");
    assertFalse(assertThrows(IllegalArgumentException.class, () -> BridgeConfig.of(badSecret)).getMessage().contains("***"));
  }

  @Test
  void fallsBackToEnvironmentVariables() {
    Map<String, String> env = new HashMap<>();
    env.put("ATLAS_BRIDGE_URL", "http://from-env/flink/events");
    env.put("ATLAS_BRIDGE_QUEUE_CAPACITY", "7");
    env.put("PATH", "/bin");
    Map<String, String> flink = new HashMap<>();
    flink.put(BridgeConfig.QUEUE_CAPACITY, "9");
    Map<String, String> merged = BridgeConfig.merged(flink, env);
    assertEquals("http://from-env/flink/events", merged.get(BridgeConfig.URL));
    assertEquals("9", merged.get(BridgeConfig.QUEUE_CAPACITY), "the Flink configuration wins");
    assertFalse(merged.containsKey("PATH"));
  }
}
