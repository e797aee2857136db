package io.kcconnections.connect.outbox;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.kcconnections.connect.config.ConnectSettings;
import io.kcconnections.connect.config.WebhookOutSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSignatureTest {

    /** The test vector the Standard Webhooks reference libraries (and Svix's) sign and verify. */
    @Test
    void signsTheStandardWebhooksTestVector() {
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSignature.sign(
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}"));
    }

    @Test
    void newSecretsAreWhsecAnd32RandomBytesThatVerifyIndependently() throws Exception {
        String secret = WebhookSignature.newSecret();
        assertTrue(secret.startsWith("whsec_"));
        byte[] key = Base64.getDecoder().decode(secret.substring(6));
        assertEquals(32, key.length);
        assertNotEquals(secret, WebhookSignature.newSecret());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal("msg_1.1700000000.{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, WebhookSignature.sign(secret, "msg_1", 1700000000, "{\"a\":1}"));
    }

    @Test
    void backoffFollowsTheOptionAndRepeatsItsLastValue() {
        WebhookOutSettings s = ConnectSettings.from(n -> null, java.util.Map.of(
                "CONNECT_WEBHOOK_OUT_BACKOFF_SECONDS", "5,30,120")).webhookOut();
        assertEquals(List.of(5, 30, 120), s.backoffSeconds());
        assertEquals(5_000, s.backoffMillis(1));
        assertEquals(30_000, s.backoffMillis(2));
        assertEquals(120_000, s.backoffMillis(3));
        assertEquals(120_000, s.backoffMillis(9));
        ConnectSettings bad = ConnectSettings.from(n -> null, java.util.Map.of("CONNECT_WEBHOOK_OUT_BACKOFF_SECONDS", "5,x"));
        assertEquals(List.of(5, 30, 120, 600, 3600), bad.webhookOut().backoffSeconds());
        assertTrue(bad.problems().stream().anyMatch(p -> p.contains("WEBHOOK_OUT_BACKOFF")));
    }
}
