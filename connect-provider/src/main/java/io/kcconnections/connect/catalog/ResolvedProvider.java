package io.kcconnections.connect.catalog;

import io.kcconnections.connect.spi.template.ClientAuthMethod;
import java.net.URI;
import java.util.Locale;
import io.kcconnections.connect.config.VaultReference;
import io.kcconnections.connect.net.HostPolicy;
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
 * <p>
 * A provider whose template has {@linkplain TemplateParam#perConnection() per-connection} parameters is resolved in two
 * steps: {@link #resolve} applies the configuration and leaves the per-connection values open (the URLs that need them
 * are not usable yet); {@link #withConnectionValues} applies one connection's values, validated exactly like configured
 * ones, and gives the provider to call for that connection. A template without such parameters is complete after the
 * first step, and {@code withConnectionValues(Map.of())} returns it unchanged.
 */
public final class ResolvedProvider {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /** What a partial realm export puts in place of a secret (Keycloak's {@code ComponentRepresentation.SECRET_VALUE}). */
    public static final String MASKED_SECRET = "**********";

    private final ProviderTemplate template;
    private final ProviderConfig config;
    private final HostPolicy policy;
    private final Map<String, String> values;
    private final List<String> openParams;
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

    private ResolvedProvider(ProviderTemplate t, ProviderConfig c, HostPolicy policy, Map<String, String> values,
                             List<String> openParams, Subst s) {
        this.template = t;
        this.config = c;
        this.policy = policy;
        this.values = Collections.unmodifiableMap(values);
        this.openParams = List.copyOf(openParams);
        this.authorizeUrl = s.url(c.authorizeUrl() != null ? c.authorizeUrl() : t.authorizeUrl(), "authorize URL");
        this.tokenUrl = s.url(c.tokenUrl() != null ? c.tokenUrl() : t.tokenUrl(), "token URL");
        this.refreshUrl = t.refreshUrl() == null || c.tokenUrl() != null ? tokenUrl : s.url(t.refreshUrl(), "refresh URL");
        String revoke = c.revokeUrl() != null ? c.revokeUrl() : t.revoke() == null ? null : t.revoke().url();
        this.revokeUrl = revoke == null ? null : s.url(revoke, "revoke URL");
        String userinfo = c.userinfoUrl() != null ? c.userinfoUrl() : t.account() == null ? null : t.account().userinfoUrl();
        this.userinfoUrl = userinfo == null ? null : s.url(userinfo, "userinfo URL");
        this.deviceAuthorizationUrl = t.deviceAuthorizationUrl() == null ? null : s.url(t.deviceAuthorizationUrl(), "device authorization URL");
        this.loginIssuer = t.login().issuer() == null ? null : s.url(loginIssuerTemplate(t, values), "login issuer");
        this.loginUserinfoUrl = t.login().userinfoUrl() == null ? userinfoUrl : s.url(t.login().userinfoUrl(), "login userinfo URL");
        this.authorizeParams = s.map(t.authorizeParams());
        this.tokenParams = s.map(t.tokenParams());
        this.refreshParams = s.map(t.refreshParams());
        this.tokenHeaders = s.map(t.tokenHeaders());
        this.accountHeaders = t.account() == null ? Map.of() : s.map(t.account().headers());
    }

    /**
     * The login issuer as the template writes it: {@code issuerWhenOmitted} when a segment of the issuer takes its
     * {@code omitValue} (Okta's org authorization server is the org, not {@code /oauth2}), else {@code issuer}.
     */
    private static String loginIssuerTemplate(ProviderTemplate t, Map<String, String> values) {
        String issuer = t.login().issuer();
        if (t.login().issuerWhenOmitted() == null) {
            return issuer;
        }
        for (String name : ProviderTemplate.placeholders(issuer)) {
            TemplateParam p = t.param(name);
            if (p != null && p.omits(values.get(name))) {
                return t.login().issuerWhenOmitted();
            }
        }
        return issuer;
    }

    /**
     * Applies a configuration to a template. Per-connection parameters without a configured value or default stay open
     * (see {@link #openParams()}). Never throws for bad configuration: problems are returned, each naming the setting
     * as its source spells it ({@code CONNECT_X_CLIENT_ID} for the environment, {@code clientId} for a realm).
     */
    public static Result resolve(ProviderTemplate t, ProviderConfig c, HostPolicy policy) {
        return resolve(t, c, policy, null);
    }

    /**
     * Applies one connection's per-connection values (the app's query parameters at {@code /connect/authorize}, or
     * what a stored connection recorded). A value replaces the configured one, which is only a default; each is
     * checked like a configured value (host policy, kind, pattern). Values for parameters that are not per-connection
     * are refused.
     *
     * @return this provider when the template has no per-connection parameters and no values are given
     */
    public Result withConnectionValues(Map<String, String> connectionValues) {
        Map<String, String> v = connectionValues == null ? Map.of() : connectionValues;
        if (v.isEmpty() && connectionParams().isEmpty()) {
            return new Result(this, List.of());
        }
        return resolve(template, config, policy, v);
    }

    private static Result resolve(ProviderTemplate t, ProviderConfig c, HostPolicy policy, Map<String, String> connection) {
        List<String> problems = new ArrayList<>();
        boolean realm = "realm".equals(c.source());
        if (c.clientId() == null || c.clientId().isBlank()) {
            problems.add("client id is missing (" + (realm ? "clientId" : t.envPrefix() + "CLIENT_ID") + ")");
        }
        boolean needsSecret = t.clientAuth() != ClientAuthMethod.NONE
                && t.clientAuth() != ClientAuthMethod.PRIVATE_KEY_JWT;
        if (needsSecret && (c.clientSecret() == null || c.clientSecret().isBlank())) {
            problems.add("client secret is missing (" + (realm ? "clientSecret" : t.envPrefix() + "CLIENT_SECRET") + ")");
        }
        if (MASKED_SECRET.equals(c.clientSecret())) {
            problems.add("client secret is the placeholder " + MASKED_SECRET + " that a partial realm export writes "
                    + "instead of the secret: set the secret again (or use a ${vault.name} reference)");
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> open = new ArrayList<>();
        for (TemplateParam p : t.params()) {
            String v = c.values().get(p.name());
            String where = realm ? p.name() : t.envPrefix() + p.envSuffix();
            if (connection != null && p.perConnection()) {
                String cv = connection.get(p.name());
                if (cv != null && !cv.isBlank()) {
                    v = cv;
                    where = "per-connection value";
                }
            }
            if (v == null || v.isBlank()) {
                v = p.defaultValue();
            }
            if (v == null || v.isBlank()) {
                if (p.perConnection() && connection == null) {
                    open.add(p.name());
                } else if (p.required()) {
                    problems.add(p.perConnection()
                            ? p.name() + " is required for each connection: the app passes it to /connect/authorize as "
                                    + p.name() + "=…" + (p.description() == null ? "" : " (" + p.description() + ")")
                            : p.name() + " is required (" + where + ")"
                                    + (p.description() == null ? "" : ": " + p.description()));
                }
                continue;
            }
            v = v.trim();
            String bad = checkValue(p, v, policy);
            if (bad != null) {
                problems.add(p.name() + " (" + where + ") is refused: " + bad);
                continue;
            }
            values.put(p.name(), p.kind() == TemplateParam.Kind.URL ? stripSlash(v) : v);
        }
        for (String k : c.values().keySet()) {
            if (t.param(k) == null) {
                problems.add("unknown setting '" + k + "' for provider " + t.name());
            }
        }
        if (connection != null) {
            for (String k : connection.keySet()) {
                TemplateParam p = t.param(k);
                if (p == null || !p.perConnection()) {
                    problems.add("'" + k + "' is not a per-connection value of provider " + t.name());
                }
            }
        }
        String login = connection == null ? LoginSupport.configProblem(t, c, open) : null;
        if (login != null) {
            problems.add(login);
        }
        if (!problems.isEmpty()) {
            return new Result(null, List.copyOf(problems));
        }
        Subst s = new Subst(t, values, open, c.clientId(), policy);
        ResolvedProvider r = new ResolvedProvider(t, c, policy, values, open, s);
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
            case SEGMENT -> !SEGMENT.matcher(v).matches() ? "must be letters, digits, '.', '_' or '-'"
                    : v.equals(".") || v.equals("..") ? "must not be '.' or '..'" : null;
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
        final List<String> open;
        final String clientId;
        final HostPolicy policy;
        final List<String> problems = new ArrayList<>();

        Subst(ProviderTemplate t, Map<String, String> values, List<String> open, String clientId, HostPolicy policy) {
            this.t = t;
            this.values = values;
            this.open = open;
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
            m.forEach((k, v) -> {
                String a = apply(v, false, k);
                if (a != null) {
                    out.put(k, a);
                }
            });
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
                    if (v == null && open.contains(name)) {
                        return null; // a per-connection value: known once a connection supplies it
                    }
                    if (v == null) {
                        problems.add(what + " needs " + name + " (" + t.envPrefix() + name.toUpperCase(Locale.ROOT) + ")");
                        return null;
                    }
                    TemplateParam p = t.param(name);
                    if (inUrl && p != null && p.kind() == TemplateParam.Kind.VALUE) {
                        v = enc(v);
                    }
                    if (inUrl && p != null && p.omits(v)) {
                        // The segment is left out with its slash: /oauth2/{server}/v1 becomes /oauth2/v1.
                        m.appendReplacement(sb, "");
                        if (sb.length() > 0 && sb.charAt(sb.length() - 1) == '/') {
                            sb.setLength(sb.length() - 1);
                        }
                        continue;
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

    /**
     * The client secret with any vault reference resolved in the session's realm; null for public clients, and null
     * when a {@code ${vault.name}} reference does not resolve (the reference itself is never sent as a secret; Keycloak
     * logs the missing vault entry).
     */
    public String clientSecret(KeycloakSession session) {
        String s = config.clientSecret();
        if (s == null || s.isBlank()) {
            return null;
        }
        boolean reference = VaultReference.is(s);
        try (VaultStringSecret v = session.vault().getStringSecret(s)) {
            String r = v.get().orElse(null);
            if (!reference) {
                return r != null ? r : s;
            }
            return r == null || r.equals(s) ? null : r;
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

    /** The template's per-connection parameters, in declaration order (empty for most providers). */
    public List<TemplateParam> connectionParams() {
        return template.params().stream().filter(TemplateParam::perConnection).toList();
    }

    /**
     * Per-connection parameters without a value yet: the app must pass them to {@code /connect/authorize}. Empty once
     * {@link #withConnectionValues} has been applied, and for templates without per-connection parameters.
     */
    public List<String> openParams() {
        return openParams;
    }

    /** The values of the per-connection parameters in effect (given by the connection, or configured defaults). */
    public Map<String, String> connectionValues() {
        Map<String, String> m = new LinkedHashMap<>();
        for (TemplateParam p : connectionParams()) {
            String v = values.get(p.name());
            if (v != null) {
                m.put(p.name(), v);
            }
        }
        return m;
    }

    public String name() { return template.name(); }
    public ProviderTemplate template() { return template; }
    public ProviderConfig config() { return config; }
    public String clientId() { return config.clientId(); }
    public Map<String, String> values() { return values; }
    public String authorizeUrl() { return authorizeUrl; }
    public String tokenUrl() { return tokenUrl; }

    /** The metadata key under which a connection records the origin of the token endpoint it was made with. */
    public static final String TOKEN_ORIGIN = "endpoint.token_origin";

    /**
     * The scheme and host ({@code scheme://host}) of the token endpoint. A connection records it when made; tokens are
     * sent for refresh or revocation only while the provider still points there, so a configuration changed to
     * another host never receives the tokens of connections made before (they need a new consent). The port is left
     * out: the host is whose server it is (nodes of one cluster may reach it through proxies on other ports).
     */
    public String tokenOrigin() {
        try {
            URI u = URI.create(tokenUrl);
            return u.getScheme() + "://" + u.getHost();
        } catch (RuntimeException e) {
            return tokenUrl;
        }
    }

    /** Whether the stored tokens of a connection recorded with {@code metadata} may be sent to this provider's endpoints. */
    public boolean sameTokenOrigin(Map<String, String> metadata) {
        String recorded = metadata == null ? null : metadata.get(TOKEN_ORIGIN);
        return recorded == null || recorded.equals(tokenOrigin());
    }
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
    /** Whether a login through the provider also stores a connection. */
    public boolean loginConnect() { return loginEnabled() && Boolean.TRUE.equals(config.loginConnect()); }
}
