package io.github.flinkatlasbridge.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
  // The Standard Webhooks specification's own example.
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

  @Test
  void signsAsTheSpecificationsExample() {
    assertEquals(
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        new WebhookSigner(SECRET).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, BODY));
  }

  @Test
  void signsWithEverySecretDuringRotation() {
    String other = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);
    String header = new WebhookSigner(other + ", " + SECRET).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, BODY);
    String[] parts = header.split(" ");
    assertEquals(2, parts.length);
    assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", parts[1]);
    assertFalse(parts[0].equals(parts[1]));
  }

  @Test
  void refusesABadSecretWithoutEchoingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WebhookSigner("whsec_%%%notbase64"));
    assertFalse(e.getMessage().contains("notbase64"));
    assertThrows(IllegalArgumentException.class, () -> new WebhookSigner("  "));
  }
}
