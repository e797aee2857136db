package io.kcconnections.connect.hooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.keycloak.util.JsonSerialization;

/**
 * Sign in with Apple's client secret: an ES256 JWT that the client signs with the team's private key (the {@code .p8}
 * file Apple lets you download once), made fresh for every request.
 * <ul>
 * <li>header {@code alg} ES256, {@code kid} the key id;</li>
 * <li>claims {@code iss} the team id, {@code sub} the client id (the Services ID), {@code aud}
 * {@code https://appleid.apple.com}, {@code iat} now, {@code exp} {@link #LIFETIME_SECONDS} later (Apple allows up to
 * six months; a short life keeps a leaked secret useless).</li>
 * </ul>
 * JDK crypto only ({@code SHA256withECDSAinP1363Format} gives the JWS {@code R || S} form directly). Thread-safe.
 * Error messages never contain the key.
 */
public final class AppleClientSecret {

    /** Apple's audience for client secrets. */
    public static final String AUDIENCE = "https://appleid.apple.com";
    /** Lifetime of one client secret. */
    public static final long LIFETIME_SECONDS = 600;
    /** Team ids and key ids are ten upper-case letters or digits. */
    private static final Pattern APPLE_ID = Pattern.compile("[A-Z0-9]{10}");
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final Clock clock;

    public AppleClientSecret(Clock clock) {
        this.clock = clock;
    }

    /**
     * A signed client secret.
     *
     * @param teamId   the Apple developer team id ({@code iss})
     * @param keyId    the id of the Sign in with Apple key ({@code kid})
     * @param clientId the Services ID the secret is for ({@code sub})
     * @param p8       the private key: the {@code .p8} file's PKCS#8 PEM text (line breaks may be written {@code \n}),
     *                 or its base64 body alone
     * @throws IllegalStateException when an input is missing or the key is not an EC P-256 private key
     */
    public String sign(String teamId, String keyId, String clientId, String p8) {
        requireAppleId("team_id", teamId);
        requireAppleId("key_id", keyId);
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalStateException("the client id is not set");
        }
        PrivateKey key = parse(p8);
        long now = clock.millis() / 1000;
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "ES256");
        header.put("kid", keyId);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", teamId);
        claims.put("iat", now);
        claims.put("exp", now + LIFETIME_SECONDS);
        claims.put("aud", AUDIENCE);
        claims.put("sub", clientId);
        try {
            String input = B64URL.encodeToString(JsonSerialization.writeValueAsBytes(header)) + "."
                    + B64URL.encodeToString(JsonSerialization.writeValueAsBytes(claims));
            Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
            es256.initSign(key);
            es256.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64URL.encodeToString(es256.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the client secret could not be signed (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The EC P-256 private key of a {@code .p8} file. */
    static ECPrivateKey parse(String p8) {
        if (p8 == null || p8.isBlank()) {
            throw new IllegalStateException("the client secret must hold the .p8 private key, and it is empty");
        }
        String text = p8.replace("\\n", "\n").trim();
        if (text.contains("BEGIN EC PRIVATE KEY") || text.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalStateException("the client secret must be the PKCS#8 .p8 key as Apple issues it"
                    + " (-----BEGIN PRIVATE KEY-----)");
        }
        String body = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the client secret is not a .p8 private key (not PEM/base64)");
        }
        try {
            PrivateKey k = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            if (k instanceof ECPrivateKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256) {
                return ec;
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // reported below, without the key material
        }
        throw new IllegalStateException("the client secret is not an EC P-256 private key in PKCS#8 form (the .p8 file)");
    }

    private static void requireAppleId(String what, String value) {
        if (value == null || !APPLE_ID.matcher(value).matches()) {
            throw new IllegalStateException(what + " must be the 10-character Apple identifier"
                    + (value == null ? " and is not set" : ""));
        }
    }
}
