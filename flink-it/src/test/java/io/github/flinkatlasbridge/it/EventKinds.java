package io.github.flinkatlasbridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;

/** The bridge's native events named for assertions and logs: "job.status:RUNNING", "job.result". */
final class EventKinds {
  private EventKinds() {}

  static String kindOf(JsonNode event) {
    return event.path("type").asText() + (event.path("job").has("status") ? ":" + event.path("job").path("status").asText() : "");
  }

  static List<String> kindsOf(List<JsonNode> events) {
    return events.stream().map(EventKinds::kindOf).collect(Collectors.toList());
  }
}
