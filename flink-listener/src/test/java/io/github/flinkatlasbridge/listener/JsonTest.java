package io.github.flinkatlasbridge.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void writesNestedValuesInInsertionOrder() {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("id", "3f2a9c1e5b7d4e0f8a6b1c2d3e4f5a6b");
    job.put("parallelism", 4);
    job.put("done", true);
    job.put("error", null);
    job.put("tags", Arrays.asList("a", 1.5));
    assertEquals(
        "{\"id\":\"3f2a9c1e5b7d4e0f8a6b1c2d3e4f5a6b\",\"parallelism\":4,\"done\":true,\"error\":null,\"tags\":[\"a\",1.5]}",
        Json.write(job));
  }

  @Test
  void escapesQuotesControlCharactersAndLoneSurrogates() {
    assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", Json.write("a\"b\\c\nd\u0001"));
    assertEquals("\"\uD83D\uDE00\"", Json.write("\uD83D\uDE00"));
    assertEquals("\"\\ud83d x\"", Json.write("\uD83D x"));
  }

  @Test
  void writesNonFiniteNumbersAsStrings() {
    assertEquals("[\"NaN\",\"Infinity\"]", Json.write(Arrays.asList(Double.NaN, Double.POSITIVE_INFINITY)));
  }
}
