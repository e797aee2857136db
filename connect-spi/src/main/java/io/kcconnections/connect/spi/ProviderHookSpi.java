package io.kcconnections.connect.spi;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** SPI {@code connect-provider-hook}: code hooks for provider quirks. */
public final class ProviderHookSpi implements Spi {

    public static final String NAME = "connect-provider-hook";

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
        return ProviderHook.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return ProviderHookFactory.class;
    }
}
