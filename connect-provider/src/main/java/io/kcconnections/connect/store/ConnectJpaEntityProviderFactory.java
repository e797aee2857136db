package io.kcconnections.connect.store;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Registers the extension's entities and changelog. The id's first ten letters name the changelog table
 * ({@code DATABASECHANGELOG_KCCONNECTI}).
 */
public class ConnectJpaEntityProviderFactory implements JpaEntityProviderFactory, JpaEntityProvider {

    public static final String ID = "kcconnections";

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public List<Class<?>> getEntities() {
        return List.of(ConnectionEntity.class, ClientRegistrationEntity.class, WebhookRouteEntity.class,
                WebhookDeliveryEntity.class, CredentialEntity.class, HealthEntity.class, WebhookEndpointEntity.class,
                WebhookOutboxEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/kcconnections-changelog-master.xml";
    }

    @Override
    public String getFactoryId() {
        return ID;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
