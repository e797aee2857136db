package io.kcconnections.connect.hooks;

import io.kcconnections.connect.spi.ProviderHook;
import io.kcconnections.connect.spi.ProviderHookFactory;
import org.keycloak.models.KeycloakSession;

/** The {@code shopify} provider hook: the signed callback (hmac, shop) is checked before the code exchange. */
public final class ShopifyHookFactory implements ProviderHookFactory {

    public static final String ID = "shopify";

    private static final ShopifyHook HOOK = new ShopifyHook();

    @Override
    public ProviderHook create(KeycloakSession session) {
        return HOOK;
    }

    @Override
    public String getId() {
        return ID;
    }
}
