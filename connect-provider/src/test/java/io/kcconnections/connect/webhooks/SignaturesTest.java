package io.kcconnections.connect.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Each scheme accepts what its sender signs and refuses a changed body, a wrong secret and an old timestamp. */
class SignaturesTest {

    private static final byte[] SECRET = "It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_700_000_000L;

    private static Function<String, String> headers(String... kv) {
        Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m::get;
    }

    private static String hex(byte[] secret, String data) {
        return HexFormat.of().formatHex(Signatures.hmac(secret, data.getBytes(StandardCharsets.UTF_8)));
    }

    private static Signatures.Spec spec(String scheme) {
        return new Signatures.Spec(scheme, "X-Signature", "hex", null, null, 300);
    }

    @Test
    void githubMatchesItsDocumentedExample() {
        // GitHub's documentation: secret "It's a Secret to Everybody", payload "Hello, World!".
        String documented = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assertEquals("sha256=" + hex(SECRET, "Hello, World!"), documented);
        Signatures.Verdict v = Signatures.verify(spec("github"), SECRET, BODY,
                headers("X-Hub-Signature-256", documented, "X-GitHub-Delivery", "d-1"), NOW);
        assertEquals("verified", v.outcome());
        assertEquals("d-1", v.deliveryId());
        assertEquals("bad_signature", Signatures.verify(spec("github"), SECRET, "Hello, World?".getBytes(StandardCharsets.UTF_8),
                headers("X-Hub-Signature-256", documented), NOW).outcome());
        assertEquals("bad_signature", Signatures.verify(spec("github"), "other".getBytes(StandardCharsets.UTF_8), BODY,
                headers("X-Hub-Signature-256", documented), NOW).outcome());
        assertEquals("malformed", Signatures.verify(spec("github"), SECRET, BODY, headers(), NOW).outcome());
    }

    @Test
    void slackSignsVersionTimestampAndBody() {
        String ts = String.valueOf(NOW);
        String sig = "v0=" + hex(SECRET, "v0:" + ts + ":Hello, World!");
        assertEquals("verified", Signatures.verify(spec("slack"), SECRET, BODY,
                headers("X-Slack-Signature", sig, "X-Slack-Request-Timestamp", ts), NOW + 299).outcome());
        assertEquals("expired", Signatures.verify(spec("slack"), SECRET, BODY,
                headers("X-Slack-Signature", sig, "X-Slack-Request-Timestamp", ts), NOW + 301).outcome());
        assertEquals("bad_signature", Signatures.verify(spec("slack"), SECRET, BODY,
                headers("X-Slack-Signature", sig, "X-Slack-Request-Timestamp", String.valueOf(NOW + 1)), NOW).outcome());
    }

    @Test
    void stripeSignsTimestampDotBodyAndDeduplicatesByEventId() {
        byte[] body = "{\"id\":\"evt_123\",\"type\":\"charge.succeeded\"}".getBytes(StandardCharsets.UTF_8);
        String t = String.valueOf(NOW);
        String v1 = hex(SECRET, t + "." + new String(body, StandardCharsets.UTF_8));
        Signatures.Verdict v = Signatures.verify(spec("stripe"), SECRET, body,
                headers("Stripe-Signature", "t=" + t + ",v1=deadbeef,v1=" + v1 + ",v0=00"), NOW);
        assertEquals("verified", v.outcome());
        assertEquals("evt_123", v.deliveryId());
        assertEquals("evt:evt_123", v.replayKey());
        assertEquals("expired", Signatures.verify(spec("stripe"), SECRET, body,
                headers("Stripe-Signature", "t=" + t + ",v1=" + v1), NOW - 301).outcome());
        assertEquals("bad_signature", Signatures.verify(spec("stripe"), SECRET, BODY,
                headers("Stripe-Signature", "t=" + t + ",v1=" + v1), NOW).outcome());
        assertEquals("malformed", Signatures.verify(spec("stripe"), SECRET, body,
                headers("Stripe-Signature", "v1=" + v1), NOW).outcome());
    }

    @Test
    void genericHmacInHexOrBase64WithAPrefix() {
        byte[] mac = Signatures.hmac(SECRET, BODY);
        Signatures.Spec b64 = new Signatures.Spec("hmac-sha256", "X-Sig", "base64", "sha256=", "X-Id", 300);
        Signatures.Verdict v = Signatures.verify(b64, SECRET, BODY,
                headers("X-Sig", "sha256=" + Base64.getEncoder().encodeToString(mac), "X-Id", "42"), NOW);
        assertEquals("verified", v.outcome());
        assertEquals("id:42", v.replayKey());
        assertEquals("bad_signature", Signatures.verify(b64, SECRET, BODY,
                headers("X-Sig", "sha256=" + HexFormat.of().formatHex(mac)), NOW).outcome());
        Signatures.Spec hex = new Signatures.Spec("hmac-sha256", "X-Sig", "hex", null, null, 300);
        Signatures.Verdict h = Signatures.verify(hex, SECRET, BODY, headers("X-Sig", HexFormat.of().formatHex(mac)), NOW);
        assertEquals("verified", h.outcome());
        assertNotEquals(null, h.replayKey());
        assertEquals("bad_signature", Signatures.verify(hex, SECRET, BODY, headers("X-Sig", "zz"), NOW).outcome());
    }
}
