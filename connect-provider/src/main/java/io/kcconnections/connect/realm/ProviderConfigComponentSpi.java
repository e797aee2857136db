package io.kcconnections.connect.realm;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * SPI {@code connect-provider-config}: the component type of realm provider configurations. It has one factory,
 * {@link ProviderConfigComponentFactory}; the SPI exists so that Keycloak knows the component type (validation,
 * export and import, the components admin API).
 */
public final class ProviderConfigComponentSpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return "connect-provider-config";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return ProviderConfigComponent.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return ProviderConfigComponentFactory.class;
    }
}
