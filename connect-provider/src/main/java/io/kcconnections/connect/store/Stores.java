package io.kcconnections.connect.store;

import jakarta.persistence.EntityManager;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/**
 * The one place storage is obtained: each interface on the session's JPA entity manager, so every read and write
 * runs in that session's transaction.
 */
public final class Stores {

    private Stores() {
    }

    public static Connections connections(KeycloakSession session) {
        return new JpaConnections(em(session), RowChanges.of(session));
    }

    public static Leases leases(KeycloakSession session) {
        return new JpaLeases(em(session), RowChanges.of(session));
    }

    public static PendingGrants pendingGrants(KeycloakSession session) {
        return new JpaPendingGrants(em(session), RowChanges.of(session));
    }

    public static ClientRegistrations registrations(KeycloakSession session) {
        return new JpaClientRegistrations(em(session));
    }

    public static Webhooks webhooks(KeycloakSession session) {
        return new JpaWebhooks(em(session));
    }

    public static CredentialRows credentials(KeycloakSession session) {
        return new JpaCredentialRows(em(session));
    }

    public static Health health(KeycloakSession session) {
        return new JpaHealth(em(session));
    }

    public static WebhookOut webhookOut(KeycloakSession session) {
        return new JpaWebhookOut(em(session));
    }

    private static EntityManager em(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }
}
