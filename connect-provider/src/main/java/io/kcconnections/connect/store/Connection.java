package io.kcconnections.connect.store;

import java.util.Map;
import java.util.List;

/**
 * A snapshot of a stored connection, in a few value objects: who it belongs to ({@link Identity}), its encrypted
 * tokens ({@link TokenColumns}: ciphertexts, decrypt them with {@link TokenCodec}), its health ({@link State}), the
 * refresh lease ({@link Lease}) and how it renews ({@link Grant}). Times are epoch milliseconds. Made by the named
 * factories below or by the store; never positionally with nulls.
 */
public record Connection(Identity identity, TokenColumns tokens, State state, Lease lease, Grant grant) {

    /**
     * Whose connection it is and at which provider account.
     *
     * @param id          the row id (internal)
     * @param userId      the person it belongs to; null for a client-owned connection
     * @param ownerClient the internal id of the client that owns it (client credentials); null for a person's
     * @param appClient   the internal id of the client (app) whose request made it: its tokens go to that app (and the
     *                    apps the admin allows for the provider); null for connections made before this was kept
     */
    public record Identity(String id, String realmId, String provider, String connectionId, String userId,
                           String ownerClient, String appClient, String accountId, String accountName) {
    }

    /** Health and history. {@code version} grows with every write. */
    public record State(ConnectionStatus status, String reason, int failureCount, Long lastRefreshAt, Long lastErrorAt,
                        Long lastUsedAt, long createdAt, long updatedAt, int version) {

        static State fresh(ConnectionStatus status, Long lastRefreshAt, long now) {
            return new State(status, null, 0, lastRefreshAt, null, null, now, now, 0);
        }
    }

    /** The refresh lease: who holds the row for a refresh (or a device poll), until when. Both null when free. */
    public record Lease(String owner, Long until) {
        static final Lease NONE = new Lease(null, null);
    }

    /**
     * How the connection renews.
     *
     * @param pendingCiphertext a pending device authorization's encrypted device code (and verifier)
     * @param pollInterval      its polling interval in seconds
     */
    public record Grant(GrantType type, String pendingCiphertext, Integer pollInterval) {
        static final Grant AUTHORIZATION_CODE = new Grant(GrantType.AUTHORIZATION_CODE, null, null);

        public Grant {
            type = type == null ? GrantType.AUTHORIZATION_CODE : type;
        }
    }

    /** A person's consent (browser or login) through an app: active, tokens just issued. */
    public static Connection consented(String id, String realmId, String userId, String appClient, String provider,
                                       String connectionId, String accountId, String accountName, TokenColumns tokens,
                                       long now) {
        return new Connection(new Identity(id, realmId, provider, connectionId, userId, null, appClient, accountId,
                accountName),
                tokens, State.fresh(ConnectionStatus.ACTIVE, now, now), Lease.NONE, Grant.AUTHORIZATION_CODE);
    }

    /**
     * A device authorization waiting for the person: no tokens yet; {@code expiresAt} is the device code's expiry and
     * {@code nextPollAt} the first poll.
     */
    public static Connection devicePending(String id, String realmId, String userId, String appClient, String provider,
                                           String connectionId, String keyId, List<String> scopes, long expiresAt,
                                           long nextPollAt, String pendingCiphertext, int pollInterval, long now) {
        TokenColumns none = new TokenColumns(null, null, null, keyId, null, scopes, Map.of(), expiresAt, nextPollAt);
        return new Connection(new Identity(id, realmId, provider, connectionId, userId, null, appClient, null, null), none,
                State.fresh(ConnectionStatus.PENDING, null, now), Lease.NONE,
                new Grant(GrantType.DEVICE_CODE, pendingCiphertext, pollInterval));
    }

    /** An app token a client got with its own credentials; owned by that client (its internal id). */
    public static Connection clientOwned(String id, String realmId, String ownerClient, String provider,
                                         String connectionId, TokenColumns tokens, long now) {
        return new Connection(new Identity(id, realmId, provider, connectionId, null, ownerClient, ownerClient, null, null),
                tokens,
                State.fresh(ConnectionStatus.ACTIVE, now, now), Lease.NONE,
                new Grant(GrantType.CLIENT_CREDENTIALS, null, null));
    }

    public String id() {
        return identity.id();
    }

    public String realmId() {
        return identity.realmId();
    }

    public String provider() {
        return identity.provider();
    }

    public String connectionId() {
        return identity.connectionId();
    }

    public String userId() {
        return identity.userId();
    }

    public ConnectionStatus status() {
        return state.status();
    }

    /** Whether new tokens come without a person: a stored refresh token, or the client-credentials grant run again. */
    public boolean renewsWithoutPerson() {
        return hasRefreshToken() || grant.type() == GrantType.CLIENT_CREDENTIALS;
    }

    /** Whether a client owns it (client-credentials grant) rather than a person. */
    public boolean clientOwned() {
        return identity.ownerClient() != null;
    }

    public boolean hasRefreshToken() {
        return tokens.refreshTokenCiphertext() != null;
    }

    /** Whether another claim holds this connection at {@code now}. */
    public boolean leasedAt(long now) {
        return lease.until() != null && lease.until() > now;
    }
}
