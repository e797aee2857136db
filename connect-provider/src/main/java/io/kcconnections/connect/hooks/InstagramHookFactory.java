package io.kcconnections.connect.hooks;

import io.kcconnections.connect.spi.ProviderHook;
import io.kcconnections.connect.spi.ProviderHookFactory;
import org.keycloak.models.KeycloakSession;

/** The {@code instagram} provider hook: the long-lived token exchange and its renewal on graph.instagram.com. */
public final class InstagramHookFactory implements ProviderHookFactory {

    public static final String ID = "instagram";

    private static final InstagramHook HOOK = new InstagramHook();

    @Override
    public ProviderHook create(KeycloakSession session) {
        return HOOK;
    }

    @Override
    public String getId() {
        return ID;
    }
}
