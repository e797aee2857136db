package io.kcconnections.connect.store;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import org.keycloak.util.JsonSerialization;

/** Between rows and models: entity to {@link Connection}, scopes and metadata columns, bounded strings. */
final class Rows {

    /** The length of the string columns that hold provider-given text (account, status reason). */
    static final int TEXT_COLUMN = 255;

    private Rows() {
    }

    static Connection toModel(ConnectionEntity e) {
        return new Connection(
                new Connection.Identity(e.getId(), e.getRealmId(), e.getProvider(), e.getConnectionId(), e.getUserId(),
                        e.getOwnerClient(), e.getAppClient(), e.getAccountId(), e.getAccountName()),
                new TokenColumns(e.getAccessToken(), e.getRefreshToken(), e.getRawToken(), e.getKeyId(),
                        e.getTokenType(), splitScopes(e.getScopes()), readMetadata(e.getMetadata()), e.getExpiresAt(),
                        e.getRefreshAt()),
                new Connection.State(ConnectionStatus.of(e.getStatus()), e.getStatusReason(), e.getFailureCount(),
                        e.getLastRefreshAt(), e.getLastErrorAt(), e.getLastUsedAt(), e.getCreatedAt(), e.getUpdatedAt(),
                        e.getVersion()),
                new Connection.Lease(e.getLeaseOwner(), e.getLeaseUntil()),
                new Connection.Grant(GrantType.of(e.getGrantType()), e.getPendingGrant(), e.getPollInterval()));
    }

    static ConnectionEntity toEntity(Connection c) {
        ConnectionEntity e = new ConnectionEntity();
        Connection.Identity i = c.identity();
        e.setId(i.id());
        e.setRealmId(i.realmId());
        e.setUserId(i.userId());
        e.setOwnerClient(i.ownerClient());
        e.setAppClient(i.appClient());
        e.setProvider(i.provider());
        e.setConnectionId(i.connectionId());
        e.setAccountId(truncate(i.accountId()));
        e.setAccountName(truncate(i.accountName()));
        TokenColumns t = c.tokens();
        e.setAccessToken(t.accessTokenCiphertext());
        e.setRefreshToken(t.refreshTokenCiphertext());
        e.setRawToken(t.rawTokenCiphertext());
        e.setKeyId(t.keyId());
        e.setTokenType(t.tokenType());
        e.setScopes(joinScopes(t.scopes()));
        e.setMetadata(writeMetadata(t.metadata()));
        e.setExpiresAt(t.expiresAt());
        e.setRefreshAt(t.refreshAt());
        Connection.State s = c.state();
        e.setStatus(s.status().id());
        e.setStatusReason(truncate(s.reason()));
        e.setFailureCount(s.failureCount());
        e.setLastRefreshAt(s.lastRefreshAt());
        e.setCreatedAt(s.createdAt());
        e.setUpdatedAt(s.updatedAt());
        Connection.Grant g = c.grant();
        e.setGrantType(g.type() == GrantType.AUTHORIZATION_CODE ? null : g.type().id());
        e.setPendingGrant(g.pendingCiphertext());
        e.setPollInterval(g.pollInterval());
        return e;
    }

    static String joinScopes(List<String> scopes) {
        return scopes == null || scopes.isEmpty() ? null : String.join(" ", scopes);
    }

    static List<String> splitScopes(String s) {
        return s == null || s.isBlank() ? List.of() : List.copyOf(Arrays.asList(s.trim().split("\\s+")));
    }

    static String writeMetadata(Map<String, String> m) {
        if (m == null || m.isEmpty()) {
            return null;
        }
        try {
            return JsonSerialization.writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> readMetadata(String s) {
        if (s == null || s.isBlank()) {
            return Map.of();
        }
        try {
            return JsonSerialization.readValue(s, new TypeReference<LinkedHashMap<String, String>>() {
            });
        } catch (IOException e) {
            return Map.of();
        }
    }

    static String truncate(String s) {
        return s == null || s.length() <= TEXT_COLUMN ? s : s.substring(0, TEXT_COLUMN);
    }
}
