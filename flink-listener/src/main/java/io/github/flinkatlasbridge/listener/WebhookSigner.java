package io.github.flinkatlasbridge.listener;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, one per secret, separated by
 * spaces, so a receiver holding either the old or the new secret accepts the request while secrets are rotated.
 */
public final class WebhookSigner {
  private final List<byte[]> keys = new ArrayList<>();

  /** @param secrets {@code whsec_<base64>} secrets, separated by spaces or commas */
  public WebhookSigner(String secrets) {
    for (String secret : secrets.split("[\\s,]+")) {
      if (secret.isEmpty()) continue;
      String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
      try {
        keys.add(Base64.getDecoder().decode(encoded));
      } catch (IllegalArgumentException e) {
        // Never echo the secret itself: only where it sits in the list.
        throw new IllegalArgumentException("webhook secret #" + (keys.size() + 1) + " is not whsec_<base64>");
      }
    }
    if (keys.isEmpty()) throw new IllegalArgumentException("no webhook secret given");
  }

  /** The {@code webhook-signature} header value for one request. */
  public String sign(String webhookId, long timestampSeconds, byte[] body) {
    byte[] prefix = (webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
    StringBuilder header = new StringBuilder();
    for (byte[] key : keys) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(prefix);
        mac.update(body);
        if (header.length() > 0) header.append(' ');
        header.append("v1,").append(Base64.getEncoder().encodeToString(mac.doFinal()));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 unavailable in this JDK", e);
      }
    }
    return header.toString();
  }
}
