package io.kcconnections.connect.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.persistence.EntityManager;

/** {@link CredentialRows} on Keycloak's JPA persistence unit. */
final class JpaCredentialRows implements CredentialRows {

    private final EntityManager em;

    JpaCredentialRows(EntityManager em) {
        this.em = em;
    }

    @Override
    public Optional<Credential> find(String realmId, String connectionId) {
        return em.createNamedQuery("ConnectCredential.byConnectionId", CredentialEntity.class)
                .setParameter("realmId", realmId).setParameter("connectionId", connectionId).getResultStream()
                .findFirst().map(JpaCredentialRows::model);
    }

    @Override
    public Optional<Credential> findById(String id) {
        return Optional.ofNullable(em.find(CredentialEntity.class, id)).map(JpaCredentialRows::model);
    }

    @Override
    public List<Credential> listByUser(String realmId, String userId) {
        return em.createNamedQuery("ConnectCredential.byUser", CredentialEntity.class).setParameter("realmId", realmId)
                .setParameter("userId", userId).getResultStream().map(JpaCredentialRows::model).toList();
    }

    @Override
    public List<Credential> listByOwnerClient(String realmId, String ownerClient) {
        return em.createNamedQuery("ConnectCredential.byOwnerClient", CredentialEntity.class).setParameter("realmId", realmId)
                .setParameter("ownerClient", ownerClient).getResultStream().map(JpaCredentialRows::model).toList();
    }

    @Override
    public long countOfType(String realmId, String userId, String ownerClient, String type) {
        var q = userId != null
                ? em.createNamedQuery("ConnectCredential.countByUserType", Long.class).setParameter("userId", userId)
                : em.createNamedQuery("ConnectCredential.countByClientType", Long.class).setParameter("ownerClient", ownerClient);
        return q.setParameter("realmId", realmId).setParameter("type", type).getSingleResult();
    }

    @Override
    public boolean insert(Credential c) {
        if (find(c.realmId(), c.connectionId()).isPresent()) {
            return false;
        }
        CredentialEntity e = new CredentialEntity();
        e.id = c.id();
        e.realmId = c.realmId();
        e.connectionId = c.connectionId();
        e.userId = c.userId();
        e.ownerClient = c.ownerClient();
        e.appClient = c.appClient();
        e.provider = c.provider();
        e.type = c.type();
        e.createdAt = c.createdAt();
        write(e, c, c.updatedAt());
        em.persist(e);
        em.flush();
        return true;
    }

    @Override
    public boolean update(Credential next, long now) {
        CredentialEntity e = em.find(CredentialEntity.class, next.id());
        if (e == null || e.version != next.version()) {
            return false;
        }
        write(e, next, now);
        em.flush();
        return true;
    }

    private static void write(CredentialEntity e, Credential c, long now) {
        e.fields = Rows.writeMetadata(c.fields());
        e.fields = e.fields == null ? "{}" : e.fields;
        e.secrets = Rows.writeMetadata(c.secrets());
        e.secrets = e.secrets == null ? "{}" : e.secrets;
        e.keyId = c.keyId();
        e.updatedAt = now;
    }

    @Override
    public boolean delete(String id) {
        CredentialEntity e = em.find(CredentialEntity.class, id);
        if (e == null) {
            return false;
        }
        em.remove(e);
        em.flush();
        return true;
    }

    @Override
    public void deleteByUser(String realmId, String userId) {
        em.createNamedQuery("ConnectCredential.deleteByUser").setParameter("realmId", realmId).setParameter("userId", userId)
                .executeUpdate();
    }

    @Override
    public void deleteByOwnerClient(String realmId, String ownerClient) {
        em.createNamedQuery("ConnectCredential.deleteByOwnerClient").setParameter("realmId", realmId)
                .setParameter("ownerClient", ownerClient).executeUpdate();
    }

    @Override
    public void deleteByRealm(String realmId) {
        em.createNamedQuery("ConnectCredential.deleteByRealm").setParameter("realmId", realmId).executeUpdate();
    }

    @Override
    public List<Credential> onOtherKeys(String realmId, String keyId, int limit) {
        var q = realmId == null ? em.createNamedQuery("ConnectCredential.onOlderKeys", CredentialEntity.class)
                : em.createNamedQuery("ConnectCredential.onOlderKeysInRealm", CredentialEntity.class).setParameter("realmId", realmId);
        return q.setParameter("keyId", keyId).setMaxResults(limit).getResultStream().map(JpaCredentialRows::model).toList();
    }

    @Override
    public long countOnOtherKeys(String realmId, String keyId) {
        var q = realmId == null ? em.createNamedQuery("ConnectCredential.countOnOlderKeys", Long.class)
                : em.createNamedQuery("ConnectCredential.countOnOlderKeysInRealm", Long.class).setParameter("realmId", realmId);
        return q.setParameter("keyId", keyId).getSingleResult();
    }

    static Credential model(CredentialEntity e) {
        Map<String, String> fields = Rows.readMetadata(e.fields);
        Map<String, String> secrets = Rows.readMetadata(e.secrets);
        return new Credential(e.id, e.realmId, e.connectionId, e.userId, e.ownerClient, e.appClient, e.provider, e.type,
                fields, secrets, e.keyId, e.createdAt, e.updatedAt, e.version);
    }
}
