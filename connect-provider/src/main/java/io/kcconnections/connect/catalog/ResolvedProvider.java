package io.kcconnections.connect.catalog;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kcconnections.connect.spi.template.PkceMode;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.spi.template.TemplateParam;
import org.keycloak.models.KeycloakSession;
import org.keycloak.vault.VaultStringSecret;

/**
 * A template with its configuration applied: placeholders substituted, overrides in place, every URL checked by the
 * host policy. Immutable; safe to share across threads. Client secrets stay unresolved until {@link #clientSecret}.
 */
public final class ResolvedProvider {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final ProviderTemplate template;
    private final ProviderConfig config;
    private final Map<String, String> values;
    private final String authorizeUrl;
    private final String tokenUrl;
    private final String refreshUrl;
    private final String revokeUrl;
    private final String userinfoUrl;
    private final String deviceAuthorizationUrl;
    private final String loginIssuer;
    private final String loginUserinfoUrl;
    private final Map<String, String> authorizeParams;
    private final Map<String, String> tokenParams;
    private final Map<String, String> refreshParams;
    private final Map<String, String> tokenHeaders;
    private final Map<String, String> accountHeaders;

    /** Either a provider or the reasons it cannot be used. */
    public record Result(ResolvedProvider provider, List<String> problems) {
        public boolean ok() {
            return provider != null;
        }
    }

    private ResolvedProvider(ProviderTemplate t, ProviderConfig c, Map<String, String> values, Subst s) {
        this.template = t;
        this.config = c;
        this.values = Collections.unmodifiableMap(values);
        this.authorizeUrl = s.url(c.authorizeUrl() != null ? c.authorizeUrl() : t.authorizeUrl(), "authorize URL");
        this.tokenUrl = s.url(c.tokenUrl() != null ? c.tokenUrl() : t.tokenUrl(), "token URL");
        this.refreshUrl = t.refreshUrl() == null || c.tokenUrl() != null ? tokenUrl : s.url(t.refreshUrl(), "refresh URL");
        String revoke = c.revokeUrl() != null ? c.revokeUrl() : t.revoke() == null ? null : t.revoke().url();
        this.revokeUrl = revoke == null ? null : s.url(revoke, "revoke URL");
        String userinfo = c.userinfoUrl() != null ? c.userinfoUrl() : t.account() == null ? null : t.account().userinfoUrl();
        this.userinfoUrl = userinfo == null ? null : s.url(userinfo, "userinfo URL");
        this.deviceAuthorizationUrl = t.deviceAuthorizationUrl() == null ? null : s.url(t.deviceAuthorizationUrl(), "device authorization URL");
        this.loginIssuer = t.login().issuer() == null ? null : s.url(t.login().issuer(), "login issuer");
        this.loginUserinfoUrl = t.login().userinfoUrl() == null ? userinfoUrl : s.url(t.login().userinfoUrl(), "login userinfo URL");
        this.authorizeParams = s.map(t.authorizeParams());
        this.tokenParams = s.map(t.tokenParams());
        this.refreshParams = s.map(t.refreshParams());
        this.tokenHeaders = s.map(t.tokenHeaders());
        this.accountHeaders = t.account() == null ? Map.of() : s.map(t.account().headers());
    }

    /** Applies a configuration to a template. Never throws for bad configuration: problems are returned. */
    public static Result resolve(ProviderTemplate t, ProviderConfig c, HostPolicy policy) {
        List<String> problems = new ArrayList<>();
        if (c.clientId() == null || c.clientId().isBlank()) {
            problems.add("client id is missing (" + t.envPrefix() + "CLIENT_ID)");
        }
        boolean needsSecret = t.clientAuth() != io.kcconnections.connect.spi.template.ClientAuthMethod.NONE
                && t.clientAuth() != io.kcconnections.connect.spi.template.ClientAuthMethod.PRIVATE_KEY_JWT;
        if (needsSecret && (c.clientSecret() == null || c.clientSecret().isBlank())) {
            problems.add("client secret is missing (" + t.envPrefix() + "CLIENT_SECRET)");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (TemplateParam p : t.params()) {
            String v = c.values().get(p.name());
            if (v == null || v.isBlank()) {
                v = p.defaultValue();
            }
            if (v == null || v.isBlank()) {
                if (p.required()) {
                    problems.add(p.name() + " is required (" + t.envPrefix() + p.envSuffix() + ")"
                            + (p.description() == null ? "" : ": " + p.description()));
                }
                continue;
            }
            v = v.trim();
            String bad = checkValue(p, v, policy);
            if (bad != null) {
                problems.add(p.name() + " (" + t.envPrefix() + p.envSuffix() + ") is refused: " + bad);
                continue;
            }
            values.put(p.name(), p.kind() == TemplateParam.Kind.URL ? stripSlash(v) : v);
        }
        for (String k : c.values().keySet()) {
            if (t.param(k) == null) {
                problems.add("unknown setting '" + k + "' for provider " + t.name());
            }
        }
        if (!problems.isEmpty()) {
            return new Result(null, List.copyOf(problems));
        }
        Subst s = new Subst(t, values, c.clientId(), policy);
        ResolvedProvider r = new ResolvedProvider(t, c, values, s);
        if (!s.problems.isEmpty()) {
            return new Result(null, List.copyOf(s.problems));
        }
        return new Result(r, List.of());
    }

    private static String checkValue(TemplateParam p, String v, HostPolicy policy) {
        if (v.length() > 512) {
            return "value is too long";
        }
        String bad = switch (p.kind()) {
            case HOST -> policy.checkHost(v);
            case URL -> {
                String u = policy.checkUrl(v);
                if (u == null && (v.contains("?") || v.contains("#"))) {
                    u = "base URL must not have a query or fragment";
                }
                yield u;
            }
            case SEGMENT -> SEGMENT.matcher(v).matches() ? null : "must be letters, digits, '.', '_' or '-'";
            case VALUE -> v.chars().anyMatch(ch -> ch < 0x20) ? "must not contain control characters" : null;
        };
        if (bad == null && p.pattern() != null && !v.matches(p.pattern())) {
            bad = "does not match " + p.pattern();
        }
        return bad;
    }

    private static String stripSlash(String v) {
        String s = v;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Placeholder substitution for one provider. */
    private static final class Subst {
        final ProviderTemplate t;
        final Map<String, String> values;
        final String clientId;
        final HostPolicy policy;
        final List<String> problems = new ArrayList<>();

        Subst(ProviderTemplate t, Map<String, String> values, String clientId, HostPolicy policy) {
            this.t = t;
            this.values = values;
            this.clientId = clientId;
            this.policy = policy;
        }

        String url(String template, String what) {
            String u = apply(template, true, what);
            if (u == null) {
                return null;
            }
            String bad = policy.checkUrl(u);
            if (bad != null) {
                problems.add(what + " is refused: " + bad);
            }
            return u;
        }

        Map<String, String> map(Map<String, String> m) {
            Map<String, String> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, apply(v, false, k)));
            return Collections.unmodifiableMap(out);
        }

        String apply(String s, boolean inUrl, String what) {
            Matcher m = ProviderTemplate.PLACEHOLDER.matcher(s);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String v;
                if (!inUrl && ProviderTemplate.CALL_TIME_PLACEHOLDERS.contains(name)) {
                    v = m.group(); // filled in per request by OAuthClient
                } else if (name.equals("client_id")) {
                    v = inUrl ? enc(clientId) : clientId;
                } else {
                    v = values.get(name);
                    if (v == null) {
                        problems.add(what + " needs " + name + " (" + t.envPrefix() + name.toUpperCase(java.util.Locale.ROOT) + ")");
                        return null;
                    }
                    TemplateParam p = t.param(name);
                    if (inUrl && p != null && p.kind() == TemplateParam.Kind.VALUE) {
                        v = enc(v);
                    }
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(v));
            }
            m.appendTail(sb);
            return sb.toString();
        }

        private static String enc(String v) {
            return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    /** The client secret with any vault reference resolved; null for public clients. */
    public String clientSecret(KeycloakSession session) {
        String s = config.clientSecret();
        if (s == null || s.isBlank()) {
            return null;
        }
        try (VaultStringSecret v = session.vault().getStringSecret(s)) {
            return v.get().orElse(s);
        }
    }

    /** Scopes to request: the app's, else the operator's, else the template's defaults. */
    public List<String> scopes(List<String> requested) {
        if (requested != null && !requested.isEmpty()) {
            return requested;
        }
        return config.scopes() != null ? config.scopes() : template.defaultScopes();
    }

    /** Whether the authorization request carries a PKCE challenge. */
    public boolean pkce() {
        return switch (template.pkce()) {
            case REQUIRED -> true;
            case SUPPORTED -> !Boolean.FALSE.equals(config.pkce());
            case OFF -> Boolean.TRUE.equals(config.pkce());
        };
    }

    public boolean pkceRequiredByProvider() {
        return template.pkce() == PkceMode.REQUIRED;
    }

    public String name() { return template.name(); }
    public ProviderTemplate template() { return template; }
    public ProviderConfig config() { return config; }
    public String clientId() { return config.clientId(); }
    public Map<String, String> values() { return values; }
    public String authorizeUrl() { return authorizeUrl; }
    public String tokenUrl() { return tokenUrl; }
    public String refreshUrl() { return refreshUrl; }
    public String revokeUrl() { return revokeUrl; }
    public String userinfoUrl() { return userinfoUrl; }
    public String deviceAuthorizationUrl() { return deviceAuthorizationUrl; }
    public String loginIssuer() { return loginIssuer; }
    public String loginUserinfoUrl() { return loginUserinfoUrl; }
    public Map<String, String> authorizeParams() { return authorizeParams; }
    public Map<String, String> tokenParams() { return tokenParams; }
    public Map<String, String> refreshParams() { return refreshParams; }
    public Map<String, String> tokenHeaders() { return tokenHeaders; }
    public Map<String, String> accountHeaders() { return accountHeaders; }
    public boolean loginEnabled() { return Boolean.TRUE.equals(config.loginEnabled()); }
}
