package io.github.flinkatlasbridge.listener;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkatlasbridge.testsupport.LocalStack;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/** The listener's settings for a running local stack, and checks of what Atlas then holds. */
final class StackChecks {
  private StackChecks() {}

  static final Duration ATLAS_WAIT = Duration.ofSeconds(90);

  /** atlas-bridge.* for the stack: both webhook secrets (signing with each, as during a rotation), gzip (the default), short waits. */
  static Map<String, String> settings(LocalStack stack, String cluster) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(BridgeConfig.URL, stack.eventsUrl());
    s.put(BridgeConfig.WEBHOOK_SECRETS, String.join(" ", stack.webhookSecrets()));
    s.put(BridgeConfig.CLUSTER, cluster);
    s.put(BridgeConfig.LINGER, "50 ms");
    s.put(BridgeConfig.RETRY_INITIAL_BACKOFF, "200 ms");
    s.put(BridgeConfig.RETRY_MAX_BACKOFF, "2 s");
    s.put(BridgeConfig.STATUS_POLL_INTERVAL, "100 ms");
    return s;
  }

  static Configuration flinkConfiguration(Map<String, String> settings) {
    Configuration conf = new Configuration();
    settings.forEach(conf::setString);
    conf.setString("execution.job-listeners", AtlasBridgeJobListener.class.getName());
    conf.setString("table.catalog-modification.listeners", AtlasBridgeCatalogListenerFactory.IDENTIFIER);
    conf.setString("rest.bind-port", "0");
    return conf;
  }

  static JsonNode awaitRun(LocalStack stack, String cluster, String jobName, String jobId, String status) {
    return stack.awaitAtlasEntity("flink_job_run", cluster + "/" + jobName + "/" + jobId + "@primary", ATLAS_WAIT,
        run -> status.equals(run.path("attributes").path("status").asText()));
  }

  static JsonNode awaitEntity(LocalStack stack, String type, String qualifiedName) {
    return stack.awaitAtlasEntity(type, qualifiedName, ATLAS_WAIT, e -> true);
  }

  /** Waits until the entity is deleted: absent from the ACTIVE entities, or there with status DELETED. */
  static void awaitGone(LocalStack stack, String type, String qualifiedName) {
    LocalStack.waitUntil(type + " " + qualifiedName + " deleted in Atlas", ATLAS_WAIT,
        () -> stack.atlasEntity(type, qualifiedName).map(e -> "DELETED".equals(e.path("status").asText())).orElse(true));
  }

  /** Every entity Atlas holds, as one text: the place to look for a secret. */
  static String everythingInAtlas(LocalStack stack) {
    StringBuilder all = new StringBuilder();
    JsonNode search = stack.atlasGet("/api/atlas/v2/search/basic?typeName=Referenceable&limit=10000").orElseThrow();
    for (JsonNode header : search.path("entities")) {
      stack.atlasGet("/api/atlas/v2/entity/guid/" + header.path("guid").asText()).ifPresent(e -> all.append(e).append('\n'));
    }
    assertTrue(all.length() > 0, "Atlas holds no entity at all");
    return all.toString();
  }

  static void assertNoSecretIn(String text, String... secrets) {
    for (String secret : secrets) assertFalse(text.contains(secret), "a secret reached Atlas: " + secret);
  }

  static boolean mentions(JsonNode entity, String text) {
    return entity.toString().contains(text);
  }
}
