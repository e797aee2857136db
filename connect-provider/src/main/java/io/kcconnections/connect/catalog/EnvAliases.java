package io.kcconnections.connect.catalog;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * svc-infra's environment names, read as aliases of ours so that a deployment moving from svc-infra's {@code connect}
 * module keeps its variables. A {@code CONNECT_*} variable of ours always wins over an alias.
 * <ul>
 * <li>bare names: {@code GITHUB_CLIENT_ID}, {@code GITHUB_CLIENT_SECRET}, {@code GITHUB_SCOPES} for
 * {@code CONNECT_GITHUB_*} (every catalog provider);</li>
 * <li>svc-infra's code names {@code CONNECT_<NAME>_PKCE} and {@code CONNECT_<NAME>_LOGIN} for {@code _PKCE_REQUIRED} and
 * {@code _LOGIN_ENABLED};</li>
 * <li>the {@code _DOMAIN} forms: {@code CONNECT_SHOPIFY_DOMAIN} (a shop host, or its name) for {@code _SHOP},
 * {@code CONNECT_ZENDESK_DOMAIN} ({@code acme.zendesk.com} or {@code acme}) for {@code _SUBDOMAIN},
 * {@code CONNECT_KEYCLOAK_DOMAIN} (a host, https assumed, or a URL) for {@code _BASE_URL};</li>
 * <li>{@code CONNECT_API_BASE}, svc-infra's public URL for its callbacks, has no equivalent: callbacks are Keycloak's
 * ({@code {hostname}/realms/{realm}/connect/callback/{provider}}); it is reported once, with that address.</li>
 * </ul>
 */
final class EnvAliases {

    private static final List<String> BARE_SUFFIXES = List.of("CLIENT_ID", "CLIENT_SECRET", "SCOPES");
    private static final Map<String, String> RENAMED = Map.of("PKCE", "PKCE_REQUIRED", "LOGIN", "LOGIN_ENABLED");
    /** Provider, its {@code _DOMAIN} alias's target suffix, and how the value becomes ours. */
    private record DomainForm(String provider, String suffix, UnaryOperator<String> value) {
    }

    private static final List<DomainForm> DOMAINS = List.of(
            new DomainForm("shopify", "SHOP", v -> v.contains(".") ? host(v) : v + ".myshopify.com"),
            new DomainForm("zendesk", "SUBDOMAIN", v -> host(v).replaceFirst("\\.zendesk\\.com$", "")),
            new DomainForm("keycloak", "BASE_URL", v -> v.contains("://") ? v.replaceAll("/+$", "") : "https://" + host(v)));

    private EnvAliases() {
    }

    /** The environment with the aliases' values under our names (where ours are unset); notes what it could not map. */
    static Map<String, String> apply(Map<String, String> env, Iterable<String> catalogNames, List<String> problems) {
        Map<String, String> out = new HashMap<>(env);
        for (String name : catalogNames) {
            String ours = EnvProviderConfigs.prefix(name);
            String bare = name.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
            BARE_SUFFIXES.forEach(s -> alias(out, env, bare + s, ours + s));
            RENAMED.forEach((from, to) -> alias(out, env, ours + from, ours + to));
        }
        for (DomainForm d : DOMAINS) {
            String from = EnvProviderConfigs.prefix(d.provider()) + "DOMAIN";
            String v = env.get(from);
            if (v != null && !v.isBlank()) {
                alias(out, Map.of(from, d.value().apply(v.trim())), from, EnvProviderConfigs.prefix(d.provider()) + d.suffix());
            }
        }
        if (env.get("CONNECT_API_BASE") != null) {
            problems.add("CONNECT_API_BASE (svc-infra) is not used: callbacks are Keycloak's own,"
                    + " {hostname}/realms/{realm}/connect/callback/{provider}; register those at the providers");
        }
        return out;
    }

    private static void alias(Map<String, String> out, Map<String, String> from, String alias, String ours) {
        String v = from.get(alias);
        String current = out.get(ours);
        if (v != null && !v.isBlank() && (current == null || current.isBlank())) {
            out.put(ours, v);
        }
    }

    /** The host of a value that may be a URL. */
    private static String host(String v) {
        return v.replaceFirst("^[a-z]+://", "").replaceAll("/.*$", "").toLowerCase(Locale.ROOT);
    }
}
