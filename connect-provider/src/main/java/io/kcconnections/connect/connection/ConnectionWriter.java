package io.kcconnections.connect.connection;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.oauth.TokenSet;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.Connections;
import io.kcconnections.connect.outbox.Outbox;
import io.kcconnections.connect.store.Stores;
import io.kcconnections.connect.store.TokenCodec;
import io.kcconnections.connect.store.TokenColumns;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Step 4 of the connect path, <em>store</em>: a token set from a consent becomes a connection, encrypted. A new row,
 * or, when the person already has a connection with this provider and connection id, new tokens for it (a reconnect
 * keeps the connection id). Used by the connect callback and by a login that also connects.
 */
public final class ConnectionWriter {

    private static final Logger LOG = Logger.getLogger(ConnectionWriter.class);

    /** @param error null when stored; else an error code for the app */
    public record Result(String error, boolean reconnect) {
    }

    private final ConnectService connect;

    ConnectionWriter(ConnectService connect) {
        this.connect = connect;
    }

    /**
     * Writes in a transaction of its own, so a lost race (another request inserted the same connection id) is an
     * error code for the app, not a failed request.
     */
    Result writeInOwnTransaction(String userId, ClientModel app, ResolvedProvider provider, String cid, TokenSet tokens,
                                 Map<String, String> metadata, OAuthClient.Account account, KeyRing ring) {
        RealmModel realm = connect.realm();
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(connect.session().getKeycloakSessionFactory(),
                    s -> write(s, realm, userId, app, provider, cid, tokens, metadata, account, ring));
        } catch (RuntimeException e) {
            LOG.warnf("connection %s for %s could not be stored: %s", Inputs.shown(cid), provider.name(),
                    e.getClass().getSimpleName());
            return new Result("store_failed", false);
        }
    }

    /** Writes in the session's own transaction (a login that also connects); the caller commits. */
    public Result write(RealmModel realm, String userId, ClientModel app, ResolvedProvider provider, String cid,
                        TokenSet tokens, Map<String, String> metadata, OAuthClient.Account account, KeyRing ring) {
        return write(connect.session(), realm, userId, app, provider, cid, tokens, metadata, account, ring);
    }

    /** @param app the client (app) the person connected through; its tokens go to that app */
    private Result write(KeycloakSession session, RealmModel realm, String userId, ClientModel app,
                         ResolvedProvider provider, String cid, TokenSet tokens, Map<String, String> metadata,
                         OAuthClient.Account account, KeyRing ring) {
        String appClient = app == null ? null : app.getId();
        Connections store = Stores.connections(session);
        Connection existing = store.find(realm.getId(), provider.name(), cid).orElse(null);
        metadata = new LinkedHashMap<>(metadata);
        metadata.put(ResolvedProvider.TOKEN_ORIGIN, provider.tokenOrigin());
        long now = System.currentTimeMillis();
        Long refreshAt = TokenCodec.refreshAt(tokens.expiresAt(), tokens.refreshToken() != null,
                connect.settings().refreshWindowSeconds(), provider.template().idleRefreshDays());
        String accountId = account == null ? null : Inputs.truncate(account.id());
        String accountName = account == null ? null
                : Inputs.truncate(account.name() != null ? account.name() : account.email());
        if (existing != null) {
            if (!userId.equals(existing.userId())) {
                return new Result("connection_id_in_use", false);
            }
            TokenColumns cols = TokenCodec.keepingRefresh(ring, realm.getId(), existing.id(), TokenCodec.encrypt(ring,
                    realm.getId(), existing.id(), tokens, TokenCodec.merge(existing.tokens().metadata(), metadata), refreshAt),
                    keptRefreshToken(ring, existing));
            store.replaceAfterConsent(existing.id(), appAfterReconnect(existing, app), accountId, accountName, cols, now);
            store.findById(existing.id()).ifPresent(c -> Outbox.record(session, connect.registry(), c, Outbox.RECONNECTED, Map.of()));
            return new Result(null, true);
        }
        if (store.countByUser(realm.getId(), userId) >= connect.settings().maxConnectionsPerUser()) {
            return new Result("connection_limit", false);
        }
        String id = UUID.randomUUID().toString();
        TokenColumns cols = TokenCodec.encrypt(ring, realm.getId(), id, tokens, metadata, refreshAt);
        Connection made = Connection.consented(id, realm.getId(), userId, appClient, provider.name(), cid, accountId,
                accountName, cols, now);
        store.insert(made);
        Outbox.record(session, connect.registry(), made, Outbox.CREATED, Map.of());
        return new Result(null, false);
    }

    /**
     * The app a connection made again goes to: the one that connected it again, except that a person reconnecting in
     * the account console (which only shows and manages connections) leaves it with the app that made it.
     */
    static String appAfterReconnect(Connection existing, ClientModel app) {
        String before = existing.identity().appClient();
        if (app != null && before != null && Constants.ACCOUNT_CONSOLE_CLIENT_ID.equals(app.getClientId())) {
            return before;
        }
        return app == null ? null : app.getId();
    }

    /** The stored refresh token of a connection made again, to keep under the current key; null when unreadable. */
    private static String keptRefreshToken(KeyRing ring, Connection existing) {
        try {
            return TokenCodec.refreshToken(ring, existing);
        } catch (KeyRing.DecryptionException e) {
            return null;
        }
    }
}
