package io.github.flinkatlasbridge.atlascheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** What `flink-atlas atlas-requests` recorded between the bridge and the Atlas emulator (its output directory). */
final class ProducedWrites {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One entity write: the request the bridge sent, Atlas's answer, and the entities as stored right after it. */
  static final class Write {
    final String source;
    final String item;
    final String method;
    final String path;
    final int status;
    final JsonNode request;
    final JsonNode response;
    /** guid → GET /v2/entity/guid/{guid}'s entity, for every entity the write created or updated. */
    final JsonNode stored;

    Write(JsonNode line) {
      source = line.path("source").asText();
      item = line.path("item").asText();
      method = line.path("method").asText();
      path = line.path("path").asText();
      status = line.path("status").asInt();
      request = line.path("request");
      response = line.path("response");
      stored = line.path("stored");
    }

    boolean isBulkWrite() {
      return method.equals("POST") && path.equals("/api/atlas/v2/entity/bulk");
    }

    String where() {
      return source + " / " + item;
    }
  }

  final File dir;
  final List<Write> writes = new ArrayList<>();
  /** {create, update, upgradeAttribute}: the bodies of registerTypes' POST and of its GET-then-PUT upgrade. */
  final JsonNode typedefs;
  /** {sources: {name: {posts, writes, entities}}, total, ms}. */
  final JsonNode summary;

  private ProducedWrites(File dir) throws IOException {
    this.dir = dir;
    for (String line : Files.readAllLines(new File(dir, "writes.jsonl").toPath(), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) writes.add(new Write(JSON.readTree(line)));
    }
    typedefs = JSON.readTree(new File(dir, "typedefs.json"));
    summary = JSON.readTree(new File(dir, "summary.json"));
  }

  static ProducedWrites read(File dir) {
    if (!new File(dir, "summary.json").isFile()) {
      throw new IllegalStateException("no produced requests in " + dir + ": run `npx flink-atlas atlas-requests --out " + dir + "` (mvn runs it in generate-test-resources)");
    }
    try {
      return new ProducedWrites(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
