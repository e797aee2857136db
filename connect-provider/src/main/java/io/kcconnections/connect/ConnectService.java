package io.kcconnections.connect;

import io.kcconnections.connect.catalog.ProviderRegistry;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.KeyRingSource;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.refresh.Refresher;
import io.kcconnections.connect.store.ConnectionStore;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

/** Per-session access to the extension's runtime: {@code session.getProvider(ConnectService.class)}. */
public final class ConnectService implements Provider {

    private final KeycloakSession session;
    private final ConnectServiceFactory factory;

    ConnectService(KeycloakSession session, ConnectServiceFactory factory) {
        this.session = session;
        this.factory = factory;
    }

    public ConnectSettings settings() {
        return factory.settings();
    }

    public ProviderRegistry registry() {
        return factory.registry();
    }

    /** The key ring for a realm (vault references resolve per realm). */
    public KeyRing keyRing(RealmModel realm) throws KeyRingSource.KeyUnavailableException {
        return factory.keyRingSource().ring(session, realm);
    }

    public ConnectionStore store() {
        return new ConnectionStore(session);
    }

    public OAuthClient oauth() {
        return new OAuthClient(session, factory.registry().hostPolicy());
    }

    public Refresher refresher() {
        return factory.refresher();
    }

    public io.kcconnections.connect.refresh.RefreshPass refreshPass() {
        return factory.refreshPass();
    }

    @Override
    public void close() {
    }
}
