package io.github.flinkatlasbridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinkatlasbridge.testsupport.RecordingProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.runtime.util.EnvironmentInformation;

/**
 * Writes what a listener sent, secrets redacted, to target/recorded-flink/&lt;Flink version&gt;/&lt;listener&gt;.json on
 * every run, and with -Dflinkit.record=true also to test/fixtures/recorded-flink/ (the TypeScript replay tests' input).
 */
final class RecordedFixtures {
  static final String REDACTED = "<redacted>";
  /** Property names whose values are credentials wherever they appear (Kafka, JDBC, HTTP client properties). */
  private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|jaas|token|api[._-]?key|credential).*");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RecordedFixtures() {}

  static Path write(String listener, List<RecordingProxy.Exchange> exchanges, String knownSecret) throws IOException {
    ObjectNode fixture = JSON.createObjectNode();
    fixture.put("listener", listener);
    fixture.put("flinkVersion", EnvironmentInformation.getVersion());
    ArrayNode requests = fixture.putArray("requests");
    for (RecordingProxy.Exchange exchange : exchanges) {
      ObjectNode request = requests.addObject();
      request.put("method", exchange.method);
      request.put("path", exchange.path);
      if (exchange.contentEncoding != null) request.put("contentEncoding", exchange.contentEncoding);
      if (exchange.userAgent != null) request.put("userAgent", exchange.userAgent);
      request.put("answeredStatus", exchange.status);
      request.set("body", redact(exchange.body.deepCopy(), knownSecret));
    }
    String text = JSON.writeValueAsString(fixture) + "\n";
    if (text.contains(knownSecret)) throw new IllegalStateException("redaction left the secret in the " + listener + " fixture");
    Path target = Paths.get(System.getProperty("basedir", "."), "target", "recorded-flink", EnvironmentInformation.getVersion(), listener + ".json");
    writeFile(target, text);
    if (Boolean.getBoolean("flinkit.record")) {
      writeFile(Paths.get(System.getProperty("flinkit.fixtures"), EnvironmentInformation.getVersion(), listener + ".json"), text);
    }
    return target;
  }

  /** Replaces credential-named properties and any string holding the known secret, in place. */
  static JsonNode redact(JsonNode node, String knownSecret) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (SECRET_KEY.matcher(field.getKey()).matches() && field.getValue().isValueNode()) field.setValue(object.textNode(REDACTED));
        else redact(field.getValue(), knownSecret);
      }
      // {"key": "sasl.jaas.config", "value": "..."} pairs
      if (object.has("value") && object.path("key").isTextual() && SECRET_KEY.matcher(object.path("key").asText()).matches()) {
        object.put("value", REDACTED);
      }
    } else if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i).isTextual() && array.get(i).asText().contains(knownSecret)) array.set(i, array.textNode(REDACTED));
        else redact(array.get(i), knownSecret);
      }
    }
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      object.fields().forEachRemaining(field -> {
        if (field.getValue().isTextual() && field.getValue().asText().contains(knownSecret)) field.setValue(object.textNode(REDACTED));
      });
    }
    return node;
  }

  private static void writeFile(Path path, String text) throws IOException {
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
  }
}
