package io.kcconnections.connect.refresh;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.oauth.ProviderCallException;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.ConnectionStatus;
import io.kcconnections.connect.outbox.Outbox;
import io.kcconnections.connect.store.Stores;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * A failed refresh, recorded on the row while the lease is still the caller's: a permanent error needs a new consent,
 * a transient one is retried later with exponential backoff (never sooner than the provider's Retry-After).
 */
final class RefreshFailures {

    private static final Logger LOG = Logger.getLogger(RefreshFailures.class);
    private static final long BACKOFF_BASE_MILLIS = 30_000;
    private static final long BACKOFF_CAP_MILLIS = 3_600_000;

    private RefreshFailures() {
    }

    static Refresher.Outcome record(Refresher refresher, KeycloakSession session, RealmModel realm, Connection c, String owner,
                                    ProviderCallException e) {
        long now = System.currentTimeMillis();
        ConnectionStatus status;
        Long refreshAt;
        int failures = c.state().failureCount() + 1;
        if (e.kind() == ProviderCallException.Kind.PERMANENT) {
            status = ConnectionStatus.NEEDS_REAUTH;
            refreshAt = null;
            LOG.infof("connection %s (%s) needs a new consent: %s", c.id(), c.provider(), e.getMessage());
        } else {
            status = ConnectionStatus.DEGRADED;
            refreshAt = now + backoffMillis(failures, e.retryAfterSeconds());
            LOG.infof("connection %s (%s) refresh failed (%s), attempt %d; next try in %d s", c.id(), c.provider(),
                    e.getMessage(), failures, (refreshAt - now) / 1000);
        }
        boolean written = refresher.inTx(s -> {
            boolean w = Stores.leases(s).failRefresh(c.id(), owner, status, e.code(), failures, refreshAt, now);
            if (w) { // queued with the failure, in its transaction
                Outbox.record(s, refresher.providers().registry(), c, status == ConnectionStatus.NEEDS_REAUTH
                        ? Outbox.NEEDS_REAUTH : Outbox.REFRESH_FAILED, Map.of("status", status.id(), "reason", e.code(),
                        "failures", failures));
            }
            return w;
        });
        if (written) {
            if (status == ConnectionStatus.NEEDS_REAUTH) {
                ConnectEvents.needsReauth(session, realm, c.userId(), c.provider(), c.connectionId(), e.code());
            } else {
                ConnectEvents.refreshFailed(session, realm, c.userId(), c.provider(), c.connectionId(), e.code(), failures);
            }
        }
        return new Refresher.Failed(refresher.read(c.id()), e);
    }

    /** Exponential backoff with ±20% jitter, never sooner than the provider's Retry-After. */
    static long backoffMillis(int failures, Long retryAfterSeconds) {
        long exp = BACKOFF_BASE_MILLIS << Math.min(failures - 1, 16);
        long b = Math.min(exp, BACKOFF_CAP_MILLIS);
        b = (long) (b * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        if (retryAfterSeconds != null) {
            b = Math.max(b, retryAfterSeconds * 1000);
        }
        return b;
    }
}
