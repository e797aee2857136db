package io.kcconnections.connect.catalog;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.kcconnections.connect.config.VaultReference;

/**
 * The environment's client secret of a provider is sent only to the endpoints the environment configures. A realm
 * configuration replaces the environment's as a whole, so it normally brings its own secret; one that names the
 * environment's secret reference (the same {@code ${vault.<key>}}, which resolves to the same vault entry in that realm)
 * must keep the environment's endpoints: a realm admin cannot point the operator's secret at a host of their choosing,
 * for connections or for login. A literal secret typed into the realm's configuration is one its admin holds already,
 * so it is not compared (the same value may well serve another client).
 */
final class EnvSecretBinding {

    /** The endpoints compared, by the name a problem gives them. */
    private static final Map<String, Function<ResolvedProvider, String>> ENDPOINTS = new LinkedHashMap<>();

    static {
        ENDPOINTS.put("authorize URL", ResolvedProvider::authorizeUrl);
        ENDPOINTS.put("token URL", ResolvedProvider::tokenUrl);
        ENDPOINTS.put("refresh URL", ResolvedProvider::refreshUrl);
        ENDPOINTS.put("revoke URL", ResolvedProvider::revokeUrl);
        ENDPOINTS.put("userinfo URL", ResolvedProvider::userinfoUrl);
        ENDPOINTS.put("device authorization URL", ResolvedProvider::deviceAuthorizationUrl);
        ENDPOINTS.put("login issuer", ResolvedProvider::loginIssuer);
        ENDPOINTS.put("login userinfo URL", ResolvedProvider::loginUserinfoUrl);
    }

    private EnvSecretBinding() {
    }

    /**
     * Null when the realm's provider may be used as resolved; else the problem (naming no secret).
     *
     * @param env      the environment's configuration of the provider; null when there is none
     * @param envUsable the environment's resolved provider; null when that configuration is not usable
     * @param realm    the realm's resolved provider
     */
    static String problem(ProviderConfig env, ResolvedProvider envUsable, ResolvedProvider realm) {
        if (env == null || !same(env.clientSecret(), realm.config().clientSecret())) {
            return null;
        }
        String variable = "env-legacy".equals(env.source()) ? EnvProviderConfigs.LEGACY.get(env.name()) + "CLIENT_SECRET"
                : realm.template().envPrefix() + "CLIENT_SECRET";
        if (envUsable == null) {
            return "clientSecret is the environment's secret reference (" + variable + "), whose configuration is not usable:"
                    + " give this realm a secret of its own";
        }
        for (Map.Entry<String, Function<ResolvedProvider, String>> e : ENDPOINTS.entrySet()) {
            if (!Objects.equals(e.getValue().apply(envUsable), e.getValue().apply(realm))) {
                return "clientSecret is the environment's secret reference (" + variable + "), which is sent only to the endpoints"
                        + " the environment configures, and this configuration changes the " + e.getKey()
                        + ": give it a secret of its own";
            }
        }
        return null;
    }

    private static boolean same(String a, String b) {
        return VaultReference.is(a == null ? null : a.trim()) && b != null && a.trim().equals(b.trim());
    }
}
