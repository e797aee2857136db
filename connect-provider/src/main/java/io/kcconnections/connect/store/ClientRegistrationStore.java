package io.kcconnections.connect.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import jakarta.persistence.EntityManager;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** Dynamic client registrations, in the session's transaction. One per (realm, issuer): the unique key decides races. */
public final class ClientRegistrationStore {

    private final EntityManager em;

    public ClientRegistrationStore(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    public static String issuerHash(String issuer) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(issuer.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<ClientRegistration> find(String realmId, String issuer) {
        return em.createNamedQuery("ConnectClientRegistration.byIssuer", ClientRegistrationEntity.class)
                .setParameter("realmId", realmId).setParameter("issuerHash", issuerHash(issuer))
                .getResultStream().filter(e -> e.getIssuer().equals(issuer)).findFirst().map(ClientRegistrationStore::toModel);
    }

    /** Inserts; a concurrent registration for the same issuer makes the flush fail (the caller re-reads). */
    public void insert(ClientRegistration r) {
        ClientRegistrationEntity e = new ClientRegistrationEntity();
        e.setId(r.id());
        e.setRealmId(r.realmId());
        e.setIssuerHash(issuerHash(r.issuer()));
        e.setIssuer(r.issuer());
        e.setClientId(r.clientId());
        e.setClientSecret(r.clientSecretCiphertext());
        e.setRegistrationToken(r.registrationTokenCiphertext());
        e.setRegistrationUri(r.registrationUri());
        e.setAuthMethod(r.authMethod());
        e.setRedirectUri(r.redirectUri());
        e.setEndpoints(ConnectionStore.writeMetadata(r.endpoints()));
        e.setSecretExpiresAt(r.secretExpiresAt());
        e.setKeyId(r.keyId());
        e.setSource(r.source());
        e.setCreatedAt(r.createdAt());
        e.setUpdatedAt(r.updatedAt());
        em.persist(e);
        em.flush();
    }

    /** Records the authorization server's endpoints as just discovered. */
    public void updateEndpoints(String id, Map<String, String> endpoints, long now) {
        em.createQuery("update ConnectClientRegistration r set r.endpoints = :e, r.updatedAt = :now where r.id = :id")
                .setParameter("e", ConnectionStore.writeMetadata(endpoints)).setParameter("now", now)
                .setParameter("id", id).executeUpdate();
    }

    public boolean delete(String id) {
        return em.createQuery("delete from ConnectClientRegistration r where r.id = :id").setParameter("id", id)
                .executeUpdate() == 1;
    }

    public long count(String realmId) {
        return em.createQuery("select count(r) from ConnectClientRegistration r where r.realmId = :realmId", Long.class)
                .setParameter("realmId", realmId).getSingleResult();
    }

    /** The realm's registrations, oldest first. */
    public java.util.List<ClientRegistration> list(String realmId) {
        return em.createNamedQuery("ConnectClientRegistration.byRealm", ClientRegistrationEntity.class)
                .setParameter("realmId", realmId).getResultStream().map(ClientRegistrationStore::toModel).toList();
    }

    public int deleteByRealm(String realmId) {
        return em.createNamedQuery("ConnectClientRegistration.deleteByRealm").setParameter("realmId", realmId).executeUpdate();
    }

    private static ClientRegistration toModel(ClientRegistrationEntity e) {
        return new ClientRegistration(e.getId(), e.getRealmId(), e.getIssuer(), e.getClientId(), e.getClientSecret(),
                e.getRegistrationToken(), e.getRegistrationUri(), e.getAuthMethod(), e.getRedirectUri(),
                ConnectionStore.readMetadata(e.getEndpoints()), e.getSecretExpiresAt(), e.getKeyId(),
                e.getSource() == null ? ClientRegistration.DYNAMIC : e.getSource(), e.getCreatedAt(), e.getUpdatedAt());
    }
}
