package io.kcconnections.connect.connection;

import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.metrics.ConnectMetrics;
import io.kcconnections.connect.oauth.ProviderCallException;
import io.kcconnections.connect.refresh.Refresher;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.ConnectionStatus;
import io.kcconnections.connect.store.Stores;
import io.kcconnections.connect.store.TokenCodec;
import org.jboss.logging.Logger;
import org.keycloak.models.RealmModel;

/**
 * Step 5 of the connect path, <em>token</em>: a valid access token for the connection's owner or a reader service
 * account. A token within its margin of expiry is refreshed first (step 6, {@link Refresher}); a connection that
 * needs a new consent, waits for a device approval or failed answers 409. Every read is counted by outcome, and
 * every release is an event.
 */
public final class TokenReads {

    private static final Logger LOG = Logger.getLogger(TokenReads.class);
    private static final long TOUCH_GRANULARITY_MILLIS = 3_600_000;

    private final ConnectService connect;

    TokenReads(ConnectService connect) {
        this.connect = connect;
    }

    /** A released token: the connection as it stands after any refresh, and its access token in clear. */
    public record Released(Connection connection, String accessToken, long at) {
    }

    /** Authenticates the caller, then reads; counts the outcome whatever it is. */
    public Released read(String connectionId, String providerName) throws ConnectError {
        Outcome outcome = new Outcome(providerName);
        try {
            return read(Callers.authenticate(connect.session()), connectionId, providerName, outcome);
        } catch (ConnectError e) {
            outcome.failed(e);
            throw e;
        } finally {
            ConnectMetrics.get().tokenRead(outcome.provider, outcome.name);
        }
    }

    /** What a read came to, for the metrics. */
    private static final class Outcome {
        String provider;
        String name = "served";

        Outcome(String provider) {
            this.provider = provider;
        }

        void failed(ConnectError e) {
            if ("served".equals(name)) {
                name = e.status() == 401 ? "unauthenticated" : e.status() == 503 ? "unavailable" : e.code();
            }
        }
    }

    private Released read(Caller caller, String connectionId, String providerName, Outcome outcome) throws ConnectError {
        KeyRing ring = connect.keyRing();
        Connection c = visible(caller, connectionId, providerName, outcome);
        outcome.provider = c.provider();
        usable(c, outcome);
        long now = System.currentTimeMillis();
        c = fresh(c, now, outcome);
        String access;
        try {
            access = TokenCodec.accessToken(ring, c);
        } catch (KeyRing.DecryptionException e) {
            LOG.errorf("connection %s: access token cannot be decrypted: %s", c.id(), e.getMessage());
            outcome.name = "decryption_failed";
            throw new ConnectError(500, "decryption_failed", "the stored token cannot be decrypted with the configured keys");
        }
        Long lastUsed = c.state().lastUsedAt();
        if (lastUsed == null || lastUsed < now - TOUCH_GRANULARITY_MILLIS) {
            // At most hourly: reads stay read-only.
            Stores.connections(connect.session()).touch(c.id(), now, TOUCH_GRANULARITY_MILLIS);
        }
        ConnectEvents.tokenReleased(connect.session(), connect.realm(), caller.client(), c.userId(), c.provider(),
                c.connectionId());
        return new Released(c, access, now);
    }

    private Connection visible(Caller caller, String connectionId, String providerName, Outcome outcome)
            throws ConnectError {
        try {
            return connect.access().visible(caller, connectionId, providerName, true);
        } catch (ConnectError e) {
            outcome.name = e.status() == 403 ? "denied" : e.status() == 404 ? "not_found" : "invalid";
            if (e.status() == 403) {
                ConnectEvents.tokenDenied(connect.session(), connect.realm(), caller.client(), caller.userId(),
                        providerName == null ? "" : providerName, connectionId, e.code());
            }
            throw e;
        }
    }

    /** 409 for a connection that holds no usable grant: needs a new consent, waits for a device approval, failed. */
    private static void usable(Connection c, Outcome outcome) throws ConnectError {
        switch (c.status()) {
            case NEEDS_REAUTH -> {
                outcome.name = "needs_reauth";
                throw needsReauth(c);
            }
            case PENDING -> {
                outcome.name = "pending";
                throw new ConnectError(409, "authorization_pending",
                        "the person has not approved this device authorization yet: poll /connect/connections/{id}");
            }
            case FAILED -> {
                outcome.name = "failed";
                throw new ConnectError(409, "connection_failed", "the device authorization ended without tokens ("
                        + Inputs.shown(c.state().reason() == null ? "failed" : c.state().reason()) + "): start again");
            }
            default -> {
            }
        }
    }

    /** The connection with a token that is not about to expire: refreshed when due, unless the provider is paused. */
    private Connection fresh(Connection c, long now, Outcome outcome) throws ConnectError {
        RealmModel realm = connect.realm();
        Refresher refresher = connect.refresher();
        Long expiresAt = c.tokens().expiresAt();
        if (Refresher.due(c, now, refresher.marginMillis(connect.session(), realm, c))) {
            Long refreshAt = c.tokens().refreshAt();
            if (c.status() == ConnectionStatus.DEGRADED && refreshAt != null && refreshAt > now && c.lease().until() == null) {
                // The provider is in trouble and asked for (or earned) a pause: no call until the backoff ends.
                if (expiresAt <= now) {
                    outcome.name = "refresh_backoff";
                    throw new ConnectError(502, "refresh_failed", "the token expired and the provider is failing ("
                            + Inputs.shown(c.state().reason()) + "); next attempt in " + (refreshAt - now) / 1000 + " s")
                            .header("Retry-After", String.valueOf(Math.max(1, (refreshAt - now) / 1000)));
                }
                outcome.name = "served_degraded";
                return c;
            }
            Connection refreshed = refreshForRead(c);
            outcome.name = "refreshed";
            return refreshed;
        }
        if (expiresAt != null && expiresAt <= now && !Refresher.renewable(c)) {
            Stores.connections(connect.session()).markNeedsReauth(c.id(), "expired_without_refresh_token", now);
            outcome.name = "needs_reauth";
            throw new ConnectError(409, "needs_reauth", "the token expired and the provider gave no refresh token: connect again");
        }
        return c;
    }

    private Connection refreshForRead(Connection c) throws ConnectError {
        Refresher.Outcome o = connect.refresher().refresh(connect.session(), connect.realm(), c, false);
        if (o instanceof Refresher.Failed f && f.connection() == null) {
            throw ConnectError.notFound("the connection was removed");
        }
        Connection after = o.connection() == null ? c : o.connection();
        if (o instanceof Refresher.Refreshed) {
            return after;
        }
        if (o instanceof Refresher.Failed f && f.error().kind() == ProviderCallException.Kind.PERMANENT) {
            throw needsReauth(after);
        }
        // Transient failure or another node still busy: the current token is fine while it has not expired.
        Long expiresAt = after.tokens().expiresAt();
        if (expiresAt != null && expiresAt > System.currentTimeMillis()) {
            return after;
        }
        String reason = o instanceof Refresher.Failed f ? f.error().getMessage() : "a refresh is still in progress";
        throw new ConnectError(502, "refresh_failed", "the token expired and could not be refreshed: " + reason)
                .header("Retry-After", "5");
    }

    private static ConnectError needsReauth(Connection c) {
        return new ConnectError(409, "needs_reauth", "the provider no longer accepts this connection's grant ("
                + Inputs.shown(c.state().reason() == null ? "revoked" : c.state().reason()) + "): connect again");
    }
}
