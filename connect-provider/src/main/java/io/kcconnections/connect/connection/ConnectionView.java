package io.kcconnections.connect.connection;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.kcconnections.connect.store.Connection;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/** How a connection is shown to users and admins: state and identity, never a token. */
public final class ConnectionView {

    private ConnectionView() {
    }

    public static Map<String, Object> of(Connection c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connection_id", c.connectionId());
        m.put("provider", c.provider());
        m.put("account_id", c.identity().accountId());
        m.put("account_name", c.identity().accountName());
        m.put("scopes", c.tokens().scopes());
        m.put("status", c.status().id());
        m.put("status_reason", c.state().reason());
        m.put("expires_at", time(c.tokens().expiresAt()));
        m.put("last_refresh_at", time(c.state().lastRefreshAt()));
        m.put("last_error_at", time(c.state().lastErrorAt()));
        m.put("failure_count", c.state().failureCount());
        m.put("last_used_at", time(c.state().lastUsedAt()));
        m.put("created_at", time(c.state().createdAt()));
        m.put("updated_at", time(c.state().updatedAt()));
        m.put("metadata", c.tokens().metadata());
        m.put("grant_type", c.grant().type().id());
        m.put("has_refresh_token", c.hasRefreshToken());
        return m;
    }

    /**
     * The person's view adds {@code app}: the client id of the app that made the connection, when it was recorded and
     * the client still exists (else null).
     */
    public static Map<String, Object> forOwner(Connection c, RealmModel realm) {
        Map<String, Object> m = of(c);
        String app = c.identity().appClient();
        ClientModel client = app == null ? null : realm.getClientById(app);
        m.put("app", client == null ? null : client.getClientId());
        return m;
    }

    /** The admin view is the person's view plus the owner (the user, or the client of a client connection). */
    public static Map<String, Object> forAdmin(Connection c, RealmModel realm) {
        Map<String, Object> m = forOwner(c, realm);
        m.put("user_id", c.userId());
        m.put("owner_client", c.identity().ownerClient());
        return m;
    }

    private static String time(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }
}
