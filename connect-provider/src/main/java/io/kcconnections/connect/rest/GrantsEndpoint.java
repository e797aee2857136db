package io.kcconnections.connect.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.TokenCodec;
import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.oauth.Pkce;
import io.kcconnections.connect.oauth.ProviderCallException;
import io.kcconnections.connect.oauth.TokenSet;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.ConnectionStatus;
import io.kcconnections.connect.store.ConnectionStore;
import io.kcconnections.connect.store.GrantType;
import io.kcconnections.connect.store.TokenColumns;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * The two grants that need no browser redirect back to Keycloak:
 * <ul>
 * <li>{@code POST /connect/device}: a person's connection approved on another device (RFC 8628). Answers the
 * {@code user_code} and {@code verification_uri} to show the person; the connection is {@code pending} until the
 * background poller (or a status read) finds it approved, then {@code active}, or {@code failed} when denied or
 * expired.</li>
 * <li>{@code POST /connect/client-connections}: a connection owned by the calling client (its service account's
 * token), holding the provider's app token from the client-credentials grant, renewed by running the grant again
 * before expiry. Only the owning client and token-reader service accounts can read it; people never.</li>
 * </ul>
 * Parameters come as a form body or query parameters: {@code provider}, {@code connection_id}, {@code scopes}.
 */
final class GrantsEndpoint extends EndpointSupport {

    private static final Logger LOG = Logger.getLogger(GrantsEndpoint.class);

    GrantsEndpoint(KeycloakSession session) {
        super(session);
    }

    private MultivaluedMap<String, String> params() {
        MultivaluedMap<String, String> all = new MultivaluedHashMap<>();
        all.putAll(session.getContext().getUri().getQueryParameters());
        try {
            MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
            if (form != null) {
                form.forEach(all::put);
            }
        } catch (RuntimeException e) {
            // Not a form body: query parameters only.
        }
        return all;
    }

    private static String single(MultivaluedMap<String, String> p, String name) throws ApiError {
        List<String> v = p.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw ApiError.badRequest("invalid_request", name + " is given more than once");
        }
        return v.get(0);
    }

    private static String connectionId(MultivaluedMap<String, String> p) throws ApiError {
        return newConnectionId(single(p, "connection_id"));
    }

    /** {@code POST /connect/device}. */
    Response startDevice() {
        try {
            AuthenticationManager.AuthResult auth = CallerAuth.authenticate(session);
            KeyRing ring = keyRing();
            if (CallerAuth.isServiceAccount(auth.user())) {
                throw ApiError.forbidden("user_token_required", "a device connection is made for a person: use a user's access token");
            }
            MultivaluedMap<String, String> p = params();
            ResolvedProvider provider = provider(single(p, "provider"));
            if (provider.deviceAuthorizationUrl() == null) {
                throw ApiError.badRequest("unsupported_grant_type",
                        "provider " + provider.name() + " does not offer the device authorization grant");
            }
            if (!provider.openParams().isEmpty()) {
                throw ApiError.badRequest("invalid_request", "provider " + provider.name()
                        + " needs per-connection values, which the device flow does not take: use /connect/authorize");
            }
            String cid = connectionId(p);
            String userId = auth.user().getId();
            Connection existing = connect.store().find(realm.getId(), provider.name(), cid).orElse(null);
            if (existing != null) {
                if (!userId.equals(existing.userId())) {
                    throw ApiError.forbidden("connection_id_in_use", "connection_id belongs to another owner");
                }
                if (existing.status() == ConnectionStatus.ACTIVE || existing.status() == ConnectionStatus.DEGRADED) {
                    throw new ApiError(409, "connection_active", "this connection is active: remove it first, or "
                            + "reconnect it through /connect/authorize");
                }
            }
            List<String> scopes = provider.scopes(parseScopes(single(p, "scopes")));
            String verifier = provider.pkce() ? Pkce.verifier() : null;
            OAuthClient.DeviceAuthorization da;
            try {
                da = connect.oauth().deviceAuthorization(provider, realm, scopes,
                        verifier == null ? null : Pkce.challenge(verifier));
            } catch (ProviderCallException e) {
                LOG.infof("device authorization at %s failed: %s", provider.name(), e.getMessage());
                throw new ApiError(502, "provider_error", "the provider refused to start a device authorization ("
                        + e.code() + ")");
            }
            long now = System.currentTimeMillis();
            long expiresAt = now + da.expiresIn() * 1000L;
            long nextPoll = now + da.interval() * 1000L;
            String id = existing != null ? existing.id() : UUID.randomUUID().toString();
            String pending = TokenCodec.encryptPending(ring, realm.getId(), id,
                    new TokenCodec.PendingGrant(da.deviceCode(), verifier));
            String keyId = ring.primaryKeyId();
            boolean stored;
            try {
                stored = KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), s -> {
                    ConnectionStore store = new ConnectionStore(s);
                    if (existing != null) {
                        return store.restartPending(id, userId, pending, keyId, da.interval(), nextPoll, expiresAt, scopes, now) == 1;
                    }
                    store.insert(new Connection(id, realm.getId(), userId, provider.name(), cid, null, null, null, null,
                            null, keyId, null, scopes, Map.of(), expiresAt, ConnectionStatus.PENDING, null, 0, nextPoll,
                            null, null, null, now, now, null, null, 0, GrantType.DEVICE_CODE, null, pending, da.interval()));
                    return true;
                });
            } catch (RuntimeException e) {
                stored = false;
            }
            if (!stored) {
                throw new ApiError(409, "connection_id_in_use", "another request is using this connection_id");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("connection_id", cid);
            body.put("provider", provider.name());
            body.put("status", ConnectionStatus.PENDING.id());
            body.put("user_code", da.userCode());
            body.put("verification_uri", da.verificationUri());
            body.put("verification_uri_complete", da.verificationUriComplete());
            body.put("expires_in", da.expiresIn());
            body.put("interval", da.interval());
            return json(200, body);
        } catch (ApiError e) {
            return e.toResponse();
        }
    }

    /** {@code POST /connect/client-connections}. */
    Response createClientConnection() {
        try {
            AuthenticationManager.AuthResult auth = CallerAuth.authenticate(session);
            KeyRing ring = keyRing();
            if (!CallerAuth.isServiceAccount(auth.user())) {
                throw ApiError.forbidden("client_token_required",
                        "a client connection belongs to an app: use the client's service-account token");
            }
            if (!CallerAuth.hasRealmRole(auth.token(), connect.settings().clientConnectionRole())) {
                // The app token is made with the operator's client at the provider: not every client may have one.
                throw ApiError.forbidden("client_connections_not_allowed", "this client's service account needs the realm role "
                        + connect.settings().clientConnectionRole());
            }
            MultivaluedMap<String, String> p = params();
            ResolvedProvider provider = provider(single(p, "provider"));
            if (!provider.template().clientCredentials()) {
                throw ApiError.badRequest("unsupported_grant_type",
                        "provider " + provider.name() + " does not issue app tokens (client credentials)");
            }
            if (!provider.openParams().isEmpty()) {
                throw ApiError.badRequest("invalid_request", "provider " + provider.name()
                        + " needs per-connection values, which client connections do not take");
            }
            String cid = connectionId(p);
            String owner = auth.user().getServiceAccountClientLink();
            Connection existing = connect.store().find(realm.getId(), provider.name(), cid).orElse(null);
            if (existing != null && !owner.equals(existing.ownerClient())) {
                throw ApiError.forbidden("connection_id_in_use", "connection_id belongs to another owner");
            }
            List<String> scopes = provider.scopes(parseScopes(single(p, "scopes")));
            TokenSet tokens;
            try {
                tokens = connect.oauth().clientCredentials(provider, realm, scopes);
            } catch (ProviderCallException e) {
                LOG.infof("client credentials at %s failed: %s", provider.name(), e.getMessage());
                throw new ApiError(502, "provider_error", "the provider refused the client-credentials grant (" + e.code() + ")");
            }
            int window = connect.settings().refreshWindowSeconds();
            Long refreshAt = TokenCodec.refreshAt(tokens.expiresAt(), true, window, null);
            long now = System.currentTimeMillis();
            String id = existing != null ? existing.id() : UUID.randomUUID().toString();
            TokenColumns cols = TokenCodec.encrypt(ring, realm.getId(), id, tokens, Map.of(), refreshAt);
            boolean stored;
            try {
                stored = KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), s -> {
                    ConnectionStore store = new ConnectionStore(s);
                    if (existing != null) {
                        return store.replaceAfterConsent(id, null, null, cols, now) == 1;
                    }
                    store.insert(new Connection(id, realm.getId(), null, provider.name(), cid, null, null,
                            cols.accessTokenCiphertext(), null, cols.rawTokenCiphertext(), cols.keyId(), cols.tokenType(),
                            cols.scopes(), cols.metadata(), cols.expiresAt(), ConnectionStatus.ACTIVE, null, 0, refreshAt,
                            now, null, null, now, now, null, null, 0, GrantType.CLIENT_CREDENTIALS, owner, null, null));
                    return true;
                });
            } catch (RuntimeException e) {
                stored = false;
            }
            if (!stored) {
                throw new ApiError(409, "connection_id_in_use", "another request is using this connection_id");
            }
            ConnectEvents.of(session, realm, null, provider.name(), cid, existing != null ? "reconnect" : "connect")
                    .client(auth.client()).detail("grant_type", "client_credentials")
                    .event(org.keycloak.events.EventType.FEDERATED_IDENTITY_LINK).success();
            // Read back in a transaction of its own: the request's transaction may hold a snapshot older than the
            // write (MariaDB's repeatable read).
            Connection c = KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(),
                    s -> new ConnectionStore(s).find(realm.getId(), provider.name(), cid).orElseThrow());
            return json(existing != null ? 200 : 201, ConnectionView.of(c));
        } catch (ApiError e) {
            return e.toResponse();
        }
    }
}
