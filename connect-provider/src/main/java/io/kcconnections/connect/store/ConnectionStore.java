package io.kcconnections.connect.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.hibernate.LockMode;
import org.hibernate.query.SelectionQuery;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.util.JsonSerialization;

/**
 * Reads and writes connections through the session's JPA entity manager (and so in the session's transaction).
 * Every write that changes tokens or state is a single conditional UPDATE, so concurrent writers on any node
 * cannot overwrite each other silently: the condition says whose write may land.
 */
public final class ConnectionStore {

    private static final Logger LOG = Logger.getLogger(ConnectionStore.class);

    private final EntityManager em;

    public ConnectionStore(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    public Optional<Connection> find(String realmId, String provider, String connectionId) {
        return em.createNamedQuery("ConnectConnection.byKey", ConnectionEntity.class)
                .setParameter("realmId", realmId).setParameter("provider", provider)
                .setParameter("connectionId", connectionId)
                .getResultStream().findFirst().map(ConnectionStore::toModel);
    }

    public Optional<Connection> findById(String id) {
        ConnectionEntity e = em.find(ConnectionEntity.class, id);
        if (e != null) {
            em.refresh(e);
        }
        return Optional.ofNullable(e).map(ConnectionStore::toModel);
    }

    /** Every provider's connection with this id in the realm (a connection id is unique per realm and provider). */
    public List<Connection> findByConnectionId(String realmId, String connectionId) {
        return em.createNamedQuery("ConnectConnection.byConnectionId", ConnectionEntity.class)
                .setParameter("realmId", realmId).setParameter("connectionId", connectionId)
                .getResultStream().map(ConnectionStore::toModel).toList();
    }

    public List<Connection> listByUser(String realmId, String userId) {
        return em.createNamedQuery("ConnectConnection.byUser", ConnectionEntity.class)
                .setParameter("realmId", realmId).setParameter("userId", userId)
                .getResultStream().map(ConnectionStore::toModel).toList();
    }

    /** Connections owned by a client (client-credentials grant), by the client's internal id. */
    public List<Connection> listByOwnerClient(String realmId, String clientId) {
        return em.createNamedQuery("ConnectConnection.byOwnerClient", ConnectionEntity.class)
                .setParameter("realmId", realmId).setParameter("ownerClient", clientId)
                .getResultStream().map(ConnectionStore::toModel).toList();
    }

    /**
     * A pending device authorization is not finished yet: the next poll is due at {@code nextPollAt}, with the
     * (possibly slowed-down) interval. Only while this owner holds the lease; releases it.
     */
    public boolean stillPending(String id, String owner, int interval, long nextPollAt, long now) {
        return em.createQuery("update ConnectConnection c set c.pollInterval = :i, c.refreshAt = :ra, c.leaseOwner = null,"
                        + " c.leaseUntil = null, c.updatedAt = :now, c.version = c.version + 1"
                        + " where c.id = :id and c.leaseOwner = :o and c.status = :st")
                .setParameter("i", interval).setParameter("ra", nextPollAt).setParameter("now", now)
                .setParameter("id", id).setParameter("o", owner).setParameter("st", ConnectionStatus.PENDING.id())
                .executeUpdate() == 1;
    }

    /** A device authorization ended without tokens (denied, expired): failed, nothing left to poll. */
    public boolean pendingFailed(String id, String owner, String reason, long now) {
        return em.createQuery("update ConnectConnection c set c.status = :st, c.statusReason = :reason,"
                        + " c.pendingGrant = null, c.refreshAt = null, c.lastErrorAt = :now, c.leaseOwner = null,"
                        + " c.leaseUntil = null, c.updatedAt = :now, c.version = c.version + 1"
                        + " where c.id = :id and c.leaseOwner = :o and c.status = :pending")
                .setParameter("st", ConnectionStatus.FAILED.id()).setParameter("reason", truncate(reason, 255))
                .setParameter("pending", ConnectionStatus.PENDING.id())
                .setParameter("now", now).setParameter("id", id).setParameter("o", owner).executeUpdate() == 1;
    }

    /** Records the provider-side account behind a connection's tokens. */
    public void setAccount(String id, String accountId, String accountName) {
        em.createQuery("update ConnectConnection c set c.accountId = :a, c.accountName = :n where c.id = :id")
                .setParameter("a", truncate(accountId, 255)).setParameter("n", truncate(accountName, 255))
                .setParameter("id", id).executeUpdate();
    }

    /**
     * A new device authorization for an existing connection of the same owner that is not active (pending, failed,
     * needs a new consent): it waits for the person again. Breaks any lease.
     */
    public int restartPending(String id, String userId, String pendingGrant, String keyId, int interval, long nextPollAt,
                              long expiresAt, List<String> scopes, long now) {
        return em.createQuery("update ConnectConnection c set c.status = :st, c.statusReason = null, c.pendingGrant = :pg,"
                        + " c.keyId = :k, c.pollInterval = :i, c.refreshAt = :ra, c.expiresAt = :exp, c.scopes = :s,"
                        + " c.grantType = :gt, c.failureCount = 0, c.lastErrorAt = null, c.leaseOwner = null,"
                        + " c.accessToken = null, c.refreshToken = null, c.rawToken = null, c.tokenType = null,"
                        + " c.accountId = null, c.accountName = null,"
                        + " c.leaseUntil = null, c.updatedAt = :now, c.version = c.version + 1 where c.id = :id"
                        + " and c.userId = :u and c.status not in (:active, :degraded)")
                .setParameter("u", userId).setParameter("active", ConnectionStatus.ACTIVE.id())
                .setParameter("degraded", ConnectionStatus.DEGRADED.id())
                .setParameter("st", ConnectionStatus.PENDING.id()).setParameter("pg", pendingGrant)
                .setParameter("k", keyId).setParameter("i", interval).setParameter("ra", nextPollAt)
                .setParameter("exp", expiresAt).setParameter("s", joinScopes(scopes))
                .setParameter("gt", GrantType.DEVICE_CODE.id()).setParameter("now", now).setParameter("id", id)
                .executeUpdate();
    }

    /** Inserts a new connection; the unique key (realm, provider, connection id) refuses a duplicate at flush. */
    public void insert(Connection c) {
        ConnectionEntity e = new ConnectionEntity();
        e.setId(c.id());
        e.setRealmId(c.realmId());
        e.setUserId(c.userId());
        e.setProvider(c.provider());
        e.setConnectionId(c.connectionId());
        e.setAccountId(c.accountId());
        e.setAccountName(c.accountName());
        e.setAccessToken(c.accessTokenCiphertext());
        e.setRefreshToken(c.refreshTokenCiphertext());
        e.setRawToken(c.rawTokenCiphertext());
        e.setKeyId(c.keyId());
        e.setTokenType(c.tokenType());
        e.setScopes(joinScopes(c.scopes()));
        e.setMetadata(writeMetadata(c.metadata()));
        e.setExpiresAt(c.expiresAt());
        e.setStatus(c.status().id());
        e.setStatusReason(c.statusReason());
        e.setFailureCount(c.failureCount());
        e.setRefreshAt(c.refreshAt());
        e.setLastRefreshAt(c.lastRefreshAt());
        e.setCreatedAt(c.createdAt());
        e.setUpdatedAt(c.updatedAt());
        e.setGrantType(c.grantType() == GrantType.AUTHORIZATION_CODE ? null : c.grantType().id());
        e.setOwnerClient(c.ownerClient());
        e.setPendingGrant(c.pendingGrantCiphertext());
        e.setPollInterval(c.pollInterval());
        em.persist(e);
        em.flush();
    }

    /**
     * A new consent for an existing connection: replaces tokens, account and state, and breaks any refresh lease
     * (a refresher holding the old grant then fails its conditional write-back and discards its result).
     */
    public int replaceAfterConsent(String id, String accountId, String accountName, TokenColumns t, long now) {
        return em.createQuery("update ConnectConnection c set c.accessToken = :a, c.refreshToken = :r, c.rawToken = :raw,"
                        + " c.keyId = :k, c.tokenType = :tt, c.scopes = :s, c.metadata = :m, c.expiresAt = :exp,"
                        + " c.refreshAt = :ra, c.accountId = :acc, c.accountName = :accName, c.status = :st,"
                        + " c.statusReason = null, c.failureCount = 0, c.lastErrorAt = null, c.lastRefreshAt = :now,"
                        + " c.pendingGrant = null, c.pollInterval = null,"
                        + " c.leaseOwner = null, c.leaseUntil = null, c.updatedAt = :now, c.version = c.version + 1"
                        + " where c.id = :id")
                .setParameter("a", t.accessTokenCiphertext()).setParameter("r", t.refreshTokenCiphertext())
                .setParameter("raw", t.rawTokenCiphertext()).setParameter("k", t.keyId())
                .setParameter("tt", t.tokenType()).setParameter("s", joinScopes(t.scopes()))
                .setParameter("m", writeMetadata(t.metadata())).setParameter("exp", t.expiresAt())
                .setParameter("ra", t.refreshAt()).setParameter("acc", accountId).setParameter("accName", accountName)
                .setParameter("st", ConnectionStatus.ACTIVE.id()).setParameter("now", now).setParameter("id", id)
                .executeUpdate();
    }

    /**
     * Claims a connection for a refresh: succeeds only when no unexpired lease is held. While claimed, the row's
     * refresh time is the lease end, so a claim abandoned by a dead node becomes due again when the lease ends.
     *
     * @return whether this caller now holds the lease
     */
    /**
     * Claims a pending device authorization whose next poll is due (a status read's poll): like {@link #claim}, and
     * only while it is still pending and due, so a poll another node has just made is not repeated at once.
     */
    public boolean claimDuePendingOne(String id, String owner, long now, long leaseUntil) {
        return em.createQuery("update ConnectConnection c set c.leaseOwner = :o, c.leaseUntil = :u, c.refreshAt = :u,"
                        + " c.version = c.version + 1 where c.id = :id and (c.leaseUntil is null or c.leaseUntil < :now)"
                        + " and c.status = :st and c.refreshAt <= :now")
                .setParameter("o", owner).setParameter("u", leaseUntil).setParameter("id", id).setParameter("now", now)
                .setParameter("st", ConnectionStatus.PENDING.id()).executeUpdate() == 1;
    }

    /**
     * Stores the tokens a device authorization led to. Not bound to a lease: the provider hands them out once, so
     * whoever holds them stores them, as long as the connection still waits for this same authorization (pending,
     * with the device code's expiry {@code pendingExpiresAt} it was started with; a restart sets another).
     */
    public boolean completePending(String id, long pendingExpiresAt, TokenColumns t, long now) {
        var q = em.createQuery("update ConnectConnection c set c.accessToken = :a, c.refreshToken = :r, c.rawToken = :raw,"
                        + " c.keyId = :k, c.tokenType = :tt, c.scopes = :s, c.metadata = :m, c.expiresAt = :exp,"
                        + " c.refreshAt = :ra, c.status = :st, c.statusReason = null, c.failureCount = 0,"
                        + " c.pendingGrant = null, c.pollInterval = null, c.lastRefreshAt = :now, c.leaseOwner = null,"
                        + " c.leaseUntil = null, c.updatedAt = :now, c.version = c.version + 1"
                        + " where c.id = :id and c.status = :pending and c.expiresAt = :pexp")
                .setParameter("a", t.accessTokenCiphertext()).setParameter("r", t.refreshTokenCiphertext())
                .setParameter("raw", t.rawTokenCiphertext())
                .setParameter("k", t.keyId()).setParameter("tt", t.tokenType()).setParameter("s", joinScopes(t.scopes()))
                .setParameter("m", writeMetadata(t.metadata())).setParameter("exp", t.expiresAt())
                .setParameter("ra", t.refreshAt()).setParameter("st", ConnectionStatus.ACTIVE.id())
                .setParameter("pending", ConnectionStatus.PENDING.id()).setParameter("pexp", pendingExpiresAt)
                .setParameter("now", now).setParameter("id", id);
        return q.executeUpdate() == 1;
    }

    public boolean claim(String id, String owner, long now, long leaseUntil) {
        return em.createQuery("update ConnectConnection c set c.leaseOwner = :o, c.leaseUntil = :u, c.refreshAt = :u,"
                        + " c.version = c.version + 1 where c.id = :id and (c.leaseUntil is null or c.leaseUntil < :now)")
                .setParameter("o", owner).setParameter("u", leaseUntil).setParameter("id", id).setParameter("now", now)
                .executeUpdate() == 1;
    }

    /**
     * Locks up to {@code limit} due connections for this transaction, skipping rows other nodes hold, and marks each
     * claimed by {@code owner} until {@code leaseUntil}. Commit right after, then refresh outside the transaction.
     */
    public List<Connection> claimDue(String owner, long now, long leaseUntil, int limit) {
        return claimDue(null, owner, now, leaseUntil, limit);
    }

    /** Like {@link #claimDue(String, long, long, int)}, limited to one realm when {@code realmId} is not null. */
    public List<Connection> claimDue(String realmId, String owner, long now, long leaseUntil, int limit) {
        return claimDue(realmId == null ? "ConnectConnection.due" : "ConnectConnection.dueInRealm", realmId, owner, now,
                leaseUntil, limit);
    }

    /** Like {@link #claimDue(String, long, long, int)}, for pending device authorizations only (the fast poller). */
    public List<Connection> claimDuePending(String owner, long now, long leaseUntil, int limit) {
        return claimDue("ConnectConnection.duePending", null, owner, now, leaseUntil, limit);
    }

    private List<Connection> claimDue(String query, String realmId, String owner, long now, long leaseUntil, int limit) {
        var q = em.createNamedQuery(query, ConnectionEntity.class)
                .setParameter("now", now).setMaxResults(limit).setLockMode(LockModeType.PESSIMISTIC_WRITE);
        if (realmId != null) {
            q.setParameter("realmId", realmId);
        }
        try {
            q.unwrap(SelectionQuery.class).setHibernateLockMode(LockMode.UPGRADE_SKIPLOCKED);
        } catch (RuntimeException e) {
            LOG.debugf("SKIP LOCKED unavailable for the due query: %s", e.getMessage());
        }
        List<ConnectionEntity> claimed = new ArrayList<>();
        for (ConnectionEntity e : q.getResultList()) {
            if (e.getLeaseUntil() != null && e.getLeaseUntil() >= now) {
                continue;
            }
            e.setLeaseOwner(owner);
            e.setLeaseUntil(leaseUntil);
            e.setRefreshAt(leaseUntil);
            claimed.add(e);
        }
        em.flush();
        return claimed.stream().map(ConnectionStore::toModel).toList();
    }

    /** Writes a refreshed token set, if this owner still holds the lease; releases the lease. */
    public boolean completeRefresh(String id, String owner, TokenColumns t, long now) {
        String refreshClause = t.refreshTokenCiphertext() != null ? " c.refreshToken = :r," : "";
        var q = em.createQuery("update ConnectConnection c set c.accessToken = :a," + refreshClause + " c.rawToken = :raw,"
                        + " c.keyId = :k, c.tokenType = :tt, c.scopes = :s, c.metadata = :m, c.expiresAt = :exp,"
                        + " c.refreshAt = :ra, c.status = :st, c.statusReason = null, c.failureCount = 0,"
                        + " c.lastRefreshAt = :now, c.leaseOwner = null, c.leaseUntil = null, c.updatedAt = :now,"
                        + " c.version = c.version + 1 where c.id = :id and c.leaseOwner = :o")
                .setParameter("a", t.accessTokenCiphertext()).setParameter("raw", t.rawTokenCiphertext())
                .setParameter("k", t.keyId()).setParameter("tt", t.tokenType()).setParameter("s", joinScopes(t.scopes()))
                .setParameter("m", writeMetadata(t.metadata())).setParameter("exp", t.expiresAt())
                .setParameter("ra", t.refreshAt()).setParameter("st", ConnectionStatus.ACTIVE.id())
                .setParameter("now", now).setParameter("id", id).setParameter("o", owner);
        if (t.refreshTokenCiphertext() != null) {
            q.setParameter("r", t.refreshTokenCiphertext());
        }
        return q.executeUpdate() == 1;
    }

    /** Records a failed refresh, if this owner still holds the lease; releases the lease. */
    public boolean failRefresh(String id, String owner, ConnectionStatus status, String reason, int failureCount,
                               Long refreshAt, long now) {
        return em.createQuery("update ConnectConnection c set c.status = :st, c.statusReason = :reason,"
                        + " c.failureCount = :fc, c.refreshAt = :ra, c.lastErrorAt = :now, c.leaseOwner = null,"
                        + " c.leaseUntil = null, c.updatedAt = :now, c.version = c.version + 1"
                        + " where c.id = :id and c.leaseOwner = :o")
                .setParameter("st", status.id()).setParameter("reason", truncate(reason, 255))
                .setParameter("fc", failureCount).setParameter("ra", refreshAt).setParameter("now", now)
                .setParameter("id", id).setParameter("o", owner).executeUpdate() == 1;
    }

    /** Gives a lease back without changing anything else. */
    public void release(String id, String owner, Long refreshAt) {
        em.createQuery("update ConnectConnection c set c.leaseOwner = null, c.leaseUntil = null, c.refreshAt = :ra"
                        + " where c.id = :id and c.leaseOwner = :o")
                .setParameter("ra", refreshAt).setParameter("id", id).setParameter("o", owner).executeUpdate();
    }

    /** Marks a connection that can no longer be refreshed (no lease needed: nothing else can improve it). */
    public void markNeedsReauth(String id, String reason, long now) {
        em.createQuery("update ConnectConnection c set c.status = :st, c.statusReason = :reason, c.refreshAt = null,"
                        + " c.lastErrorAt = :now, c.updatedAt = :now, c.version = c.version + 1 where c.id = :id")
                .setParameter("st", ConnectionStatus.NEEDS_REAUTH.id()).setParameter("reason", truncate(reason, 255))
                .setParameter("now", now).setParameter("id", id).executeUpdate();
    }

    /** Notes a read, at most once per {@code granularityMillis}, so reads stay read-only on the hot path. */
    public void touch(String id, long now, long granularityMillis) {
        em.createQuery("update ConnectConnection c set c.lastUsedAt = :now where c.id = :id"
                        + " and (c.lastUsedAt is null or c.lastUsedAt < :before)")
                .setParameter("now", now).setParameter("id", id).setParameter("before", now - granularityMillis)
                .executeUpdate();
    }

    /** Connections per status, across realms (for the metrics gauge). */
    public java.util.Map<String, Long> countByStatus() {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        for (Object[] row : em.createQuery("select c.status, count(c) from ConnectConnection c group by c.status", Object[].class)
                .getResultList()) {
            m.put((String) row[0], ((Number) row[1]).longValue());
        }
        return m;
    }

    /**
     * Deletes connections that can never work again and were left that way since {@code cutoff}: those needing a
     * new consent, and expired ones without a refresh token.
     */
    public int deleteTerminalBefore(long cutoff) {
        return em.createQuery("delete from ConnectConnection c where (c.status = :st and c.lastErrorAt < :cutoff)"
                        + " or (c.refreshToken is null and c.expiresAt < :cutoff"
                        + " and (c.grantType is null or c.grantType <> 'client_credentials'))")
                .setParameter("st", ConnectionStatus.NEEDS_REAUTH.id()).setParameter("cutoff", cutoff).executeUpdate();
    }

    /** Every connection of a realm (admin view), optionally of one status, paged by creation time. */
    public List<Connection> listByRealm(String realmId, ConnectionStatus status, int first, int max) {
        var q = em.createQuery("select c from ConnectConnection c where c.realmId = :realmId"
                + (status == null ? "" : " and c.status = :st") + " order by c.createdAt, c.id", ConnectionEntity.class)
                .setParameter("realmId", realmId).setFirstResult(first).setMaxResults(max);
        if (status != null) {
            q.setParameter("st", status.id());
        }
        return q.getResultStream().map(ConnectionStore::toModel).toList();
    }

    public boolean delete(String id) {
        return em.createQuery("delete from ConnectConnection c where c.id = :id").setParameter("id", id).executeUpdate() == 1;
    }

    public int deleteByUser(String realmId, String userId) {
        return em.createNamedQuery("ConnectConnection.deleteByUser").setParameter("realmId", realmId)
                .setParameter("userId", userId).executeUpdate();
    }

    /** A removed client's own connections (client credentials). */
    public int deleteByOwnerClient(String realmId, String clientId) {
        return em.createNamedQuery("ConnectConnection.deleteByOwnerClient").setParameter("realmId", realmId)
                .setParameter("ownerClient", clientId).executeUpdate();
    }

    public int deleteByRealm(String realmId) {
        return em.createNamedQuery("ConnectConnection.deleteByRealm").setParameter("realmId", realmId).executeUpdate();
    }

    static Connection toModel(ConnectionEntity e) {
        return new Connection(e.getId(), e.getRealmId(), e.getUserId(), e.getProvider(), e.getConnectionId(),
                e.getAccountId(), e.getAccountName(), e.getAccessToken(), e.getRefreshToken(), e.getRawToken(),
                e.getKeyId(), e.getTokenType(), splitScopes(e.getScopes()), readMetadata(e.getMetadata()),
                e.getExpiresAt(), ConnectionStatus.of(e.getStatus()), e.getStatusReason(), e.getFailureCount(),
                e.getRefreshAt(), e.getLastRefreshAt(), e.getLastErrorAt(), e.getLastUsedAt(), e.getCreatedAt(),
                e.getUpdatedAt(), e.getLeaseOwner(), e.getLeaseUntil(), e.getVersion(), GrantType.of(e.getGrantType()),
                e.getOwnerClient(), e.getPendingGrant(), e.getPollInterval());
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

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
