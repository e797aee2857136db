package io.kcconnections.connect.spi.template;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How the client authenticates at the provider's token (and refresh, revoke) endpoint.
 * Names follow the OAuth 2.0 dynamic-registration values (RFC 7591 {@code token_endpoint_auth_method}).
 */
public enum ClientAuthMethod {
    /** {@code client_id} and {@code client_secret} in the request body. */
    CLIENT_SECRET_POST("client_secret_post"),
    /** HTTP Basic with the form-urlencoded client id and secret (RFC 6749 §2.3.1). */
    CLIENT_SECRET_BASIC("client_secret_basic"),
    /** Public client: {@code client_id} in the body, no secret (PKCE carries the proof). */
    NONE("none"),
    /** A JWT signed by the client, sent as {@code client_assertion} (RFC 7523); needs a provider hook for the key. */
    PRIVATE_KEY_JWT("private_key_jwt");

    private final String id;

    ClientAuthMethod(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** Accepts the RFC 7591 name or the short forms {@code post}, {@code basic}. */
    @JsonCreator
    public static ClientAuthMethod of(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        switch (v) {
            case "post":
                return CLIENT_SECRET_POST;
            case "basic":
            case "header":
                return CLIENT_SECRET_BASIC;
            case "jwt":
                return PRIVATE_KEY_JWT;
            default:
                for (ClientAuthMethod m : values()) {
                    if (m.id.equals(v)) {
                        return m;
                    }
                }
                throw new IllegalArgumentException("unknown client auth method '" + value
                        + "' (known: client_secret_post, client_secret_basic, none, private_key_jwt)");
        }
    }
}
