package io.kcconnections.connect.connection;

import java.util.Map;
import java.util.List;
import java.util.UUID;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.oauth.Pkce;
import io.kcconnections.connect.oauth.ProviderCallException;
import io.kcconnections.connect.oauth.TokenSet;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.ConnectionStatus;
import io.kcconnections.connect.outbox.Outbox;
import io.kcconnections.connect.store.Stores;
import io.kcconnections.connect.store.TokenCodec;
import io.kcconnections.connect.store.TokenColumns;
import org.jboss.logging.Logger;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSessionTaskWithResult;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The two grants that need no browser redirect back to Keycloak: a person's connection approved on another device
 * (RFC 8628; pending until the poller finds it approved) and a connection owned by the calling client, holding the
 * provider's app token from the client-credentials grant (renewed by running the grant again before expiry).
 */
public final class Grants {

    private static final Logger LOG = Logger.getLogger(Grants.class);

    private final ConnectService connect;

    Grants(ConnectService connect) {
        this.connect = connect;
    }

    /** What the app asks for: provider, connection id, scopes. */
    public record Request(String provider, String connectionId, String scopes) {
    }

    /** A device authorization started: what to show the person. */
    public record DeviceStarted(String connectionId, String provider, OAuthClient.DeviceAuthorization authorization) {
    }

    /** A client connection made (or renewed by hand: {@code renewed}). */
    public record ClientConnection(Connection connection, boolean renewed) {
    }

    public DeviceStarted startDevice(Caller caller, Request r) throws ConnectError {
        Throttle.connectStart(connect, caller);
        KeyRing ring = connect.keyRing();
        if (caller.isServiceAccount()) {
            throw ConnectError.forbidden("user_token_required", "a device connection is made for a person: use a user's access token");
        }
        ResolvedProvider provider = connect.access().provider(r.provider());
        if (provider.deviceAuthorizationUrl() == null) {
            throw ConnectError.badRequest("unsupported_grant_type",
                    "provider " + provider.name() + " does not offer the device authorization grant");
        }
        requireNoConnectionValues(provider, "the device flow does not take: use /connect/authorize");
        String cid = Inputs.newConnectionId(r.connectionId());
        Inputs.requireNotAnotherLoginId(cid, provider.name(), caller.userId());
        RealmModel realm = connect.realm();
        Connection existing = Stores.connections(connect.session()).find(realm.getId(), provider.name(), cid).orElse(null);
        if (existing == null) {
            connect.authorizations().requireRoomFor(caller.userId());
        } else {
            Access.requireFreeFor(existing, caller.userId());
            if (existing.status() == ConnectionStatus.ACTIVE || existing.status() == ConnectionStatus.DEGRADED) {
                throw new ConnectError(409, "connection_active", "this connection is active: remove it first, or "
                        + "reconnect it through /connect/authorize");
            }
        }
        List<String> scopes = provider.scopes(Inputs.scopes(r.scopes()));
        String verifier = provider.pkce() ? Pkce.verifier() : null;
        OAuthClient.DeviceAuthorization da;
        try {
            da = connect.oauth().deviceAuthorization(provider, realm, scopes, verifier == null ? null : Pkce.challenge(verifier));
        } catch (ProviderCallException e) {
            LOG.infof("device authorization at %s failed: %s", provider.name(), e.getMessage());
            throw new ConnectError(502, "provider_error", "the provider refused to start a device authorization ("
                    + e.code() + ")");
        }
        long now = System.currentTimeMillis();
        long expiresAt = now + da.expiresIn() * 1000L;
        long nextPoll = now + da.interval() * 1000L;
        String id = existing != null ? existing.id() : UUID.randomUUID().toString();
        String pending = TokenCodec.encryptPending(ring, realm.getId(), id, new TokenCodec.PendingGrant(da.deviceCode(), verifier));
        String keyId = ring.primaryKeyId();
        String userId = caller.userId();
        String appClient = caller.client().getId();
        storeOrConflict(s -> {
            if (existing != null) {
                return Stores.pendingGrants(s).restart(id, userId, appClient, pending, keyId, da.interval(), nextPoll, expiresAt,
                        scopes, now) == 1;
            }
            Stores.connections(s).insert(Connection.devicePending(id, realm.getId(), userId, appClient, provider.name(), cid, keyId,
                    scopes, expiresAt, nextPoll, pending, da.interval(), now));
            return true;
        });
        return new DeviceStarted(cid, provider.name(), da);
    }

    public ClientConnection createClientConnection(Caller caller, Request r) throws ConnectError {
        Throttle.connectStart(connect, caller);
        KeyRing ring = connect.keyRing();
        if (!caller.isServiceAccount()) {
            throw ConnectError.forbidden("client_token_required",
                    "a client connection belongs to an app: use the client's service-account token");
        }
        String role = connect.settings().clientConnectionRole();
        if (!caller.hasRealmRole(role)) {
            // The app token is made with the operator's client at the provider: not every client may have one.
            throw ConnectError.forbidden("client_connections_not_allowed", "this client's service account needs the realm role "
                    + role);
        }
        ResolvedProvider provider = connect.access().provider(r.provider());
        if (!provider.template().clientCredentials()) {
            throw ConnectError.badRequest("unsupported_grant_type",
                    "provider " + provider.name() + " does not issue app tokens (client credentials)");
        }
        requireNoConnectionValues(provider, "client connections do not take");
        String cid = Inputs.newConnectionId(r.connectionId());
        Inputs.requireNotAnotherLoginId(cid, provider.name(), null);
        String owner = caller.serviceAccountClient();
        RealmModel realm = connect.realm();
        Connection existing = Stores.connections(connect.session()).find(realm.getId(), provider.name(), cid).orElse(null);
        if (existing != null && !owner.equals(existing.identity().ownerClient())) {
            throw ConnectError.forbidden("connection_id_in_use", "connection_id belongs to another owner");
        }
        List<String> scopes = provider.scopes(Inputs.scopes(r.scopes()));
        TokenSet tokens;
        try {
            tokens = connect.oauth().clientCredentials(provider, realm, scopes);
        } catch (ProviderCallException e) {
            LOG.infof("client credentials at %s failed: %s", provider.name(), e.getMessage());
            throw new ConnectError(502, "provider_error", "the provider refused the client-credentials grant (" + e.code() + ")");
        }
        Long refreshAt = TokenCodec.refreshAt(tokens.expiresAt(), true, connect.settings().refreshWindowSeconds(), null);
        long now = System.currentTimeMillis();
        String id = existing != null ? existing.id() : UUID.randomUUID().toString();
        TokenColumns cols = TokenCodec.encrypt(ring, realm.getId(), id, tokens, Map.of(), refreshAt);
        storeOrConflict(s -> {
            if (existing != null) {
                boolean replaced = Stores.connections(s).replaceAfterConsent(id, owner, null, null, cols, now) == 1;
                if (replaced) {
                    Stores.connections(s).findById(id).ifPresent(c -> Outbox.record(s, connect.registry(), c, Outbox.RECONNECTED, Map.of()));
                }
                return replaced;
            }
            Connection made = Connection.clientOwned(id, realm.getId(), owner, provider.name(), cid, cols, now);
            Stores.connections(s).insert(made);
            Outbox.record(s, connect.registry(), made, Outbox.CREATED, Map.of());
            return true;
        });
        ConnectEvents.of(connect.session(), realm, null, provider.name(), cid, existing != null ? "reconnect" : "connect")
                .client(caller.client()).detail("grant_type", "client_credentials")
                .event(EventType.FEDERATED_IDENTITY_LINK).success();
        // Read back in a transaction of its own: the request's transaction may hold a snapshot older than the
        // write (MariaDB's repeatable read).
        Connection c = inOwnTransaction(s -> Stores.connections(s).find(realm.getId(), provider.name(), cid).orElseThrow());
        return new ClientConnection(c, existing != null);
    }

    private static void requireNoConnectionValues(ResolvedProvider provider, String which) throws ConnectError {
        if (!provider.openParams().isEmpty()) {
            throw ConnectError.badRequest("invalid_request", "provider " + provider.name()
                    + " needs per-connection values, which " + which);
        }
    }

    /** Writes in a transaction of its own; a lost race on the connection id is 409 {@code connection_id_in_use}. */
    private void storeOrConflict(KeycloakSessionTaskWithResult<Boolean> write) throws ConnectError {
        boolean stored;
        try {
            stored = inOwnTransaction(write);
        } catch (RuntimeException e) {
            stored = false;
        }
        if (!stored) {
            throw new ConnectError(409, "connection_id_in_use", "another request is using this connection_id");
        }
    }

    private <T> T inOwnTransaction(KeycloakSessionTaskWithResult<T> task) {
        return KeycloakModelUtils.runJobInTransactionWithResult(connect.session().getKeycloakSessionFactory(), task);
    }
}
