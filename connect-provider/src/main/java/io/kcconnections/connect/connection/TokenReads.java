package io.kcconnections.connect.connection;

import java.util.List;
import java.util.Map;

import io.kcconnections.connect.catalog.ProviderRegistry;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.mcp.McpConnect;
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

    /**
     * Which connection to read: by connection id (and provider when several share it), or by provider alone (the
     * caller's one connection of that provider; a reader names the person with {@code userId}).
     *
     * @param redirectUri where a connect URL in a {@code not_connected} or {@code needs_reauth} answer returns to
     *                    (one of the app's redirect URIs); none: Keycloak's "you can close this page"
     */
    public record Lookup(String connectionId, String provider, String userId, String redirectUri) {
    }

    /** Authenticates the caller, then reads; counts the outcome whatever it is. */
    public Released read(Lookup lookup) throws ConnectError {
        // Metrics are tagged with configured provider names only: a caller's made-up names must not grow the registry.
        String named = lookup.provider();
        Outcome outcome = new Outcome(named != null && (connect.registry().templates().containsKey(named)
                || McpConnect.PROVIDER.equals(named)) ? named : "unknown");
        try {
            return read(Callers.authenticate(connect.session()), lookup, outcome);
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

    private Released read(Caller caller, Lookup lookup, Outcome outcome) throws ConnectError {
        Throttle.tokenRead(connect, caller);
        KeyRing ring = connect.keyRing();
        Connection c = lookup.connectionId() != null ? visible(caller, lookup.connectionId(), lookup.provider(), outcome)
                : byProvider(caller, lookup, outcome);
        outcome.provider = c.provider();
        if (!connect.access().mayRead(caller, c)) {
            outcome.name = "denied";
            ConnectEvents.tokenDenied(connect.session(), connect.realm(), caller.client(), caller.userId(), c.provider(),
                    c.connectionId(), "client_not_allowed");
            throw ConnectError.forbidden("client_not_allowed", "this connection was made through another app; the "
                    + "provider's allowed clients do not include this one");
        }
        Throttle.connectionRead(connect, c);
        try {
            usable(c, outcome);
            c = fresh(c, System.currentTimeMillis(), outcome);
        } catch (ConnectError e) {
            throw "needs_reauth".equals(e.code()) ? e.with("connect_url", reconnectUrl(caller, c, lookup)) : e;
        }
        long now = System.currentTimeMillis();
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

    /**
     * The one connection of a provider the caller may read without naming it: the caller's own; a named person's,
     * for a reader; the client's own, for a service account. 404 {@code not_connected} (with a connect URL for the
     * person) when there is none, 400 {@code ambiguous_connection} (with their ids) when there are several.
     */
    private Connection byProvider(Caller caller, Lookup lookup, Outcome outcome) throws ConnectError {
        String provider = lookup.provider();
        if (provider == null || !Inputs.PROVIDER_NAME.matcher(provider).matches()) {
            outcome.name = "invalid";
            throw ConnectError.badRequest("invalid_request", "give a connection id, or a provider");
        }
        List<Connection> found = connect.access().list(caller, lookup.userId()).stream()
                .filter(c -> c.provider().equals(provider)).toList();
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.isEmpty()) {
            outcome.name = "not_connected";
            String person = lookup.userId() != null ? lookup.userId() : caller.isServiceAccount() ? null : caller.userId();
            throw new ConnectError(404, "not_connected", "no connection of provider " + Inputs.shown(provider)
                    + " is stored for this person").with("connect_url", connect.authorizations().connectUrl(person,
                    caller.client(), provider, null, lookup.redirectUri(), Map.of()));
        }
        outcome.name = "ambiguous";
        throw ConnectError.badRequest("ambiguous_connection", "several connections of provider " + Inputs.shown(provider)
                + " are stored: name one").with("connection_ids", found.stream().map(Connection::connectionId).toList());
    }

    /** A start URL that connects the same connection again, for its person; null for a client's own connection. */
    private String reconnectUrl(Caller caller, Connection c, Lookup lookup) {
        Map<String, String> metadata = c.tokens().metadata();
        Map<String, String> values = McpConnect.PROVIDER.equals(c.provider()) ? metadata
                : ProviderRegistry.connectionValues(metadata);
        return connect.authorizations().connectUrl(c.userId(), caller.client(), c.provider(), c.connectionId(),
                lookup.redirectUri(), values);
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
            Stores.connections(connect.session()).markNeedsReauth(c.id(), c.state().version(),
                    "expired_without_refresh_token", now);
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
