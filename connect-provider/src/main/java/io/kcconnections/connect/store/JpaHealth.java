package io.kcconnections.connect.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.hibernate.LockMode;
import org.hibernate.query.SelectionQuery;
import org.jboss.logging.Logger;

/** {@link Health} on Keycloak's JPA persistence unit: due rows claimed with {@code SKIP LOCKED}, writes by lease owner. */
final class JpaHealth implements Health {

    private static final Logger LOG = Logger.getLogger(JpaHealth.class);

    private final EntityManager em;

    JpaHealth(EntityManager em) {
        this.em = em;
    }

    @Override
    public void track(String id, String realmId, String kind, long nextCheckAt) {
        if (em.find(HealthEntity.class, id) != null) {
            return;
        }
        HealthEntity h = new HealthEntity();
        h.id = id;
        h.realmId = realmId;
        h.kind = kind;
        h.status = "unknown";
        h.nextCheckAt = nextCheckAt;
        em.persist(h);
    }

    @Override
    public int seedConnections(long nextCheckAt) {
        return em.createNamedQuery("ConnectHealth.seedConnections").setParameter("next", nextCheckAt).executeUpdate();
    }

    @Override
    public List<State> claimDue(String owner, long now, long nextCheckAt, int limit) {
        return claim(em.createNamedQuery("ConnectHealth.due", HealthEntity.class).setParameter("now", now), owner,
                nextCheckAt, limit);
    }

    @Override
    public List<State> claimRealm(String realmId, String owner, long nextCheckAt, int limit) {
        return claim(em.createNamedQuery("ConnectHealth.inRealm", HealthEntity.class).setParameter("realmId", realmId),
                owner, nextCheckAt, limit);
    }

    private List<State> claim(jakarta.persistence.TypedQuery<HealthEntity> query, String owner, long nextCheckAt, int limit) {
        var q = query.setMaxResults(limit).setLockMode(LockModeType.PESSIMISTIC_WRITE);
        try {
            q.unwrap(SelectionQuery.class).setHibernateLockMode(LockMode.UPGRADE_SKIPLOCKED);
        } catch (RuntimeException e) {
            LOG.debugf("SKIP LOCKED unavailable for the health query: %s", e.getMessage());
        }
        List<State> claimed = new ArrayList<>();
        for (HealthEntity h : q.getResultList()) {
            h.leaseOwner = owner;
            h.nextCheckAt = nextCheckAt;
            claimed.add(model(h));
        }
        em.flush();
        return claimed;
    }

    @Override
    public State claim(String id, String owner, long nextCheckAt) {
        HealthEntity h = em.find(HealthEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (h == null) {
            return null;
        }
        h.leaseOwner = owner;
        h.nextCheckAt = nextCheckAt;
        em.flush();
        return model(h);
    }

    @Override
    public State complete(String id, String owner, String status, int failures, String lastError, long now) {
        HealthEntity h = em.find(HealthEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (h == null || !owner.equals(h.leaseOwner)) {
            return null;
        }
        State before = model(h);
        h.status = status;
        h.failures = failures;
        h.lastCheckAt = now;
        h.lastError = Rows.truncate(lastError);
        if (lastError == null) {
            h.lastOkAt = now;
        }
        h.leaseOwner = null;
        em.flush();
        return before;
    }

    @Override
    public Map<String, State> byIds(Collection<String> ids) {
        Map<String, State> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        em.createNamedQuery("ConnectHealth.byIds", HealthEntity.class).setParameter("ids", ids).getResultStream()
                .forEach(h -> out.put(h.id, model(h)));
        return out;
    }

    @Override
    public Map<String, Map<String, Long>> summary(String realmId) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Object[] row : em.createNamedQuery("ConnectHealth.summary", Object[].class).setParameter("realmId", realmId)
                .getResultList()) {
            out.computeIfAbsent((String) row[0], k -> new LinkedHashMap<>()).put((String) row[1], ((Number) row[2]).longValue());
        }
        return out;
    }

    @Override
    public List<State> unhealthy(String realmId, int max) {
        return em.createNamedQuery("ConnectHealth.unhealthy", HealthEntity.class).setParameter("realmId", realmId)
                .setMaxResults(max).getResultStream().map(JpaHealth::model).toList();
    }

    @Override
    public boolean forget(String id) {
        HealthEntity h = em.find(HealthEntity.class, id);
        if (h == null) {
            return false;
        }
        em.remove(h);
        return true;
    }

    @Override
    public void deleteByRealm(String realmId) {
        em.createNamedQuery("ConnectHealth.deleteByRealm").setParameter("realmId", realmId).executeUpdate();
    }

    private static State model(HealthEntity h) {
        return new State(h.id, h.realmId, h.kind, h.status, h.failures, h.lastCheckAt, h.lastOkAt, h.lastError, h.nextCheckAt);
    }
}
