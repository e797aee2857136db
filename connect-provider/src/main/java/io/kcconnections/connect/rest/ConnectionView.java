package io.kcconnections.connect.rest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.kcconnections.connect.store.Connection;

/** How a connection is shown to users and admins: state and identity, never a token. */
public final class ConnectionView {

    private ConnectionView() {
    }

    public static Map<String, Object> of(Connection c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connection_id", c.connectionId());
        m.put("provider", c.provider());
        m.put("account_id", c.accountId());
        m.put("account_name", c.accountName());
        m.put("scopes", c.scopes());
        m.put("status", c.status().id());
        m.put("status_reason", c.statusReason());
        m.put("expires_at", time(c.expiresAt()));
        m.put("last_refresh_at", time(c.lastRefreshAt()));
        m.put("last_error_at", time(c.lastErrorAt()));
        m.put("failure_count", c.failureCount());
        m.put("last_used_at", time(c.lastUsedAt()));
        m.put("created_at", time(c.createdAt()));
        m.put("updated_at", time(c.updatedAt()));
        m.put("metadata", c.metadata());
        m.put("grant_type", c.grantType().id());
        return m;
    }

    /** The admin view adds the owner. */
    public static Map<String, Object> forAdmin(Connection c) {
        Map<String, Object> m = of(c);
        m.put("user_id", c.userId());
        m.put("owner_client", c.ownerClient());
        return m;
    }

    private static String time(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }
}
