package io.kcconnections.connect.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import org.keycloak.common.util.SecretGenerator;

/** RFC 7636 helpers (S256 only). */
public final class Pkce {

    private Pkce() {
    }

    /** A 64-character verifier (48 random bytes, base64url). */
    public static String verifier() {
        return random(48);
    }

    public static String challenge(String verifier) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Random bytes as base64url text. */
    public static String random(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(SecretGenerator.getInstance().randomBytes(bytes));
    }
}
