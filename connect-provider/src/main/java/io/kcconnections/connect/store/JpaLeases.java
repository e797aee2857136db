package io.kcconnections.connect.store;

import java.util.ArrayList;
import java.util.List;

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
    public boolean completeRefresh(String id, String owner, TokenColumns t, long now) {
        return RowUpdate.of(em, changes, id).tokensKeepingRefresh(t).set("status", ConnectionStatus.ACTIVE.id())
                .clear("statusReason").set("failureCount", 0).set("lastRefreshAt", now).releaseLease().versioned(now)
                .leasedBy(owner).ran();
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
