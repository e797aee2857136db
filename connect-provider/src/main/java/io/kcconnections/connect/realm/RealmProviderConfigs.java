package io.kcconnections.connect.realm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.kcconnections.connect.catalog.ProviderConfig;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;

/**
 * The stored form of a realm's provider configuration: a {@link ProviderConfigComponent} whose name is the provider's
 * catalog name and whose config holds
 * <ul>
 * <li>{@code enabled} ({@code true}/{@code false}, default true; false hides the environment's configuration of the
 * provider in this realm),</li>
 * <li>{@code clientId}, {@code clientSecret} (or a {@code ${vault.name}} reference), {@code scopes} (one value per
 * scope),</li>
 * <li>{@code authorizeUrl}, {@code tokenUrl}, {@code userinfoUrl}, {@code revokeUrl} (overrides),</li>
 * <li>{@code pkce} and {@code loginEnabled} ({@code true}/{@code false}; absent keeps the template's behaviour),</li>
 * <li>and one key per template parameter, named like the parameter ({@code base_url}, {@code tenant}, …).</li>
 * </ul>
 * Reading never throws: what is malformed comes back as problems.
 */
public final class RealmProviderConfigs {

    public static final String ENABLED = "enabled";
    public static final String CLIENT_ID = "clientId";
    public static final String CLIENT_SECRET = "clientSecret";
    public static final String SCOPES = "scopes";
    public static final String AUTHORIZE_URL = "authorizeUrl";
    public static final String TOKEN_URL = "tokenUrl";
    public static final String USERINFO_URL = "userinfoUrl";
    public static final String REVOKE_URL = "revokeUrl";
    public static final String PKCE = "pkce";
    public static final String LOGIN_ENABLED = "loginEnabled";
    public static final String LOGIN_CONNECT = "loginConnect";

    /** The keys every provider has; any other key is a template parameter. */
    public static final List<String> SETTINGS = List.of(ENABLED, CLIENT_ID, CLIENT_SECRET, SCOPES, AUTHORIZE_URL,
            TOKEN_URL, USERINFO_URL, REVOKE_URL, PKCE, LOGIN_ENABLED, LOGIN_CONNECT);
    private static final Set<String> SINGLE_VALUED = Set.of(ENABLED, CLIENT_ID, CLIENT_SECRET, AUTHORIZE_URL, TOKEN_URL,
            USERINFO_URL, REVOKE_URL, PKCE, LOGIN_ENABLED, LOGIN_CONNECT);

    /**
     * A stored configuration read back.
     *
     * @param config   the configuration (source {@code realm})
     * @param enabled  false when the realm hides the provider
     * @param problems what is malformed (several values for a single setting, a boolean that is not one)
     */
    public record Parsed(ProviderConfig config, boolean enabled, List<String> problems) {
    }

    private RealmProviderConfigs() {
    }

    public static Parsed parse(ComponentModel m) {
        List<String> problems = new ArrayList<>();
        MultivaluedHashMap<String, String> cfg = m.getConfig() == null ? new MultivaluedHashMap<>() : m.getConfig();
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : cfg.entrySet()) {
            List<String> vs = e.getValue() == null ? List.of() : e.getValue().stream()
                    .filter(v -> v != null && !v.isBlank()).toList();
            if (vs.size() > 1 && (SINGLE_VALUED.contains(e.getKey()) || !SETTINGS.contains(e.getKey()))) {
                problems.add("'" + e.getKey() + "' has " + vs.size() + " values; it takes one");
            }
            if (!SETTINGS.contains(e.getKey()) && !vs.isEmpty()) {
                values.put(e.getKey(), vs.get(0).trim());
            }
        }
        Boolean enabled = bool(cfg, ENABLED, problems);
        List<String> scopes = null;
        List<String> rawScopes = cfg.get(SCOPES);
        if (rawScopes != null) {
            List<String> s = new ArrayList<>();
            for (String v : rawScopes) {
                if (v != null) {
                    Arrays.stream(v.trim().split("[,\\s]+")).filter(x -> !x.isEmpty() && !s.contains(x)).forEach(s::add);
                }
            }
            scopes = s.isEmpty() ? null : s;
        }
        ProviderConfig c = new ProviderConfig(m.getName(), "realm", first(cfg, CLIENT_ID), first(cfg, CLIENT_SECRET),
                scopes, first(cfg, AUTHORIZE_URL), first(cfg, TOKEN_URL), first(cfg, USERINFO_URL),
                first(cfg, REVOKE_URL), bool(cfg, PKCE, problems), values, bool(cfg, LOGIN_ENABLED, problems),
                bool(cfg, LOGIN_CONNECT, problems));
        return new Parsed(c, !Boolean.FALSE.equals(enabled), List.copyOf(problems));
    }

    /** The component config for a configuration (the inverse of {@link #parse}); unset settings are left out. */
    public static MultivaluedHashMap<String, String> toComponentConfig(ProviderConfig c, boolean enabled) {
        MultivaluedHashMap<String, String> m = new MultivaluedHashMap<>();
        m.putSingle(ENABLED, String.valueOf(enabled));
        put(m, CLIENT_ID, c.clientId());
        put(m, CLIENT_SECRET, c.clientSecret());
        if (c.scopes() != null && !c.scopes().isEmpty()) {
            m.put(SCOPES, new ArrayList<>(c.scopes()));
        }
        put(m, AUTHORIZE_URL, c.authorizeUrl());
        put(m, TOKEN_URL, c.tokenUrl());
        put(m, USERINFO_URL, c.userinfoUrl());
        put(m, REVOKE_URL, c.revokeUrl());
        put(m, PKCE, c.pkce() == null ? null : c.pkce().toString());
        put(m, LOGIN_ENABLED, c.loginEnabled() == null ? null : c.loginEnabled().toString());
        put(m, LOGIN_CONNECT, c.loginConnect() == null ? null : c.loginConnect().toString());
        c.values().forEach((k, v) -> put(m, k, v));
        return m;
    }

    /** Whether a template parameter name collides with a setting (it could not be configured in a realm). */
    public static boolean reserved(String paramName) {
        for (String s : SETTINGS) {
            if (s.toLowerCase(Locale.ROOT).equals(paramName.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static void put(MultivaluedHashMap<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) {
            m.putSingle(k, v.trim());
        }
    }

    private static String first(MultivaluedHashMap<String, String> cfg, String key) {
        List<String> vs = cfg.get(key);
        if (vs == null) {
            return null;
        }
        for (String v : vs) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    private static Boolean bool(MultivaluedHashMap<String, String> cfg, String key, List<String> problems) {
        String v = first(cfg, key);
        if (v == null) {
            return null;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.valueOf(v.toLowerCase(Locale.ROOT));
        }
        problems.add("'" + key + "' must be true or false");
        return null;
    }
}
