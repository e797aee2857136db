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

    private static String hmac(String secret, String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void duringTheOverlapTheHeaderCarriesTheNewSignatureThenThePreviousOneSpaceSeparated() throws Exception {
        String current = WebhookSignature.newSecret();
        String previous = WebhookSignature.newSecret();
        long now = 1_700_000_000_000L;
        String header = WebhookSignature.header(current, previous, now + 1, now, "msg_2", 1700000000, "{\"b\":2}");
        String[] parts = header.split(" ");
        assertEquals(2, parts.length, header);
        assertEquals(hmac(current, "msg_2.1700000000.{\"b\":2}"), parts[0], "the new secret's signature first");
        assertEquals(hmac(previous, "msg_2.1700000000.{\"b\":2}"), parts[1], "then the previous secret's");
        assertNotEquals(parts[0], parts[1]);
    }

    @Test
    void anExpiredOrMissingPreviousSecretIsLeftOut() throws Exception {
        String current = WebhookSignature.newSecret();
        String previous = WebhookSignature.newSecret();
        long now = 1_700_000_000_000L;
        String only = hmac(current, "msg_3.1700000000.{}");
        assertEquals(only, WebhookSignature.header(current, previous, now, now, "msg_3", 1700000000, "{}"), "expired now");
        assertEquals(only, WebhookSignature.header(current, previous, now - 1, now, "msg_3", 1700000000, "{}"));
        assertEquals(only, WebhookSignature.header(current, null, now + 60_000, now, "msg_3", 1700000000, "{}"));
        assertEquals(only, WebhookSignature.header(current, previous, null, now, "msg_3", 1700000000, "{}"));
    }

    @Test
    void theSecretOverlapOptionDefaultsToADayAndRefusesBadValues() {
        assertEquals(86400, ConnectSettings.from(n -> null, java.util.Map.of()).webhookOut().secretOverlapSeconds());
        assertEquals(0, ConnectSettings.from(n -> "webhook-secret-overlap-seconds".equals(n) ? "0" : null,
                java.util.Map.of()).webhookOut().secretOverlapSeconds());
        ConnectSettings bad = ConnectSettings.from(n -> null, java.util.Map.of("CONNECT_WEBHOOK_SECRET_OVERLAP_SECONDS", "-5"));
        assertEquals(86400, bad.webhookOut().secretOverlapSeconds());
        assertTrue(bad.problems().stream().anyMatch(p -> p.contains("WEBHOOK_SECRET_OVERLAP")), bad.problems()::toString);
        assertEquals("86400", ConnectSettings.from(n -> null, java.util.Map.of()).effective()
                .get("webhook-secret-overlap-seconds"));
    }
}
