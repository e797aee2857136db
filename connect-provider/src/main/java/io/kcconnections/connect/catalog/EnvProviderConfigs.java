package io.kcconnections.connect.catalog;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.kcconnections.connect.spi.template.AccountSpec;
import io.kcconnections.connect.spi.template.ClientAuthMethod;
import io.kcconnections.connect.spi.template.LoginSpec;
import io.kcconnections.connect.spi.template.PkceMode;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.spi.template.RevokeSpec;
import io.kcconnections.connect.spi.template.TemplateParam;

/**
 * Reads provider configuration from the environment, the one place {@code CONNECT_<NAME>_*} variables are read.
 * The settings' variables come from {@link ProviderSetting#envSuffix()}.
 * <ul>
 * <li>{@code CONNECT_<NAME>_CLIENT_ID}, {@code _CLIENT_SECRET}, {@code _SCOPES} (comma or space separated),
 * {@code _AUTHORIZE_URL}, {@code _TOKEN_URL}, {@code _USERINFO_URL}, {@code _REVOKE_URL}, {@code _PKCE_REQUIRED},
 * {@code _LOGIN_ENABLED}, {@code _LOGIN_CONNECT}, and one variable per template parameter ({@code _DOMAIN}, {@code _TENANT}, …);</li>
 * <li>{@code CONNECT_PROVIDERS}: names of providers that are not in the catalog, described entirely by variables
 * ({@code _AUTHORIZE_URL} and {@code _TOKEN_URL} required; {@code _DISPLAY_NAME}, {@code _CATEGORY},
 * {@code _CLIENT_AUTH}, {@code _SCOPE_SEPARATOR}, {@code _AUTHORIZE_PARAMS} as a query string, {@code _ACCOUNT_ID_FIELD},
 * {@code _ISSUER} optional; {@code _PARAMS} and {@code _CONNECTION_PARAMS} declare the placeholders its URLs use, as
 * {@code name} or {@code name:kind} (kind {@code host}, {@code url}, {@code segment} or {@code value}, the default), the
 * latter per connection: the app passes them to {@code /connect/authorize}). A custom provider described but without
 * credentials is a template only: realms can configure it, nothing is reported;</li>
 * <li>legacy names {@code AUTH_GITHUB_*}, {@code AUTH_GOOGLE_*}, {@code AUTH_MS_*} as fallbacks; {@code CONNECT_*} wins;</li>
 * <li>svc-infra's names ({@link EnvAliases}): bare {@code GITHUB_CLIENT_ID}-style names, {@code _PKCE}, {@code _LOGIN}
 * and the {@code _DOMAIN} forms of Shopify, Zendesk and Keycloak.</li>
 * </ul>
 * A provider with no client id and no variables at all is skipped silently; anything half-done is a problem.
 */
public final class EnvProviderConfigs {

    /** Legacy prefixes, by catalog name. */
    static final Map<String, String> LEGACY = Map.of("github", "AUTH_GITHUB_", "google", "AUTH_GOOGLE_", "microsoft", "AUTH_MS_");
    private static final Pattern CUSTOM_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** The settings' variables ({@link ProviderSetting#envSuffix()}), in table order. */
    private static final List<String> GENERIC_SUFFIXES = Arrays.stream(ProviderSetting.values())
            .map(ProviderSetting::envSuffix).filter(Objects::nonNull).toList();
    private static final List<String> CUSTOM_SUFFIXES = List.of("DISPLAY_NAME", "CATEGORY", "CLIENT_AUTH",
            "SCOPE_SEPARATOR", "AUTHORIZE_PARAMS", "ACCOUNT_ID_FIELD", "ISSUER", "REFRESH_URL", "PARAMS", "CONNECTION_PARAMS",
            "DEVICE_AUTHORIZATION_URL", "CLIENT_CREDENTIALS");
    /** Variables that describe a custom template (rather than configure credentials for it). */
    private static final List<String> DESCRIBING_SUFFIXES = Stream.concat(CUSTOM_SUFFIXES.stream(),
            Stream.of(ProviderSetting.AUTHORIZE_URL, ProviderSetting.TOKEN_URL,
                    ProviderSetting.USERINFO_URL, ProviderSetting.REVOKE_URL).map(ProviderSetting::envSuffix)).toList();
    private static final Pattern PARAM_SPEC = Pattern.compile("([a-z][a-z0-9_]*)(?::(host|url|segment|value))?");

    /**
     * @param configs         provider configurations found, by name
     * @param customTemplates templates made from {@code CONNECT_PROVIDERS}
     * @param problems        what is half-configured or wrong, one line each (never a secret)
     */
    public record Result(Map<String, ProviderConfig> configs, Map<String, ProviderTemplate> customTemplates,
                         List<String> problems) {
    }

    private EnvProviderConfigs() {
    }

    public static Result read(Map<String, String> environment, Map<String, ProviderTemplate> catalog) {
        Map<String, ProviderConfig> configs = new TreeMap<>();
        Map<String, ProviderTemplate> custom = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> env = EnvAliases.apply(environment, catalog.keySet(), problems);

        for (String raw : csvOrSpace(env.get("CONNECT_PROVIDERS"))) {
            String name = raw.toLowerCase(Locale.ROOT);
            if (!CUSTOM_NAME.matcher(name).matches()) {
                problems.add("CONNECT_PROVIDERS: '" + raw + "' is not a valid provider name ([a-z0-9-])");
                continue;
            }
            if (catalog.containsKey(name)) {
                problems.add("CONNECT_PROVIDERS: '" + name + "' is already in the catalog; configure it with "
                        + prefix(name) + "* instead");
                continue;
            }
            try {
                custom.put(name, customTemplate(name, env));
            } catch (IllegalArgumentException e) {
                problems.add("custom provider " + name + ": " + e.getMessage());
            }
        }

        Map<String, ProviderTemplate> all = new TreeMap<>(catalog);
        all.putAll(custom);
        for (ProviderTemplate t : all.values()) {
            ProviderConfig c = configFor(t, env, problems, custom.containsKey(t.name()));
            if (c != null) {
                configs.put(t.name(), c);
            }
        }

        // CONNECT_FOO_CLIENT_ID for a FOO nobody knows is almost always a typo: say so.
        Set<String> known = new HashSet<>();
        all.keySet().forEach(n -> known.add(prefix(n)));
        for (String key : new TreeSet<>(env.keySet())) {
            if (key.startsWith("CONNECT_") && key.endsWith("_CLIENT_ID")
                    && !known.contains(key.substring(0, key.length() - "CLIENT_ID".length()))) {
                String n = key.substring("CONNECT_".length(), key.length() - "_CLIENT_ID".length())
                        .toLowerCase(Locale.ROOT).replace('_', '-');
                problems.add(key + " is set but '" + n + "' is neither in the catalog nor in CONNECT_PROVIDERS");
            }
        }
        return new Result(configs, custom, problems);
    }

    private static ProviderConfig configFor(ProviderTemplate t, Map<String, String> env, List<String> problems,
                                            boolean custom) {
        String p = t.envPrefix();
        String legacy = LEGACY.get(t.name());
        if (!configures(env, p, legacy, custom)) {
            return null;
        }
        boolean fromLegacy = legacy != null && get(env, p + ProviderSetting.CLIENT_ID.envSuffix()) == null
                && get(env, legacy + ProviderSetting.CLIENT_ID.envSuffix()) != null;
        ProviderConfig.Builder b = ProviderConfig.builder(t.name(), fromLegacy ? "env-legacy" : "env");
        for (ProviderSetting s : ProviderSetting.values()) {
            if (s.envSuffix() == null) {
                continue;
            }
            String key = p + s.envSuffix();
            if (get(env, key) == null && s.legacyEnv() && legacy != null && get(env, legacy + s.envSuffix()) != null) {
                key = legacy + s.envSuffix();
            }
            try {
                b.set(s, s.parse(get(env, key)));
            } catch (IllegalArgumentException e) {
                problems.add(key + " " + e.getMessage());
            }
            if (s == ProviderSetting.PKCE && Boolean.FALSE.equals(b.get(s)) && t.pkce() == PkceMode.REQUIRED) {
                problems.add(key + "=false is ignored: " + t.name() + " requires PKCE");
                b.set(s, null);
            }
        }
        for (TemplateParam param : t.params()) {
            String v = get(env, p + param.envSuffix());
            if (v == null && legacy != null) {
                v = get(env, legacy + param.envSuffix());
            }
            if (v != null) {
                b.value(param.name(), v);
            }
        }
        return b.build();
    }

    /** Whether any variable configures the provider (rather than nothing, or only describing a custom template). */
    private static boolean configures(Map<String, String> env, String p, String legacy, boolean custom) {
        if (legacy != null) {
            for (ProviderSetting s : ProviderSetting.values()) {
                if (s.legacyEnv() && get(env, legacy + s.envSuffix()) != null) {
                    return true;
                }
            }
        }
        for (String k : env.keySet()) {
            if (!k.startsWith(p) || get(env, k) == null) {
                continue;
            }
            if (custom && DESCRIBING_SUFFIXES.contains(k.substring(p.length()))) {
                continue; // describes the custom template, configures nothing
            }
            return true;
        }
        return false;
    }

    /** A template for a provider outside the catalog, described by its variables. */
    static ProviderTemplate customTemplate(String name, Map<String, String> env) {
        String p = prefix(name);
        String authorize = get(env, p + "AUTHORIZE_URL");
        String token = get(env, p + "TOKEN_URL");
        if (authorize == null || token == null) {
            throw new IllegalArgumentException(p + "AUTHORIZE_URL and " + p + "TOKEN_URL are required");
        }
        String clientAuth = get(env, p + "CLIENT_AUTH");
        ClientAuthMethod auth = clientAuth == null ? null : ClientAuthMethod.of(clientAuth);
        String userinfo = get(env, p + "USERINFO_URL");
        String idField = get(env, p + "ACCOUNT_ID_FIELD");
        if (idField != null && !idField.startsWith("/")) {
            idField = "/" + idField;
        }
        AccountSpec account = userinfo == null ? null
                : new AccountSpec(AccountSpec.Source.USERINFO, userinfo, null, null, idField, null, null);
        String revokeUrl = get(env, p + "REVOKE_URL");
        RevokeSpec revoke = revokeUrl == null ? null : new RevokeSpec(revokeUrl, null, null, null, null, null, true, null);
        String issuer = get(env, p + "ISSUER");
        LoginSpec login = issuer != null ? new LoginSpec(LoginSpec.Type.OIDC, null, issuer, null, null, null)
                : userinfo != null ? new LoginSpec(LoginSpec.Type.OAUTH2, null, null, null, null, null) : null;
        List<TemplateParam> params = new ArrayList<>(params(env, p + "PARAMS", false));
        params.addAll(params(env, p + "CONNECTION_PARAMS", true));
        String cc = get(env, p + "CLIENT_CREDENTIALS");
        if (cc != null && !cc.equalsIgnoreCase("true") && !cc.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(p + "CLIENT_CREDENTIALS must be true or false");
        }
        return new ProviderTemplate(name, get(env, p + "DISPLAY_NAME"), get(env, p + "CATEGORY"), List.of(),
                authorize, token, get(env, p + "REFRESH_URL"), get(env, p + "DEVICE_AUTHORIZATION_URL"), params, auth, null,
                get(env, p + "SCOPE_SEPARATOR"), null, null, query(get(env, p + "AUTHORIZE_PARAMS")), null, null,
                null, null, null, null, null, null, revoke, account, login, null, null, null, "true".equalsIgnoreCase(cc), null, null);
    }

    /**
     * Names a custom parameter may not have: a setting's variable ({@code client_id}, {@code pkce_required}, …) or
     * lower-case component key ({@code enabled}, {@code scopes}, {@code pkce}), or a variable describing a custom
     * provider ({@code display_name}, {@code params}, …).
     */
    static final Set<String> RESERVED_PARAM_NAMES = reservedParamNames();

    private static Set<String> reservedParamNames() {
        Set<String> out = new TreeSet<>();
        for (ProviderSetting s : ProviderSetting.values()) {
            if (s.envSuffix() != null) {
                out.add(s.envSuffix().toLowerCase(Locale.ROOT));
            }
            if (s.key().equals(s.key().toLowerCase(Locale.ROOT))) {
                out.add(s.key());
            }
        }
        CUSTOM_SUFFIXES.forEach(c -> out.add(c.toLowerCase(Locale.ROOT)));
        return Set.copyOf(out);
    }

    /** {@code name} or {@code name:kind}, comma or space separated; per-connection ones are required. */
    private static List<TemplateParam> params(Map<String, String> env, String key, boolean perConnection) {
        List<TemplateParam> out = new ArrayList<>();
        for (String spec : csvOrSpace(get(env, key))) {
            Matcher m = PARAM_SPEC.matcher(spec);
            if (!m.matches()) {
                throw new IllegalArgumentException(key + ": '" + spec + "' is not name or name:kind (kind host, url, segment or value)");
            }
            if (RESERVED_PARAM_NAMES.contains(m.group(1))) {
                throw new IllegalArgumentException(key + ": '" + m.group(1) + "' is a reserved name");
            }
            out.add(new TemplateParam(m.group(1), null, perConnection, null,
                    m.group(2) == null ? null : TemplateParam.Kind.of(m.group(2)), null, null, perConnection));
        }
        return out;
    }

    /** Every variable name this reader understands for a provider (for documentation and diagnostics). */
    public static List<String> variables(ProviderTemplate t, boolean custom) {
        List<String> out = new ArrayList<>();
        GENERIC_SUFFIXES.forEach(s -> out.add(t.envPrefix() + s));
        t.params().forEach(pa -> out.add(t.envPrefix() + pa.envSuffix()));
        if (custom) {
            CUSTOM_SUFFIXES.forEach(s -> out.add(t.envPrefix() + s));
        }
        return out;
    }

    static String prefix(String name) {
        return "CONNECT_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
    }

    private static String get(Map<String, String> env, String key) {
        String v = env.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    static List<String> csvOrSpace(String v) {
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return Arrays.stream(v.trim().split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
    }

    private static Map<String, String> query(String q) {
        if (q == null) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : q.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int i = pair.indexOf('=');
            String k = URLDecoder.decode(i < 0 ? pair : pair.substring(0, i), StandardCharsets.UTF_8);
            String v = i < 0 ? "" : URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }
}
