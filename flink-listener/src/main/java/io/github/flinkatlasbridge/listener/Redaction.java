package io.github.flinkatlasbridge.listener;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets never leave the JVM: connector options and database properties are redacted before an event is
 * serialised, with the same rules as the bridge's own (lib/contract/secrets.ts), so a secret is neither in the
 * request, nor in a log line, nor in the retry queue.
 */
public final class Redaction {
  private Redaction() {}

  /** Flink's own placeholder (ConfigurationUtils.hideSensitiveValues). */
  public static final String REDACTED = "******";

  // Parts of an option key that mark its value as secret. `key` alone is not one: `key.format`, `key.fields`,
  // `sink.partitioner-key` and `scan.key...` are ordinary options; only the names of real keys are listed.
  private static final String[] SECRET_KEY_PARTS = {
    "password", "passwd", "secret", "token", "jaas.config", "apikey", "api-key", "api_key",
    "auth-params", "authparams", "basic-auth", "basic.auth", "user-info", "user.info", "userinfo",
    "private-key", "private.key", "privatekey", "access-key", "access.key", "accesskey",
    "fs.azure.account.key", "fs.azure.sas", "keystore.key", "keystore.certificate", "http-headers", "service-key",
    "credentials.json", "keyfile", "ssl.key.password", "sasl.client.callback", "oauthbearer",
  };

  /** True when an option key names a secret (case-insensitive). */
  public static boolean isSecretKey(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    for (String part : SECRET_KEY_PARTS) if (lower.contains(part)) return true;
    return false;
  }

  // `scheme://user:password@host`: the password of a URL's user info.
  private static final Pattern URL_USER_INFO = Pattern.compile("(\\b[a-z][a-z0-9+.-]*://[^/:@\\s?#]*:)([^@\\s/?#]+)@", Pattern.CASE_INSENSITIVE);
  // `password=...` in a JDBC URL's query or property list; it ends at blanks, quotes and brackets too, as a URL
  // quoted in an exception message or a stack trace does.
  private static final Pattern PASSWORD_PARAMETER =
      Pattern.compile("([?&;](?:password|pwd|passwd|secret|token|sastoken|accesskey|secretkey)=)([^&;\\s\"'()]*)", Pattern.CASE_INSENSITIVE);
  // A JAAS line anywhere (e.g. in a value whose key does not say so): its password="..." part.
  private static final Pattern JAAS_PASSWORD = Pattern.compile("((?:password|secret|token)\\s*=\\s*)(\"[^\"]*\"|'[^']*'|[^\\s;()\"']+)", Pattern.CASE_INSENSITIVE);

  /** A value that is not secret by its key can still carry one: a password in a JDBC URL or a JAAS line. */
  public static String redactValue(String value) {
    if (value == null) return null;
    String out = URL_USER_INFO.matcher(value).replaceAll("$1" + REDACTED + "@");
    out = PASSWORD_PARAMETER.matcher(out).replaceAll("$1" + REDACTED);
    return JAAS_PASSWORD.matcher(out).replaceAll("$1" + REDACTED);
  }

  // `'key' = 'value'` pairs in SQL (WITH clauses, OPTIONS hints): the value of a secret key.
  private static final Pattern SQL_OPTION = Pattern.compile("'((?:[^']|'')*)'(\\s*=\\s*)'((?:[^']|'')*)'");

  /** SQL text with the values of secret options replaced, e.g. in a view's {@code /*+ OPTIONS('password'='x') *}{@code /}. */
  public static String redactSql(String sql) {
    if (sql == null) return null;
    Matcher m = SQL_OPTION.matcher(sql);
    StringBuffer out = new StringBuffer();
    while (m.find()) {
      String replacement = isSecretKey(m.group(1)) ? "'" + m.group(1) + "'" + m.group(2) + "'" + REDACTED + "'" : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return redactValue(out.toString());
  }

  /** Options with each secret value replaced by {@code ******}; keys are kept so a steward sees one is set. */
  public static Map<String, String> redactOptions(Map<String, String> options) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : options.entrySet()) {
      out.put(e.getKey(), isSecretKey(e.getKey()) ? REDACTED : redactValue(e.getValue()));
    }
    return out;
  }
}
