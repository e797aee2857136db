package io.kcconnections.connect.store;

import java.util.Locale;

/** Health of a connection. */
public enum ConnectionStatus {
    /** Tokens are usable and refresh works. */
    ACTIVE,
    /** Waiting for the person to approve a device authorization; no tokens yet. */
    PENDING,
    /** A device authorization that was denied or expired: nothing to refresh, start again. */
    FAILED,
    /** The last refresh failed for a reason that may pass (5xx, timeout, 429); retried with backoff. */
    DEGRADED,
    /** The grant is gone (invalid_grant, revoked consent, expired without refresh token): the user must connect again. */
    NEEDS_REAUTH;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ConnectionStatus of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
