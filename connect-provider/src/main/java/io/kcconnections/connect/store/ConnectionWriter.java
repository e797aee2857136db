package io.kcconnections.connect.store;

import java.util.Map;
import java.util.UUID;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.TokenCodec;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.oauth.TokenSet;

/**
 * Stores a token set from a consent as a connection: a new row, or, when the user already has a connection with this
 * provider and connection id, new tokens for it (a reconnect keeps the connection id). Used by the connect callback
 * and by a login that also connects.
 */
public final class ConnectionWriter {

    /** @param error null when stored; else an error code for the app */
    public record Result(String error, boolean reconnect) {
    }

    private ConnectionWriter() {
    }

    /** Writes in {@code session}'s transaction; the caller commits. */
    public static Result write(KeycloakSession session, RealmModel realm, String userId, String provider, String cid,
                               TokenSet tokens, Map<String, String> metadata, OAuthClient.Account account, KeyRing ring,
                               int refreshWindowSeconds, Integer idleRefreshDays) {
        ConnectionStore store = new ConnectionStore(session);
        Connection existing = store.find(realm.getId(), provider, cid).orElse(null);
        long now = System.currentTimeMillis();
        Long refreshAt = TokenCodec.refreshAt(tokens.expiresAt(), tokens.refreshToken() != null, refreshWindowSeconds,
                idleRefreshDays);
        String accountId = account == null ? null : truncate(account.id());
        String accountName = account == null ? null : truncate(account.name() != null ? account.name() : account.email());
        if (existing != null) {
            if (!userId.equals(existing.userId())) {
                return new Result("connection_id_in_use", false);
            }
            TokenColumns cols = TokenCodec.encrypt(ring, realm.getId(), existing.id(), tokens,
                    TokenCodec.merge(existing.metadata(), metadata), refreshAt);
            store.replaceAfterConsent(existing.id(), accountId, accountName, cols, now);
            return new Result(null, true);
        }
        String id = UUID.randomUUID().toString();
        TokenColumns cols = TokenCodec.encrypt(ring, realm.getId(), id, tokens, metadata, refreshAt);
        store.insert(new Connection(id, realm.getId(), userId, provider, cid, accountId, accountName,
                cols.accessTokenCiphertext(), cols.refreshTokenCiphertext(), cols.rawTokenCiphertext(),
                cols.keyId(), cols.tokenType(), cols.scopes(), cols.metadata(), cols.expiresAt(),
                ConnectionStatus.ACTIVE, null, 0, refreshAt, now, null, null, now, now, null, null, 0));
        return new Result(null, false);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 255 ? s : s.substring(0, 255);
    }
}
