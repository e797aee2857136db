package io.kcconnections.connect.store;

import java.util.Locale;

/** How a connection got (and renews) its tokens. */
public enum GrantType {
    /** A person's consent in the browser (authorization code, PKCE); renewed with the refresh token. */
    AUTHORIZATION_CODE,
    /** A person's consent on another device (RFC 8628); renewed with the refresh token once authorized. */
    DEVICE_CODE,
    /** The app's own credentials (no person); renewed by running the grant again before expiry. */
    CLIENT_CREDENTIALS;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Null (rows written before the column existed) reads as {@link #AUTHORIZATION_CODE}. */
    public static GrantType of(String id) {
        return id == null ? AUTHORIZATION_CODE : valueOf(id.toUpperCase(Locale.ROOT));
    }
}
