package io.kcconnections.connect.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.TokenCodec;
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

    TokenEndpoint(KeycloakSession session) {
        super(session);
    }

    Response handle(String connectionId, String providerName) {
        try {
            AuthenticationManager.AuthResult auth = CallerAuth.authenticate(session);
            KeyRing ring = keyRing();
            Connection c = findReadable(auth, connectionId, providerName);
            if (c.status() == ConnectionStatus.NEEDS_REAUTH) {
                throw needsReauth(c);
            }
            long now = System.currentTimeMillis();
            long margin = marginMillis(c);
            if (Refresher.due(c, now, margin)) {
                c = refreshForRead(c, now);
            } else if (c.expiresAt() != null && c.expiresAt() <= now && !c.hasRefreshToken()) {
                connect.store().markNeedsReauth(c.id(), "expired_without_refresh_token", now);
                throw new ApiError(409, "needs_reauth", "the token expired and the provider gave no refresh token: connect again");
            }
            String access;
            try {
                access = TokenCodec.accessToken(ring, c);
            } catch (KeyRing.DecryptionException e) {
                LOG.errorf("connection %s: access token cannot be decrypted: %s", c.id(), e.getMessage());
                throw new ApiError(500, "decryption_failed", "the stored token cannot be decrypted with the configured keys");
            }
            connect.store().touch(c.id(), now, TOUCH_GRANULARITY_MILLIS);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("token", access);
            body.put("token_type", c.tokenType() == null ? "Bearer" : c.tokenType());
            body.put("expires_at", c.expiresAt() == null ? null : Instant.ofEpochMilli(c.expiresAt()).toString());
            body.put("expires_in", c.expiresAt() == null ? null : Math.max(0, (c.expiresAt() - now) / 1000));
            body.put("scopes", c.scopes());
            body.put("connection_id", c.connectionId());
            body.put("provider", c.provider());
            body.put("account_id", c.accountId());
            body.put("metadata", c.metadata());
            return json(200, body);
        } catch (ApiError e) {
            return e.toResponse();
        }
    }

    private Connection refreshForRead(Connection c, long now) throws ApiError {
        Refresher.Outcome o = connect.refresher().refresh(session, realm, c, false);
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
        ResolvedProvider p = connect.registry().find(session, realm, c.provider());
        Integer perProvider = p == null ? null : p.template().refreshMarginSeconds();
        return (perProvider != null ? perProvider : connect.settings().refreshMarginSeconds()) * 1000L;
    }

    /** The connection if the caller may read its token: its owner, or a service account holding the reader role. */
    private Connection findReadable(AuthenticationManager.AuthResult auth, String connectionId, String providerName)
            throws ApiError {
        if (connectionId == null || !CONNECTION_ID.matcher(connectionId).matches()) {
            throw ApiError.badRequest("invalid_request", "connection_id is malformed");
        }
        List<Connection> found;
        if (providerName != null && !providerName.isBlank()) {
            if (!PROVIDER_NAME.matcher(providerName).matches()) {
                throw ApiError.badRequest("invalid_request", "provider is malformed");
            }
            found = connect.store().find(realm.getId(), providerName, connectionId).map(List::of).orElse(List.of());
        } else {
            found = connect.store().findByConnectionId(realm.getId(), connectionId);
        }
        boolean reader = CallerAuth.isServiceAccount(auth.user())
                && CallerAuth.hasRealmRole(auth.token(), connect.settings().tokenReaderRole());
        List<Connection> visible = new ArrayList<>();
        for (Connection c : found) {
            if (reader || auth.user().getId().equals(c.userId())) {
                visible.add(c);
            }
        }
        if (visible.isEmpty()) {
            if (!found.isEmpty()) {
                throw ApiError.forbidden("access_denied", "this connection belongs to another user");
            }
            throw ApiError.notFound("no connection " + ApiError.shown(connectionId) + " is stored"
                    + (providerName == null ? "" : " for provider " + ApiError.shown(providerName)));
        }
        if (visible.size() > 1) {
            throw ApiError.badRequest("ambiguous_connection", "several providers have this connection_id: pass provider");
        }
        return visible.get(0);
    }

}
