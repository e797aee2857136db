package io.kcconnections.connect.spi;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** SPI {@code connect-catalog-source}: provider templates contributed by other jars. */
public final class ProviderCatalogSourceSpi implements Spi {

    public static final String NAME = "connect-catalog-source";

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return ProviderCatalogSource.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return ProviderCatalogSourceFactory.class;
    }
}
