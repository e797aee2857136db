package io.kcconnections.connect.realm;

import org.keycloak.provider.Provider;

/**
 * The component type under which a realm stores its provider configurations: one realm component per configured
 * provider, named like the provider, its settings in the component's config (see {@link RealmProviderConfigs}).
 * Being realm components, they travel with realm export and import and show in the realm's JSON under
 * {@code components."io.kcconnections.connect.realm.ProviderConfigComponent"}; that type name is therefore part of the
 * stored format and must not change.
 * <p>
 * The component itself carries no behaviour; {@code ProviderRegistry} reads the components and resolves them.
 */
public interface ProviderConfigComponent extends Provider {

    /** The component's {@code providerType}. */
    String TYPE = ProviderConfigComponent.class.getName();

    @Override
    default void close() {
    }
}
