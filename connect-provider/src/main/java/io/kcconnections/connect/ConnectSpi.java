package io.kcconnections.connect;

import io.kcconnections.connect.connection.ConnectService;
import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * SPI {@code connect}: the extension's runtime. Its one provider, {@code default}, carries every deployment-wide
 * option ({@code --spi-connect--default--<option>}, listed in the server info).
 */
public final class ConnectSpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return "connect";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return ConnectService.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return ConnectServiceFactory.class;
    }
}
