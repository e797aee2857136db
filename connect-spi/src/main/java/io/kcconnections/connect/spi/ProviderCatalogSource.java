package io.kcconnections.connect.spi;

import org.keycloak.provider.Provider;

/**
 * Marker provider of the {@code connect-catalog-source} SPI. The work is done by
 * {@link ProviderCatalogSourceFactory#templates()}, read once at start-up.
 */
public interface ProviderCatalogSource extends Provider {

    @Override
    default void close() {
    }
}
