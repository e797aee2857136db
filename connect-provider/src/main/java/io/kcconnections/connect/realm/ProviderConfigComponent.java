package io.kcconnections.connect.realm;

import org.keycloak.provider.Provider;

/**
 * The component type under which a realm stores its provider configurations: one realm component per configured
 * provider, named like the provider, its settings in the component's config (see
 * {@link io.kcconnections.connect.catalog.RealmProviderConfigs}, which reads them).
 * Being realm components, they travel with realm export and import and show in the realm's JSON under
 * {@code components."io.kcconnections.connect.realm.ProviderConfigComponent"}; that type name (this interface's name,
 * also {@link io.kcconnections.connect.catalog.RealmProviderConfigs#COMPONENT_TYPE}) is therefore part of the stored
 * format: neither this interface nor its package may be renamed.
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
