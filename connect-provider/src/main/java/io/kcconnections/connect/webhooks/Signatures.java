package io.kcconnections.connect.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature schemes of webhook senders, each as its sender documents it, all HMAC-SHA256 compared in constant time
 * ({@link MessageDigest#isEqual}). Pure: no Keycloak, no storage, so each scheme is unit-tested with its documented
 * example.
 * <ul>
 * <li>{@code github}: {@code X-Hub-Signature-256: sha256=<hex HMAC of the raw body>}; delivery id {@code X-GitHub-Delivery}.</li>
 * <li>{@code slack}: {@code X-Slack-Signature: v0=<hex HMAC of "v0:{X-Slack-Request-Timestamp}:{body}">}, the
 * timestamp within the window; de-duplicated by timestamp and signature.</li>
 * <li>{@code stripe}: {@code Stripe-Signature: t=<seconds>,v1=<hex HMAC of "{t}.{body}">[,v1=…]}, {@code t} within the
 * window; de-duplicated by the event id of the body (else by the signature).</li>
 * <li>{@code hmac-sha256}: a configured header, optional prefix (e.g. {@code sha256=}), hex or base64 HMAC of the raw
 * body; de-duplicated by a configured delivery-id header, else by the signature.</li>
 * </ul>
 */
public final class Signatures {

    public static final List<String> SCHEMES = List.of("github", "slack", "stripe", "hmac-sha256");

    /** How a route's deliveries are signed (the stored route without its secret). */
    public record Spec(String scheme, String header, String encoding, String prefix, String deliveryIdHeader,
                       int toleranceSeconds) {
    }

    /**
     * What a delivery is: {@code verified}, {@code bad_signature}, {@code expired} (authentic but its timestamp is
     * outside the window) or {@code malformed} (a header missing or unreadable).
     *
     * @param replayKey  what identifies the delivery for de-duplication (verified only)
     * @param deliveryId the sender's id of the delivery as shown to admins (may be null; never a secret)
     */
    public record Verdict(String outcome, String replayKey, String deliveryId) {
        public boolean verified() {
            return "verified".equals(outcome);
        }
    }

    private Signatures() {
    }

    /**
     * @param headers a request header by name (case-insensitive), null when absent
     * @param now     epoch seconds
     */
    public static Verdict verify(Spec spec, byte[] secret, byte[] body, Function<String, String> headers, long now) {
        return switch (spec.scheme()) {
            case "github" -> github(secret, body, headers);
            case "slack" -> slack(spec, secret, body, headers, now);
            case "stripe" -> stripe(spec, secret, body, headers, now);
            case "hmac-sha256" -> generic(spec, secret, body, headers);
            default -> new Verdict("malformed", null, null);
        };
    }

    private static Verdict github(byte[] secret, byte[] body, Function<String, String> headers) {
        String sig = headers.apply("X-Hub-Signature-256");
        String id = headers.apply("X-GitHub-Delivery");
        if (sig == null || !sig.startsWith("sha256=")) {
            return new Verdict("malformed", null, id);
        }
        boolean ok = equalHex(hmac(secret, body), sig.substring(7));
        return new Verdict(ok ? "verified" : "bad_signature", id != null ? "id:" + id : "sig:" + sig, id);
    }

    private static Verdict slack(Spec spec, byte[] secret, byte[] body, Function<String, String> headers, long now) {
        String sig = headers.apply("X-Slack-Signature");
        String ts = headers.apply("X-Slack-Request-Timestamp");
        Long t = seconds(ts);
        if (sig == null || !sig.startsWith("v0=") || t == null) {
            return new Verdict("malformed", null, ts);
        }
        byte[] base = concat(("v0:" + ts + ":").getBytes(StandardCharsets.UTF_8), body);
        if (!equalHex(hmac(secret, base), sig.substring(3))) {
            return new Verdict("bad_signature", null, ts);
        }
        return new Verdict(within(t, now, spec) ? "verified" : "expired", "ts:" + ts + ":" + sig, ts);
    }

    private static Verdict stripe(Spec spec, byte[] secret, byte[] body, Function<String, String> headers, long now) {
        String header = headers.apply("Stripe-Signature");
        if (header == null) {
            return new Verdict("malformed", null, null);
        }
        String ts = null;
        List<String> v1 = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String k = part.substring(0, eq).trim();
                if (k.equals("t")) {
                    ts = part.substring(eq + 1).trim();
                } else if (k.equals("v1")) {
                    v1.add(part.substring(eq + 1).trim());
                }
            }
        }
        Long t = seconds(ts);
        if (t == null || v1.isEmpty()) {
            return new Verdict("malformed", null, null);
        }
        byte[] expected = hmac(secret, concat((ts + ".").getBytes(StandardCharsets.UTF_8), body));
        boolean ok = false;
        for (String s : v1) {
            ok |= equalHex(expected, s);
        }
        if (!ok) {
            return new Verdict("bad_signature", null, null);
        }
        String eventId = StripeEvents.id(body);
        return new Verdict(within(t, now, spec) ? "verified" : "expired",
                eventId != null ? "evt:" + eventId : "sig:" + ts + ":" + v1.get(0), eventId);
    }

    private static Verdict generic(Spec spec, byte[] secret, byte[] body, Function<String, String> headers) {
        String sig = headers.apply(spec.header());
        String id = spec.deliveryIdHeader() == null ? null : headers.apply(spec.deliveryIdHeader());
        String prefix = spec.prefix() == null ? "" : spec.prefix();
        if (sig == null || !sig.startsWith(prefix)) {
            return new Verdict("malformed", null, id);
        }
        String value = sig.substring(prefix.length()).trim();
        byte[] expected = hmac(secret, body);
        boolean ok = "base64".equals(spec.encoding()) ? equalBase64(expected, value) : equalHex(expected, value);
        return new Verdict(ok ? "verified" : "bad_signature", id != null ? "id:" + id : "sig:" + value, id);
    }

    static byte[] hmac(byte[] secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static boolean equalHex(byte[] expected, String given) {
        byte[] g;
        try {
            g = HexFormat.of().parseHex(given.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, g);
    }

    private static boolean equalBase64(byte[] expected, String given) {
        byte[] g;
        try {
            g = Base64.getDecoder().decode(given);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, g);
    }

    private static boolean within(long t, long now, Spec spec) {
        return Math.abs(now - t) <= spec.toleranceSeconds();
    }

    private static Long seconds(String s) {
        if (s == null || s.isBlank() || s.length() > 12) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
