package io.kcconnections.connect.spi;

import java.util.List;

import io.kcconnections.connect.spi.template.ProviderTemplate;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderFactory;

/**
 * Contributes provider templates to the catalog from another jar (programmatic registration).
 * <p>
 * Register the implementation in {@code META-INF/services/io.kcconnections.connect.spi.ProviderCatalogSourceFactory}.
 * Templates are read once, after every factory's {@code postInit}. A template whose name is already in the built-in
 * catalog replaces the built-in one (and the replacement is logged); two contributed templates with the same name are
 * a start-up error reported in the log, and neither is used.
 * Contributed templates are configured like built-in ones (environment, realm configuration).
 */
public interface ProviderCatalogSourceFactory extends ProviderFactory<ProviderCatalogSource> {

    /** The templates to add. Never null; each must pass {@link ProviderTemplate#problems()}. */
    List<ProviderTemplate> templates();

    @Override
    default ProviderCatalogSource create(KeycloakSession session) {
        return new ProviderCatalogSource() {
        };
    }

    @Override
    default void init(Config.Scope config) {
    }

    @Override
    default void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    default void close() {
    }
}
