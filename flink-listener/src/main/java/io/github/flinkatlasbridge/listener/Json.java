package io.github.flinkatlasbridge.listener;

import java.util.Collection;
import java.util.Map;

/**
 * A minimal JSON writer for the native events: maps, collections, strings, numbers, booleans and null.
 * Hand-written so the listener jar carries no JSON library that could clash with a job's own.
 */
public final class Json {
  private Json() {}

  /** The JSON text of {@code value}; anything else than the types above is written as its string. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    append(out, value);
    return out.toString();
  }

  static void append(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Number) {
      appendNumber(out, (Number) value);
    } else if (value instanceof Map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        if (!first) out.append(',');
        first = false;
        appendString(out, String.valueOf(entry.getKey()));
        out.append(':');
        append(out, entry.getValue());
      }
      out.append('}');
    } else if (value instanceof Collection) {
      out.append('[');
      boolean first = true;
      for (Object item : (Collection<?>) value) {
        if (!first) out.append(',');
        first = false;
        append(out, item);
      }
      out.append(']');
    } else {
      appendString(out, value.toString());
    }
  }

  private static void appendNumber(StringBuilder out, Number number) {
    // JSON has no NaN or Infinity: such a value is written as a string rather than making the body invalid.
    if (number instanceof Double || number instanceof Float) {
      double d = number.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        appendString(out, number.toString());
        return;
      }
    }
    out.append(number);
  }

  static void appendString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
          // Control characters and lone surrogates are escaped so the body is always valid UTF-8 JSON.
          if (c < 0x20 || (Character.isSurrogate(c) && !isPairedSurrogate(s, i))) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  private static boolean isPairedSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
