package io.kcconnections.connect.login;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.config.VaultReference;

/**
 * Which client secret a generated identity provider may carry. An identity provider is realm configuration: the realm's
 * admins can read and edit it, and realm exports hold it. So:
 * <ul>
 * <li>a realm's own configuration: its secret (or vault reference) is copied, it belongs to that realm already;</li>
 * <li>the environment's configuration ({@code CONNECT_{NAME}_CLIENT_SECRET}, legacy {@code AUTH_*}): only a
 * {@code ${vault.<key>}} reference is copied, which Keycloak's identity provider resolves in the realm's vault when it
 * calls the provider (with the file vault's default key resolver the entry is {@code <realm>_<key>}, so the operator
 * decides per realm); a literal secret is never copied into a realm and the provider is reported {@code needs_vault};</li>
 * <li>an identity provider of the extension's own type ({@code kc-connections}, {@link CatalogIdentityProvider}: every
 * template without a Keycloak login type, and every template with a code hook such as Sign in with Apple's): no secret
 * is copied at all, the identity provider calls the provider through the extension with the configuration's secret,
 * so this check does not apply to it.</li>
 * </ul>
 */
final class LoginSecrets {

    /** Outcome action when an environment secret is a literal, not a vault reference. */
    static final String NEEDS_VAULT = "needs_vault";

    /** Why the provider's secret cannot go into an identity provider: the outcome action and its detail. */
    record Refusal(String action, String detail) {
    }

    private LoginSecrets() {
    }

    /** Null when the provider's secret (if any) may be put in the realm's identity provider. */
    static Refusal check(ResolvedProvider p) {
        String secret = p.config().clientSecret();
        if (secret == null || secret.isBlank() || "realm".equals(p.config().source()) || VaultReference.is(secret)) {
            return null;
        }
        String variable = "env-legacy".equals(p.config().source()) ? "the legacy AUTH_* client secret"
                : p.template().envPrefix() + "CLIENT_SECRET";
        return new Refusal(NEEDS_VAULT, variable + " is a literal secret, and a deployment-wide secret is not copied into"
                + " the identity providers of every realm (realm admins and realm exports can read them): set it to a"
                + " ${vault.<key>} reference, with the secret in each realm's vault, or configure the provider in the realm");
    }
}
