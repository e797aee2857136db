package io.kcconnections.connect.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/** {@link ClientRegistrations} on Keycloak's JPA persistence unit. */
final class JpaClientRegistrations implements ClientRegistrations {

    private final EntityManager em;

    JpaClientRegistrations(EntityManager em) {
        this.em = em;
    }

    @Override
    public Optional<ClientRegistration> find(String realmId, String issuer) {
        return em.createNamedQuery("ConnectClientRegistration.byIssuer", ClientRegistrationEntity.class)
                .setParameter("realmId", realmId).setParameter("issuerHash", ClientRegistrations.issuerHash(issuer))
                .getResultStream().filter(e -> e.getIssuer().equals(issuer)).findFirst().map(JpaClientRegistrations::toModel);
    }

    @Override
    public void insert(ClientRegistration r) {
        em.persist(entity(r));
        em.flush();
    }

    @Override
    public Quota insertWithin(ClientRegistration r, String person, int maxPerRealm, int maxPerPerson) {
        List<Integer> realmSlots = em.createQuery("select r.realmSlot from ConnectClientRegistration r where r.realmId = :realmId"
                + " and r.source = :dynamic", Integer.class).setParameter("realmId", r.realmId())
                .setParameter("dynamic", ClientRegistration.DYNAMIC).getResultList();
        if (realmSlots.size() >= maxPerRealm) {
            return Quota.REALM_FULL;
        }
        List<Integer> personSlots = em.createQuery("select r.userSlot from ConnectClientRegistration r where r.realmId = :realmId"
                + " and r.createdBy = :person", Integer.class).setParameter("realmId", r.realmId())
                .setParameter("person", person).getResultList();
        if (personSlots.size() >= maxPerPerson) {
            return Quota.PERSON_FULL;
        }
        ClientRegistrationEntity e = entity(r);
        e.setCreatedBy(person);
        e.setRealmSlot(lowestFree(realmSlots));
        e.setUserSlot(lowestFree(personSlots));
        em.persist(e);
        em.flush();
        return Quota.TAKEN;
    }

    private static int lowestFree(List<Integer> taken) {
        int slot = 0;
        while (taken.contains(slot)) {
            slot++;
        }
        return slot;
    }

    @Override
    public long countDynamic(String realmId) {
        return em.createQuery("select count(r) from ConnectClientRegistration r where r.realmId = :realmId and r.source = :dynamic",
                Long.class).setParameter("realmId", realmId).setParameter("dynamic", ClientRegistration.DYNAMIC).getSingleResult();
    }

    @Override
    public long countBy(String realmId, String person) {
        return em.createQuery("select count(r) from ConnectClientRegistration r where r.realmId = :realmId and r.createdBy = :person",
                Long.class).setParameter("realmId", realmId).setParameter("person", person).getSingleResult();
    }

    private static ClientRegistrationEntity entity(ClientRegistration r) {
        ClientRegistrationEntity e = new ClientRegistrationEntity();
        e.setId(r.id());
        e.setRealmId(r.realmId());
        e.setIssuerHash(ClientRegistrations.issuerHash(r.issuer()));
        e.setIssuer(r.issuer());
        e.setClientId(r.clientId());
        e.setClientSecret(r.clientSecretCiphertext());
        e.setRegistrationToken(r.registrationTokenCiphertext());
        e.setRegistrationUri(r.registrationUri());
        e.setAuthMethod(r.authMethod());
        e.setRedirectUri(r.redirectUri());
        e.setEndpoints(Rows.writeMetadata(r.endpoints()));
        e.setSecretExpiresAt(r.secretExpiresAt());
        e.setKeyId(r.keyId());
        e.setSource(r.source());
        e.setCreatedAt(r.createdAt());
        e.setUpdatedAt(r.updatedAt());
        return e;
    }

    /** Records the authorization server's endpoints as just discovered. */
    @Override
    public void updateEndpoints(String id, Map<String, String> endpoints, long now) {
        em.createQuery("update ConnectClientRegistration r set r.endpoints = :e, r.updatedAt = :now where r.id = :id")
                .setParameter("e", Rows.writeMetadata(endpoints)).setParameter("now", now)
                .setParameter("id", id).executeUpdate();
    }

    @Override
    public boolean delete(String id) {
        return em.createQuery("delete from ConnectClientRegistration r where r.id = :id").setParameter("id", id)
                .executeUpdate() == 1;
    }

    /** The realm's registrations, oldest first. */
    @Override
    public List<ClientRegistration> list(String realmId) {
        return em.createNamedQuery("ConnectClientRegistration.byRealm", ClientRegistrationEntity.class)
                .setParameter("realmId", realmId).getResultStream().map(JpaClientRegistrations::toModel).toList();
    }

    @Override
    public int deleteByRealm(String realmId) {
        return em.createNamedQuery("ConnectClientRegistration.deleteByRealm").setParameter("realmId", realmId).executeUpdate();
    }

    private static ClientRegistration toModel(ClientRegistrationEntity e) {
        return new ClientRegistration(e.getId(), e.getRealmId(), e.getIssuer(), e.getClientId(), e.getClientSecret(),
                e.getRegistrationToken(), e.getRegistrationUri(), e.getAuthMethod(), e.getRedirectUri(),
                Rows.readMetadata(e.getEndpoints()), e.getSecretExpiresAt(), e.getKeyId(),
                e.getSource() == null ? ClientRegistration.DYNAMIC : e.getSource(), e.getCreatedAt(), e.getUpdatedAt());
    }

    @Override
    public List<ClientRegistration> onOtherKeys(String realmId, String keyId, String afterId, int limit) {
        String jpql = "select r from ConnectClientRegistration r where r.keyId <> :kid"
                + (realmId == null ? "" : " and r.realmId = :realmId") + (afterId == null ? "" : " and r.id > :after") + " order by r.id";
        var q = em.createQuery(jpql, ClientRegistrationEntity.class).setParameter("kid", keyId).setMaxResults(limit);
        if (realmId != null) {
            q.setParameter("realmId", realmId);
        }
        if (afterId != null) {
            q.setParameter("after", afterId);
        }
        return q.getResultStream().map(JpaClientRegistrations::toModel).toList();
    }

    @Override
    public long countOnOtherKeys(String realmId, String keyId) {
        var q = em.createQuery("select count(r) from ConnectClientRegistration r where r.keyId <> :kid"
                + (realmId == null ? "" : " and r.realmId = :realmId"), Long.class).setParameter("kid", keyId);
        if (realmId != null) {
            q.setParameter("realmId", realmId);
        }
        return q.getSingleResult();
    }

    @Override
    public boolean rewrap(ClientRegistration old, String keyId, String secret, String registrationToken) {
        ClientRegistrationEntity e = em.find(ClientRegistrationEntity.class, old.id(), LockModeType.PESSIMISTIC_WRITE);
        if (e == null || !Objects.equals(e.getClientSecret(), old.clientSecretCiphertext())
                || !Objects.equals(e.getRegistrationToken(), old.registrationTokenCiphertext())) {
            return false;
        }
        e.setClientSecret(secret);
        e.setRegistrationToken(registrationToken);
        e.setKeyId(keyId);
        return true;
    }
}
