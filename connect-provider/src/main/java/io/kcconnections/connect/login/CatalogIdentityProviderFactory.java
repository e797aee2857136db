package io.kcconnections.connect.login;

import java.util.List;

import org.keycloak.broker.provider.AbstractIdentityProviderFactory;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

/** The identity provider type {@code kc-connections} ({@link CatalogIdentityProvider}); the login sync makes them. */
public final class CatalogIdentityProviderFactory extends AbstractIdentityProviderFactory<CatalogIdentityProvider> {

    @Override
    public String getId() {
        return CatalogIdentityProvider.PROVIDER_ID;
    }

    @Override
    public String getName() {
        return "Keycloak Connections catalog provider";
    }

    @Override
    public CatalogIdentityProvider create(KeycloakSession session, IdentityProviderModel model) {
        return new CatalogIdentityProvider(session, model);
    }

    @Override
    public IdentityProviderModel createConfig() {
        return new IdentityProviderModel();
    }

    @Override
    public String getHelpText() {
        return "Sign-in through a Keycloak Connections catalog provider, with the provider's quirks and the client"
                + " credentials of its configuration (made by the login sync).";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of(new ProviderConfigProperty(CatalogIdentityProvider.PROVIDER, "Provider",
                "The catalog provider whose configuration signs people in; empty: the alias.",
                ProviderConfigProperty.STRING_TYPE, null));
    }
}
