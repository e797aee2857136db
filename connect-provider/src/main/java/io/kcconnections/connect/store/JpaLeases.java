package io.kcconnections.connect.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.hibernate.LockMode;
import org.hibernate.query.SelectionQuery;
import org.jboss.logging.Logger;

/** {@link Leases} on Keycloak's JPA persistence unit: conditional UPDATEs and {@code SKIP LOCKED} claims. */
final class JpaLeases implements Leases {

    private static final Logger LOG = Logger.getLogger(JpaLeases.class);

    private final EntityManager em;
    private final RowChanges changes;

    JpaLeases(EntityManager em, RowChanges changes) {
        this.em = em;
        this.changes = changes;
    }

    @Override
    public boolean claim(String id, String owner, long now, long leaseUntil) {
        return RowUpdate.of(em, changes, id).set("leaseOwner", owner).set("leaseUntil", leaseUntil).set("refreshAt", leaseUntil)
                .bumpVersion().unleasedAt(now).ran();
    }

    @Override
    public List<Connection> claimDue(String realmId, String owner, long now, long leaseUntil, int limit) {
        return claimDue(em, changes, realmId == null ? "ConnectConnection.due" : "ConnectConnection.dueInRealm", realmId, owner,
                now, leaseUntil, limit);
    }

    /** Locks the rows a due query finds, skipping those other transactions hold, and leases them to {@code owner}. */
    static List<Connection> claimDue(EntityManager em, RowChanges changes, String query, String realmId, String owner,
                                     long now, long leaseUntil, int limit) {
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
            if (changes != null) {
                changes.row(e.getId());
            }
        }
        em.flush();
        return claimed.stream().map(Rows::toModel).toList();
    }

    @Override
    public Map<String, Connection> completeRefreshes(List<Completion> completions) {
        if (completions.isEmpty()) {
            return Map.of();
        }
        Map<String, Completion> byId = new HashMap<>();
        completions.forEach(c -> byId.put(c.id(), c));
        // Locked in id order, so two batches never wait on each other crosswise.
        List<ConnectionEntity> rows = em.createNamedQuery("ConnectConnection.byIds", ConnectionEntity.class)
                .setParameter("ids", byId.keySet()).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        List<ConnectionEntity> written = new ArrayList<>();
        for (ConnectionEntity e : rows) {
            Completion c = byId.get(e.getId());
            if (c == null || !c.owner().equals(e.getLeaseOwner())) {
                continue;
            }
            write(e, c.tokens(), c.now());
            written.add(e);
            if (changes != null) {
                changes.row(e.getId());
            }
        }
        em.flush();
        Map<String, Connection> out = new HashMap<>();
        written.forEach(e -> out.put(e.getId(), Rows.toModel(e)));
        return out;
    }

    /** A refresh's columns on a row: a null refresh-token ciphertext keeps the stored one; the lease is released. */
    private static void write(ConnectionEntity e, TokenColumns t, long now) {
        if (t.refreshTokenCiphertext() != null) {
            e.setRefreshToken(t.refreshTokenCiphertext());
        }
        e.setAccessToken(t.accessTokenCiphertext());
        e.setRawToken(t.rawTokenCiphertext());
        e.setKeyId(t.keyId());
        e.setTokenType(t.tokenType());
        e.setScopes(Rows.joinScopes(t.scopes()));
        e.setMetadata(Rows.writeMetadata(t.metadata()));
        e.setExpiresAt(t.expiresAt());
        e.setRefreshAt(t.refreshAt());
        e.setStatus(ConnectionStatus.ACTIVE.id());
        e.setStatusReason(null);
        e.setFailureCount(0);
        e.setLastRefreshAt(now);
        e.setLeaseOwner(null);
        e.setLeaseUntil(null);
        e.setUpdatedAt(now);
        e.setVersion(e.getVersion() + 1);
    }

    @Override
    public boolean failRefresh(String id, String owner, ConnectionStatus status, String reason, int failureCount,
                               Long refreshAt, long now) {
        return RowUpdate.of(em, changes, id).set("status", status.id()).set("statusReason", Rows.truncate(reason))
                .set("failureCount", failureCount).set("refreshAt", refreshAt).set("lastErrorAt", now).releaseLease()
                .versioned(now).leasedBy(owner).ran();
    }

    @Override
    public void release(String id, String owner, Long refreshAt) {
        RowUpdate.of(em, changes, id).releaseLease().set("refreshAt", refreshAt).leasedBy(owner).run();
    }
}
