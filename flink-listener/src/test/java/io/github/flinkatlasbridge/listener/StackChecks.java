package io.github.flinkatlasbridge.listener;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkatlasbridge.testsupport.LocalStack;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/** The listener's settings for a running local stack, and checks of what Atlas then holds. */
final class StackChecks {
  private StackChecks() {}

  static final Duration ATLAS_WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

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

  /**
   * The entity as Atlas stored it at each write, oldest first, from its audit (GET /v2/entity/{guid}/audit: newest
   * first, details "Created: <entity json>" / "Updated: <entity json>").
   */
  static List<JsonNode> auditedEntities(LocalStack stack, JsonNode entity) {
    JsonNode audit = stack.atlasGet("/api/atlas/v2/entity/" + entity.path("guid").asText() + "/audit?count=1000").orElseThrow();
    List<JsonNode> stored = new ArrayList<>();
    for (JsonNode event : audit) {
      String details = event.path("details").asText();
      int json = details.indexOf('{');
      if (json < 0) continue; // "Deleted entity"
      try {
        stored.add(0, JSON.readTree(details.substring(json)));
      } catch (java.io.IOException e) {
        throw new AssertionError("an audit event that is not an entity: " + details, e);
      }
    }
    return stored;
  }

  /** The statuses the run held, oldest first, each once per change (writes that left it alone are skipped). */
  static List<String> auditedStatuses(LocalStack stack, JsonNode run) {
    List<String> statuses = new ArrayList<>();
    for (JsonNode stored : auditedEntities(stack, run)) {
      String status = stored.path("attributes").path("status").asText("");
      if (!status.isEmpty() && (statuses.isEmpty() || !statuses.get(statuses.size() - 1).equals(status))) statuses.add(status);
    }
    return statuses;
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
