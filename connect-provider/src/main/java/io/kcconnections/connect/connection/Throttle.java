package io.kcconnections.connect.connection;

import io.kcconnections.connect.limits.RateLimits;
import io.kcconnections.connect.limits.RateLimits.Kind;
import io.kcconnections.connect.metrics.ConnectMetrics;
import io.kcconnections.connect.store.Connection;
import org.keycloak.models.RealmModel;

/**
 * The connect API's rate limits, token buckets of this node ({@link RateLimits}): token reads for each user and for
 * each client, connect starts for each user and for each client, token reads of each connection, and verified
 * deliveries to each webhook route (at the route's own allowance, {@link #webhookDelivery}). The allowance
 * per minute is the realm attribute {@code connect.rate-limit.<kind>} (for connection reads first
 * {@code connect.rate-limit.connection-reads.<provider>}), else the server option {@code rate-limit-<kind>-per-minute};
 * 0 is no limit. Beyond it: 429 {@code rate_limited} with {@code Retry-After} in seconds, and nothing is done.
 */
final class Throttle {

    static final String ATTRIBUTE = "connect.rate-limit.";

    private Throttle() {
    }

    static void tokenRead(ConnectService connect, Caller caller) throws ConnectError {
        perCaller(connect, Kind.TOKEN_READS, caller);
    }

    static void connectStart(ConnectService connect, Caller caller) throws ConnectError {
        perCaller(connect, Kind.CONNECT_STARTS, caller);
    }

    static void connectionRead(ConnectService connect, Connection c) throws ConnectError {
        check(connect, Kind.CONNECTION_READS, "x:" + c.id(), c.provider());
    }

    /** One verified delivery to a webhook route (its row id), at the route's allowance a minute (0: none). */
    static void webhookDelivery(ConnectService connect, String routeId, int perMinute) throws ConnectError {
        limit(connect, Kind.WEBHOOK_DELIVERIES, "w:" + routeId, perMinute);
    }

    private static void perCaller(ConnectService connect, Kind kind, Caller caller) throws ConnectError {
        if (caller.userId() != null) {
            check(connect, kind, "u:" + caller.userId(), null);
        }
        if (caller.client() != null) {
            check(connect, kind, "c:" + caller.client().getId(), null);
        }
    }

    private static void check(ConnectService connect, Kind kind, String key, String provider) throws ConnectError {
        limit(connect, kind, key, allowance(connect, connect.realm(), kind, provider));
    }

    private static void limit(ConnectService connect, Kind kind, String key, int perMinute) throws ConnectError {
        long wait = connect.limits().take(kind, connect.realm().getId() + ':' + key, perMinute);
        if (wait > 0) {
            ConnectMetrics.get().rateLimited(kind.id());
            throw new ConnectError(429, "rate_limited", "too many " + kind.id().replace('-', ' ')
                    + " in a minute; try again later").header("Retry-After", String.valueOf((wait + 999) / 1000));
        }
    }

    /** The per-minute allowance in this realm: its attribute (per provider first), else the server's option. */
    static int allowance(ConnectService connect, RealmModel realm, Kind kind, String provider) {
        String v = provider == null ? null : realm.getAttribute(ATTRIBUTE + kind.id() + "." + provider);
        if (v == null || v.isBlank()) {
            v = realm.getAttribute(ATTRIBUTE + kind.id());
        }
        if (v != null && !v.isBlank()) {
            try {
                int n = Integer.parseInt(v.trim());
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // an unreadable attribute falls back to the server's option
            }
        }
        return connect.settings().rateLimit(kind);
    }
}
