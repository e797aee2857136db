package io.kcconnections.connect.oauth;

import org.keycloak.common.util.Base64Url;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.protocol.oidc.utils.PkceUtils;

/** RFC 7636 helpers (S256 only), over Keycloak's own PKCE, random and base64url utilities. */
public final class Pkce {

    private Pkce() {
    }

    /**
     * A 64-character verifier (48 random bytes, base64url). Not {@link PkceUtils#generateCodeVerifier()}, which makes
     * 86-character ones (64 bytes): the verifiers sent to providers keep their length.
     */
    public static String verifier() {
        return random(48);
    }

    /**
     * The S256 challenge of a verifier: base64url(SHA-256(verifier)). Keycloak hashes the verifier's ISO-8859-1 bytes,
     * the same as its ASCII bytes for the RFC 7636 alphabet that {@link #verifier()} uses.
     */
    public static String challenge(String verifier) {
        return PkceUtils.generateS256CodeChallenge(verifier);
    }

    /** Random bytes as base64url text. */
    public static String random(int bytes) {
        return Base64Url.encode(SecretGenerator.getInstance().randomBytes(bytes));
    }
}
