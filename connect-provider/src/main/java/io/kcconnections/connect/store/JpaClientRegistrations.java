package io.kcconnections.connect.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.persistence.EntityManager;

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

    /** Inserts; a concurrent registration for the same issuer makes the flush fail (the caller re-reads). */
    @Override
    public void insert(ClientRegistration r) {
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
        em.persist(e);
        em.flush();
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

    @Override
    public long count(String realmId) {
        return em.createQuery("select count(r) from ConnectClientRegistration r where r.realmId = :realmId", Long.class)
                .setParameter("realmId", realmId).getSingleResult();
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
}
