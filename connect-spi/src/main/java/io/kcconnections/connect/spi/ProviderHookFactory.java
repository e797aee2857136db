package io.kcconnections.connect.spi;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderFactory;

/**
 * Factory of a {@link ProviderHook}; its id is what a template's {@code hook:} names. Register it in
 * {@code META-INF/services/io.kcconnections.connect.spi.ProviderHookFactory}.
 */
public interface ProviderHookFactory extends ProviderFactory<ProviderHook> {

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
