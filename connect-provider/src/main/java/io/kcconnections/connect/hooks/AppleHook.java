package io.kcconnections.connect.hooks;

import java.util.Map;

import io.kcconnections.connect.spi.ProviderHook;

/**
 * Sign in with Apple ({@code hook: apple}): the configured client secret is the team's {@code .p8} private key (or a
 * {@code ${vault.…}} reference to it); every request to Apple's token and revocation endpoints carries a fresh ES256
 * JWT in its place, made from the template values {@code team_id} and {@code key_id} and the client id.
 */
final class AppleHook implements ProviderHook {

    private final AppleClientSecret secrets;

    AppleHook(AppleClientSecret secrets) {
        this.secrets = secrets;
    }

    @Override
    public void tokenRequest(Context context, Step step, Map<String, String> body, Map<String, String> headers) {
        String p8 = body.get("client_secret");
        if (p8 == null) {
            throw new IllegalStateException("apple needs client_secret_post client authentication with the .p8 key as"
                    + " the client secret");
        }
        body.put("client_secret", secrets.sign(context.values().get("team_id"), context.values().get("key_id"),
                context.clientId(), p8));
    }
}
