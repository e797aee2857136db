package io.kcconnections.connect.store;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a stored connection. Token fields are ciphertexts; decrypt them with {@code TokenCodec}.
 * Times are epoch milliseconds.
 */
public record Connection(
        String id,
        String realmId,
        String userId,
        String provider,
        String connectionId,
        String accountId,
        String accountName,
        String accessTokenCiphertext,
        String refreshTokenCiphertext,
        String rawTokenCiphertext,
        String keyId,
        String tokenType,
        List<String> scopes,
        Map<String, String> metadata,
        Long expiresAt,
        ConnectionStatus status,
        String statusReason,
        int failureCount,
        Long refreshAt,
        Long lastRefreshAt,
        Long lastErrorAt,
        Long lastUsedAt,
        long createdAt,
        long updatedAt,
        String leaseOwner,
        Long leaseUntil,
        int version,
        GrantType grantType,
        String ownerClient,
        String pendingGrantCiphertext,
        Integer pollInterval) {

    /** A connection made by a person's consent, with none of the later columns set. */
    public Connection(String id, String realmId, String userId, String provider, String connectionId, String accountId,
                      String accountName, String accessTokenCiphertext, String refreshTokenCiphertext,
                      String rawTokenCiphertext, String keyId, String tokenType, List<String> scopes,
                      Map<String, String> metadata, Long expiresAt, ConnectionStatus status, String statusReason,
                      int failureCount, Long refreshAt, Long lastRefreshAt, Long lastErrorAt, Long lastUsedAt,
                      long createdAt, long updatedAt, String leaseOwner, Long leaseUntil, int version) {
        this(id, realmId, userId, provider, connectionId, accountId, accountName, accessTokenCiphertext,
                refreshTokenCiphertext, rawTokenCiphertext, keyId, tokenType, scopes, metadata, expiresAt, status,
                statusReason, failureCount, refreshAt, lastRefreshAt, lastErrorAt, lastUsedAt, createdAt, updatedAt,
                leaseOwner, leaseUntil, version, GrantType.AUTHORIZATION_CODE, null, null, null);
    }

    public Connection {
        grantType = grantType == null ? GrantType.AUTHORIZATION_CODE : grantType;
    }

    /** Whether new tokens come without a person: a stored refresh token, or the client-credentials grant run again. */
    public boolean renewsWithoutPerson() {
        return hasRefreshToken() || grantType == GrantType.CLIENT_CREDENTIALS;
    }

    /** Whether a client owns it (client-credentials grant) rather than a person. */
    public boolean clientOwned() {
        return ownerClient != null;
    }

    public boolean hasRefreshToken() {
        return refreshTokenCiphertext != null;
    }

    /** Whether another claim holds this connection at {@code now}. */
    public boolean leasedAt(long now) {
        return leaseUntil != null && leaseUntil > now;
    }
}
