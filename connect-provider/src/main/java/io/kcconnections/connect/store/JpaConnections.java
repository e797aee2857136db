package io.kcconnections.connect.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.persistence.EntityManager;

/** {@link Connections} on Keycloak's JPA persistence unit. */
final class JpaConnections implements Connections {

    private final EntityManager em;
    private final RowChanges changes;

    JpaConnections(EntityManager em, RowChanges changes) {
        this.em = em;
        this.changes = changes;
    }

    @Override
    public Optional<Connection> find(String realmId, String provider, String connectionId) {
        return em.createNamedQuery("ConnectConnection.byKey", ConnectionEntity.class)
                .setParameter("realmId", realmId).setParameter("provider", provider)
                .setParameter("connectionId", connectionId)
                .getResultStream().findFirst().map(Rows::toModel);
    }

    @Override
    public List<Connection> findForRead(String realmId, String provider, String connectionId) {
        RowCache cache = RowCache.get();
        if (!cache.enabled()) {
            return load(realmId, provider, connectionId);
        }
        String key = RowCache.key(realmId, provider, connectionId);
        List<Connection> rows = cache.get(key);
        if (rows == null) {
            long generation = cache.generation();
            rows = load(realmId, provider, connectionId);
            cache.put(key, rows, generation);
        }
        return rows;
    }

    private List<Connection> load(String realmId, String provider, String connectionId) {
        return provider == null ? findByConnectionId(realmId, connectionId)
                : find(realmId, provider, connectionId).map(List::of).orElse(List.of());
    }

    @Override
    public Optional<Connection> findById(String id) {
        ConnectionEntity e = em.find(ConnectionEntity.class, id);
        if (e != null) {
            em.refresh(e);
        }
        return Optional.ofNullable(e).map(Rows::toModel);
    }

    @Override
    public List<Connection> findByConnectionId(String realmId, String connectionId) {
        return em.createNamedQuery("ConnectConnection.byConnectionId", ConnectionEntity.class)
                .setParameter("realmId", realmId).setParameter("connectionId", connectionId)
                .getResultStream().map(Rows::toModel).toList();
    }

    @Override
    public List<Connection> listByUser(String realmId, String userId) {
        return em.createNamedQuery("ConnectConnection.byUser", ConnectionEntity.class)
                .setParameter("realmId", realmId).setParameter("userId", userId)
                .getResultStream().map(Rows::toModel).toList();
    }

    @Override
    public List<Connection> findByAccount(String realmId, String provider, String accountId, int max) {
        return em.createNamedQuery("ConnectConnection.byAccount", ConnectionEntity.class).setParameter("realmId", realmId)
                .setParameter("provider", provider).setParameter("accountId", accountId).setMaxResults(max)
                .getResultStream().map(Rows::toModel).toList();
    }

    @Override
    public long countByUser(String realmId, String userId) {
        return em.createQuery("select count(c) from ConnectConnection c where c.realmId = :r and c.userId = :u", Long.class)
                .setParameter("r", realmId).setParameter("u", userId).getSingleResult();
    }

    @Override
    public List<Connection> listByOwnerClient(String realmId, String clientId) {
        return em.createNamedQuery("ConnectConnection.byOwnerClient", ConnectionEntity.class)
                .setParameter("realmId", realmId).setParameter("ownerClient", clientId)
                .getResultStream().map(Rows::toModel).toList();
    }

    @Override
    public List<Connection> listByRealm(String realmId, ConnectionStatus status, String provider, int first, int max) {
        var q = em.createQuery("select c from ConnectConnection c where c.realmId = :realmId"
                + (status == null ? "" : " and c.status = :st") + (provider == null ? "" : " and c.provider = :provider")
                + " order by c.createdAt, c.id", ConnectionEntity.class)
                .setParameter("realmId", realmId).setFirstResult(first).setMaxResults(max);
        if (status != null) {
            q.setParameter("st", status.id());
        }
        if (provider != null) {
            q.setParameter("provider", provider);
        }
        return q.getResultStream().map(Rows::toModel).toList();
    }

    @Override
    public void insert(Connection c) {
        if (changes != null) {
            changes.inserted(c.realmId(), c.connectionId());
        }
        em.persist(Rows.toEntity(c));
        em.flush();
    }

    @Override
    public int replaceAfterConsent(String id, String appClient, String accountId, String accountName, TokenColumns t,
                                   long now) {
        return RowUpdate.of(em, changes, id).tokensKeepingRefresh(t).set("appClient", appClient).set("accountId", accountId)
                .set("accountName", accountName)
                .set("status", ConnectionStatus.ACTIVE.id()).set("failureCount", 0).set("lastRefreshAt", now)
                .clear("statusReason", "lastErrorAt", "pendingGrant", "pollInterval").releaseLease().versioned(now)
                .run();
    }

    @Override
    public void setAccount(String id, String accountId, String accountName) {
        RowUpdate.of(em, changes, id).set("accountId", Rows.truncate(accountId)).set("accountName", Rows.truncate(accountName))
                .run();
    }

    @Override
    public void markNeedsReauth(String id, int readVersion, String reason, long now) {
        RowUpdate.of(em, changes, id).set("status", ConnectionStatus.NEEDS_REAUTH.id()).set("statusReason", Rows.truncate(reason))
                .clear("refreshAt").set("lastErrorAt", now).versioned(now).where("version", readVersion).run();
    }

    @Override
    public void touch(String id, long now, long granularityMillis) {
        RowUpdate.of(em, changes, id).set("lastUsedAt", now).whereClause("(c.lastUsedAt is null or c.lastUsedAt < ?)", now - granularityMillis)
                .run();
    }

    @Override
    public Map<String, Long> countByStatus() {
        Map<String, Long> m = new TreeMap<>();
        for (Object[] row : em.createQuery("select c.status, count(c) from ConnectConnection c group by c.status", Object[].class)
                .getResultList()) {
            m.put((String) row[0], ((Number) row[1]).longValue());
        }
        return m;
    }

    @Override
    public int deleteTerminalBefore(long cutoff) {
        if (changes != null) {
            changes.all();
        }
        return em.createQuery("delete from ConnectConnection c where (c.status = :st and c.lastErrorAt < :cutoff)"
                        + " or (c.refreshToken is null and c.expiresAt < :cutoff"
                        + " and (c.grantType is null or c.grantType <> 'client_credentials'))")
                .setParameter("st", ConnectionStatus.NEEDS_REAUTH.id()).setParameter("cutoff", cutoff).executeUpdate();
    }

    @Override
    public boolean delete(String id) {
        if (changes != null) {
            changes.row(id);
        }
        return em.createQuery("delete from ConnectConnection c where c.id = :id").setParameter("id", id).executeUpdate() == 1;
    }

    @Override
    public int deleteByUser(String realmId, String userId) {
        if (changes != null) {
            changes.all();
        }
        return em.createNamedQuery("ConnectConnection.deleteByUser").setParameter("realmId", realmId)
                .setParameter("userId", userId).executeUpdate();
    }

    @Override
    public int deleteByOwnerClient(String realmId, String clientId) {
        if (changes != null) {
            changes.all();
        }
        return em.createNamedQuery("ConnectConnection.deleteByOwnerClient").setParameter("realmId", realmId)
                .setParameter("ownerClient", clientId).executeUpdate();
    }

    @Override
    public int deleteByRealm(String realmId) {
        if (changes != null) {
            changes.all();
        }
        return em.createNamedQuery("ConnectConnection.deleteByRealm").setParameter("realmId", realmId).executeUpdate();
    }

    @Override
    public List<Connection> onOtherKeys(String realmId, String keyId, String afterId, int limit) {
        String jpql = "select c from ConnectConnection c where c.keyId <> :kid" + (realmId == null ? "" : " and c.realmId = :realmId")
                + (afterId == null ? "" : " and c.id > :after") + " order by c.id";
        var q = em.createQuery(jpql, ConnectionEntity.class).setParameter("kid", keyId).setMaxResults(limit);
        if (realmId != null) {
            q.setParameter("realmId", realmId);
        }
        if (afterId != null) {
            q.setParameter("after", afterId);
        }
        return q.getResultStream().map(Rows::toModel).toList();
    }

    @Override
    public long countOnOtherKeys(String realmId, String keyId) {
        var q = em.createQuery("select count(c) from ConnectConnection c where c.keyId <> :kid"
                + (realmId == null ? "" : " and c.realmId = :realmId"), Long.class).setParameter("kid", keyId);
        if (realmId != null) {
            q.setParameter("realmId", realmId);
        }
        return q.getSingleResult();
    }

    @Override
    public boolean rewrap(String id, int readVersion, String keyId, String access, String refresh, String raw, String pending) {
        return RowUpdate.of(em, changes, id).set("accessToken", access).set("refreshToken", refresh).set("rawToken", raw)
                .set("pendingGrant", pending).set("keyId", keyId).where("version", readVersion).ran();
    }
}
