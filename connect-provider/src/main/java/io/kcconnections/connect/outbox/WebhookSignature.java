package io.kcconnections.connect.outbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature (standardwebhooks.com): {@code webhook-signature: v1,<base64 HMAC-SHA256>} over
 * {@code {webhook-id}.{webhook-timestamp}.{body}}, keyed with the base64-decoded part of the {@code whsec_…} secret.
 * Any Standard Webhooks (or Svix) library verifies it. While an endpoint's previous secret still signs after a
 * rotation, the header carries two signatures, space-separated, the current secret's first (the spec's way of letting
 * receivers rotate: a receiver accepts the delivery when any one of them verifies).
 */
public final class WebhookSignature {

    public static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {
    }

    /** A new secret: {@code whsec_} and 32 random bytes in base64. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The {@code webhook-signature} header of one delivery: the current secret's signature, then, while
     * {@code previousExpiresAt} (epoch millis) is after {@code now}, the previous secret's, space-separated.
     *
     * @param previous the previous secret, or null when none is kept
     */
    public static String header(String current, String previous, Long previousExpiresAt, long now, String id,
                                long timestampSeconds, String body) {
        String signature = sign(current, id, timestampSeconds, body);
        if (previous != null && previousExpiresAt != null && now < previousExpiresAt) {
            return signature + " " + sign(previous, id, timestampSeconds, body);
        }
        return signature;
    }

    /** {@code v1,<signature>} of one delivery. */
    public static String sign(String secret, String id, long timestampSeconds, String body) {
        String key = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
            byte[] sig = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
