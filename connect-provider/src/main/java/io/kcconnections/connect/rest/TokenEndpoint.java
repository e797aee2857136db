package io.kcconnections.connect.rest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.TokenCodec;
import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.metrics.ConnectMetrics;
import io.kcconnections.connect.oauth.ProviderCallException;
import io.kcconnections.connect.refresh.Refresher;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.ConnectionStatus;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.managers.AuthenticationManager;

/** {@code GET /connect/token/{connection_id}}: a valid access token for the owner or a reader service account. */
final class TokenEndpoint extends EndpointSupport {

    private static final Logger LOG = Logger.getLogger(TokenEndpoint.class);
    private static final long TOUCH_GRANULARITY_MILLIS = 3_600_000;

    private final ConnectMetrics metrics = ConnectMetrics.get();

    TokenEndpoint(KeycloakSession session) {
        super(session);
    }

    Response handle(String connectionId, String providerName) {
        AuthenticationManager.AuthResult auth = null;
        String outcome = "served";
        String provider = providerName;
        try {
            auth = CallerAuth.authenticate(session);
            KeyRing ring = keyRing();
            Connection c;
            try {
                c = visible(auth, connectionId, providerName, true);
            } catch (ApiError e) {
                outcome = e.status() == 403 ? "denied" : e.status() == 404 ? "not_found" : "invalid";
                if (e.status() == 403) {
                    ConnectEvents.tokenDenied(session, realm, auth.client(), auth.user().getId(),
                            providerName == null ? "" : providerName, connectionId, e.code());
                }
                throw e;
            }
            provider = c.provider();
            if (c.status() == ConnectionStatus.NEEDS_REAUTH) {
                outcome = "needs_reauth";
                throw needsReauth(c);
            }
            if (c.status() == ConnectionStatus.PENDING) {
                outcome = "pending";
                throw new ApiError(409, "authorization_pending",
                        "the person has not approved this device authorization yet: poll /connect/connections/{id}");
            }
            if (c.status() == ConnectionStatus.FAILED) {
                outcome = "failed";
                throw new ApiError(409, "connection_failed", "the device authorization ended without tokens ("
                        + ApiError.shown(c.statusReason() == null ? "failed" : c.statusReason()) + "): start again");
            }
            long now = System.currentTimeMillis();
            if (Refresher.due(c, now, marginMillis(c))) {
                if (c.status() == ConnectionStatus.DEGRADED && c.refreshAt() != null && c.refreshAt() > now
                        && c.leaseUntil() == null) {
                    // The provider is in trouble and asked for (or earned) a pause: no call until the backoff ends.
                    if (c.expiresAt() <= now) {
                        outcome = "refresh_backoff";
                        throw new ApiError(502, "refresh_failed", "the token expired and the provider is failing ("
                                + ApiError.shown(c.statusReason()) + "); next attempt in " + (c.refreshAt() - now) / 1000 + " s")
                                .header("Retry-After", String.valueOf(Math.max(1, (c.refreshAt() - now) / 1000)));
                    }
                    outcome = "served_degraded";
                } else {
                    c = refreshForRead(c);
                    outcome = "refreshed";
                }
            } else if (c.expiresAt() != null && c.expiresAt() <= now && !Refresher.renewable(c)) {
                connect.store().markNeedsReauth(c.id(), "expired_without_refresh_token", now);
                outcome = "needs_reauth";
                throw new ApiError(409, "needs_reauth", "the token expired and the provider gave no refresh token: connect again");
            }
            String access;
            try {
                access = TokenCodec.accessToken(ring, c);
            } catch (KeyRing.DecryptionException e) {
                LOG.errorf("connection %s: access token cannot be decrypted: %s", c.id(), e.getMessage());
                outcome = "decryption_failed";
                throw new ApiError(500, "decryption_failed", "the stored token cannot be decrypted with the configured keys");
            }
            if (c.lastUsedAt() == null || c.lastUsedAt() < now - TOUCH_GRANULARITY_MILLIS) {
                connect.store().touch(c.id(), now, TOUCH_GRANULARITY_MILLIS); // at most hourly: reads stay read-only
            }
            ConnectEvents.tokenReleased(session, realm, auth.client(), c.userId(), c.provider(), c.connectionId());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("token", access);
            body.put("token_type", c.tokenType() == null ? "Bearer" : c.tokenType());
            body.put("expires_at", c.expiresAt() == null ? null : Instant.ofEpochMilli(c.expiresAt()).toString());
            body.put("expires_in", c.expiresAt() == null ? null : Math.max(0, (c.expiresAt() - now) / 1000));
            body.put("scopes", c.scopes());
            body.put("connection_id", c.connectionId());
            body.put("provider", c.provider());
            body.put("account_id", c.accountId());
            body.put("status", c.status().id());
            body.put("metadata", c.metadata());
            return json(200, body);
        } catch (ApiError e) {
            if ("served".equals(outcome)) {
                outcome = e.status() == 401 ? "unauthenticated" : e.status() == 503 ? "unavailable" : e.code();
            }
            return e.toResponse();
        } finally {
            metrics.tokenRead(provider, outcome);
        }
    }

    private Connection refreshForRead(Connection c) throws ApiError {
        Refresher.Outcome o = connect.refresher().refresh(session, realm, c, false);
        if (o instanceof Refresher.Failed f && f.connection() == null) {
            throw ApiError.notFound("the connection was removed");
        }
        Connection after = o.connection() == null ? c : o.connection();
        if (o instanceof Refresher.Refreshed) {
            return after;
        }
        if (o instanceof Refresher.Failed f && f.error().kind() == ProviderCallException.Kind.PERMANENT) {
            throw needsReauth(after);
        }
        // Transient failure or another node still busy: the current token is fine while it has not expired.
        if (after.expiresAt() != null && after.expiresAt() > System.currentTimeMillis()) {
            return after;
        }
        String reason = o instanceof Refresher.Failed f ? f.error().getMessage() : "a refresh is still in progress";
        throw new ApiError(502, "refresh_failed", "the token expired and could not be refreshed: " + reason)
                .header("Retry-After", "5");
    }

    private static ApiError needsReauth(Connection c) {
        return new ApiError(409, "needs_reauth", "the provider no longer accepts this connection's grant ("
                + ApiError.shown(c.statusReason() == null ? "revoked" : c.statusReason()) + "): connect again");
    }

    private long marginMillis(Connection c) {
        return Refresher.marginMillis(session, realm, c, connect.settings());
    }
}
