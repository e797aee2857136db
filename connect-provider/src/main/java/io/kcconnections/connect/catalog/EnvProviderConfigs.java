package io.kcconnections.connect.catalog;

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
import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.spi.template.RevokeSpec;
import io.kcconnections.connect.spi.template.TemplateParam;

/**
 * Reads provider configuration from the environment, the one place {@code CONNECT_<NAME>_*} variables are read.
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
 * <li>legacy names {@code AUTH_GITHUB_*}, {@code AUTH_GOOGLE_*}, {@code AUTH_MS_*} as fallbacks; {@code CONNECT_*} wins.</li>
 * </ul>
 * A provider with no client id and no variables at all is skipped silently; anything half-done is a problem.
 */
public final class EnvProviderConfigs {

    /** Legacy prefixes, by catalog name. */
    static final Map<String, String> LEGACY = Map.of("github", "AUTH_GITHUB_", "google", "AUTH_GOOGLE_", "microsoft", "AUTH_MS_");
    private static final Pattern CUSTOM_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final List<String> GENERIC_SUFFIXES = List.of("CLIENT_ID", "CLIENT_SECRET", "SCOPES", "AUTHORIZE_URL",
            "TOKEN_URL", "USERINFO_URL", "REVOKE_URL", "PKCE_REQUIRED", "LOGIN_ENABLED", "LOGIN_CONNECT");
    private static final List<String> CUSTOM_SUFFIXES = List.of("DISPLAY_NAME", "CATEGORY", "CLIENT_AUTH",
            "SCOPE_SEPARATOR", "AUTHORIZE_PARAMS", "ACCOUNT_ID_FIELD", "ISSUER", "REFRESH_URL", "PARAMS", "CONNECTION_PARAMS",
            "DEVICE_AUTHORIZATION_URL", "CLIENT_CREDENTIALS");
    /** Variables that describe a custom template (rather than configure credentials for it). */
    private static final List<String> DESCRIBING_SUFFIXES = java.util.stream.Stream.concat(CUSTOM_SUFFIXES.stream(),
            java.util.stream.Stream.of("AUTHORIZE_URL", "TOKEN_URL", "USERINFO_URL", "REVOKE_URL")).toList();
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

    public static Result read(Map<String, String> env, Map<String, ProviderTemplate> catalog) {
        Map<String, ProviderConfig> configs = new TreeMap<>();
        Map<String, ProviderTemplate> custom = new TreeMap<>();
        List<String> problems = new ArrayList<>();

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
        java.util.Set<String> known = new java.util.HashSet<>();
        all.keySet().forEach(n -> known.add(prefix(n)));
        for (String key : new java.util.TreeSet<>(env.keySet())) {
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
        String clientId = get(env, p + "CLIENT_ID");
        String secret = get(env, p + "CLIENT_SECRET");
        String source = "env";
        if (legacy != null) {
            if (clientId == null && get(env, legacy + "CLIENT_ID") != null) {
                clientId = get(env, legacy + "CLIENT_ID");
                source = "env-legacy";
            }
            if (secret == null && get(env, legacy + "CLIENT_SECRET") != null) {
                secret = get(env, legacy + "CLIENT_SECRET");
            }
        }
        boolean anyOther = false;
        for (String k : env.keySet()) {
            if (!k.startsWith(p) || get(env, k) == null) {
                continue;
            }
            if (custom && DESCRIBING_SUFFIXES.contains(k.substring(p.length()))) {
                continue; // describes the custom template, configures nothing
            }
            anyOther = true;
            break;
        }
        if (clientId == null && secret == null && !anyOther) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (TemplateParam param : t.params()) {
            String v = get(env, p + param.envSuffix());
            if (v == null && legacy != null) {
                v = get(env, legacy + param.envSuffix());
            }
            if (v != null) {
                values.put(param.name(), v);
            }
        }
        Boolean pkce = bool(env, p + "PKCE_REQUIRED", problems);
        if (Boolean.FALSE.equals(pkce) && t.pkce() == io.kcconnections.connect.spi.template.PkceMode.REQUIRED) {
            problems.add(p + "PKCE_REQUIRED=false is ignored: " + t.name() + " requires PKCE");
            pkce = null;
        }
        String scopes = get(env, p + "SCOPES");
        return new ProviderConfig(t.name(), source, clientId, secret, scopes == null ? null : csvOrSpace(scopes),
                get(env, p + "AUTHORIZE_URL"), get(env, p + "TOKEN_URL"), get(env, p + "USERINFO_URL"),
                get(env, p + "REVOKE_URL"), pkce, values, bool(env, p + "LOGIN_ENABLED", problems),
                bool(env, p + "LOGIN_CONNECT", problems));
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
                null, null, null, null, null, null, revoke, account, login, null, null, null, "true".equalsIgnoreCase(cc), null);
    }

    /** Names a custom parameter may not have: they are settings of every provider. */
    static final java.util.Set<String> RESERVED_PARAM_NAMES = java.util.Set.of("client_id", "client_secret", "scopes",
            "authorize_url", "token_url", "userinfo_url", "revoke_url", "refresh_url", "pkce", "pkce_required",
            "login_enabled", "login_connect", "enabled", "display_name", "category", "client_auth", "scope_separator", "authorize_params",
            "account_id_field", "issuer", "params", "connection_params", "device_authorization_url", "client_credentials");

    /** {@code name} or {@code name:kind}, comma or space separated; per-connection ones are required. */
    private static List<TemplateParam> params(Map<String, String> env, String key, boolean perConnection) {
        List<TemplateParam> out = new ArrayList<>();
        for (String spec : csvOrSpace(get(env, key))) {
            java.util.regex.Matcher m = PARAM_SPEC.matcher(spec);
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

    private static Boolean bool(Map<String, String> env, String key, List<String> problems) {
        String v = get(env, key);
        if (v == null) {
            return null;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.valueOf(v.toLowerCase(Locale.ROOT));
        }
        problems.add(key + " must be true or false");
        return null;
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
