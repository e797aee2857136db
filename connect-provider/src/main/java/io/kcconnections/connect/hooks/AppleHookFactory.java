package io.kcconnections.connect.hooks;

import java.time.Clock;

import io.kcconnections.connect.spi.ProviderHook;
import io.kcconnections.connect.spi.ProviderHookFactory;
import org.keycloak.models.KeycloakSession;

/** The {@code apple} provider hook: Sign in with Apple's signed client secret. */
public final class AppleHookFactory implements ProviderHookFactory {

    public static final String ID = "apple";

    private final AppleClientSecret secrets = new AppleClientSecret(Clock.systemUTC());

    @Override
    public ProviderHook create(KeycloakSession session) {
        return new AppleHook(secrets);
    }

    @Override
    public String getId() {
        return ID;
    }
}
