package io.kcconnections.connect.spi.template;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * One provider of the catalog, as data: endpoints, how to talk to them, and what to keep from their answers.
 * <p>
 * URLs and parameter values may contain placeholders: {@code {client_id}} and the names of {@link #params()};
 * {@link #tokenParams()} and {@link #refreshParams()} values may also use {@code {redirect_uri}}, the realm's callback
 * URL for the provider, filled in when the request is made (Gusto wants it on every refresh).
 * A template never holds credentials; those come from configuration (environment, realm, vault).
 * <p>
 * Instances are immutable; every collection is non-null. Parse one with {@link #parse(InputStream)} or build one in
 * code with the canonical constructor (null means "default" for every optional component).
 * <p>
 * Stability: the YAML form is the contract; the Java constructor may gain components in minor versions.
 *
 * @param name              catalog key, {@code [a-z0-9][a-z0-9-]*}; also the callback path segment and, upper-cased with
 *                          {@code -} turned into {@code _}, the environment prefix {@code CONNECT_<NAME>_}
 * @param displayName       shown to people
 * @param category          a grouping for UIs (identity, productivity, crm, …)
 * @param docs              the provider documentation the entry was checked against; when absent, every page of
 *                          {@code sources}
 * @param authorizeUrl      authorization endpoint
 * @param tokenUrl          token endpoint (code exchange)
 * @param refreshUrl        refresh endpoint when it differs from the token endpoint
 * @param deviceAuthorizationUrl RFC 8628 device authorization endpoint, if the provider has one
 * @param params            values the URLs need (tenant, domain, …)
 * @param clientAuth        client authentication at the token endpoint (default {@code client_secret_post})
 * @param bodyFormat        token and refresh request encoding (default form)
 * @param scopeSeparator    how scopes are joined in the authorization request (default one space)
 * @param scopeParam        authorization-request parameter carrying the scopes (default {@code scope};
 *                          {@code user_scope} for Slack user tokens)
 * @param defaultScopes     scopes requested when the app and the operator name none
 * @param authorizeParams   extra authorization-request parameters
 * @param tokenParams       extra code-exchange parameters
 * @param refreshParams     extra refresh parameters
 * @param tokenHeaders      extra headers on token, refresh and revoke requests (e.g. {@code Accept: application/json})
 * @param pkce              PKCE mode (default {@code supported})
 * @param responseMode      how the callback arrives (default {@code query})
 * @param tokenResponse     where token fields sit in the response
 * @param capture           per-connection values to keep from the token response: name to JSON pointer
 * @param callbackCapture   per-connection values to keep from the callback's parameters (e.g. QuickBooks {@code realmId})
 * @param revoke            how to revoke; null when the provider has no revocation endpoint
 * @param account           how to identify the provider-side account; null when unknown
 * @param login             how the provider maps onto a Keycloak identity provider for SSO
 * @param hook              id of a {@code ProviderHook} for what data cannot describe; null for none
 * @param refreshMarginSeconds refresh this long before expiry (null: the server default)
 * @param idleRefreshDays   refresh connections unused this many days, for providers that expire idle refresh tokens
 * @param clientCredentials whether the provider issues app tokens through the client-credentials grant
 * @param permanentErrors   provider error codes that mean the grant is gone, on top of {@code invalid_grant}
 *                          (e.g. Slack's {@code token_revoked}); a refresh failing with one needs a new consent
 * @param sources           where each fact comes from, by kind, and when it was checked; required of catalog templates
 *                          (bundled and contributed), see {@link #problems()}
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProviderTemplate(
        @JsonProperty("name") String name,
        @JsonProperty("displayName") String displayName,
        @JsonProperty("category") String category,
        @JsonProperty("docs") List<String> docs,
        @JsonProperty("authorizeUrl") String authorizeUrl,
        @JsonProperty("tokenUrl") String tokenUrl,
        @JsonProperty("refreshUrl") String refreshUrl,
        @JsonProperty("deviceAuthorizationUrl") String deviceAuthorizationUrl,
        @JsonProperty("params") List<TemplateParam> params,
        @JsonProperty("clientAuth") ClientAuthMethod clientAuth,
        @JsonProperty("bodyFormat") BodyFormat bodyFormat,
        @JsonProperty("scopeSeparator") String scopeSeparator,
        @JsonProperty("scopeParam") String scopeParam,
        @JsonProperty("defaultScopes") List<String> defaultScopes,
        @JsonProperty("authorizeParams") Map<String, String> authorizeParams,
        @JsonProperty("tokenParams") Map<String, String> tokenParams,
        @JsonProperty("refreshParams") Map<String, String> refreshParams,
        @JsonProperty("tokenHeaders") Map<String, String> tokenHeaders,
        @JsonProperty("pkce") PkceMode pkce,
        @JsonProperty("responseMode") ResponseMode responseMode,
        @JsonProperty("tokenResponse") TokenResponseSpec tokenResponse,
        @JsonProperty("capture") Map<String, String> capture,
        @JsonProperty("callbackCapture") List<String> callbackCapture,
        @JsonProperty("revoke") RevokeSpec revoke,
        @JsonProperty("account") AccountSpec account,
        @JsonProperty("login") LoginSpec login,
        @JsonProperty("hook") String hook,
        @JsonProperty("refreshMarginSeconds") Integer refreshMarginSeconds,
        @JsonProperty("idleRefreshDays") Integer idleRefreshDays,
        @JsonProperty("clientCredentials") boolean clientCredentials,
        @JsonProperty("permanentErrors") List<String> permanentErrors,
        @JsonProperty("sources") SourcesSpec sources) {

    /** Catalog names: lower-case letters, digits and dashes. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** A placeholder in a URL or parameter value. */
    public static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z][a-z0-9_]*)}");
    /** Placeholders every template may use without declaring them. */
    public static final Set<String> BUILT_IN_PLACEHOLDERS = Set.of("client_id", "redirect_uri");
    /**
     * Built-in placeholders filled in when a request is made rather than when the provider is configured; they may
     * appear only in {@link #tokenParams()} and {@link #refreshParams()} values.
     */
    public static final Set<String> CALL_TIME_PLACEHOLDERS = Set.of("redirect_uri");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public ProviderTemplate {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("provider name must match [a-z0-9][a-z0-9-]*: " + name);
        }
        if (authorizeUrl == null || authorizeUrl.isBlank()) {
            throw new IllegalArgumentException(name + ": authorizeUrl is required");
        }
        if (tokenUrl == null || tokenUrl.isBlank()) {
            throw new IllegalArgumentException(name + ": tokenUrl is required");
        }
        displayName = displayName == null || displayName.isBlank() ? name : displayName;
        category = category == null || category.isBlank() ? "other" : category;
        docs = docs != null && !docs.isEmpty() ? List.copyOf(docs) : sources != null ? sources.all() : List.of();
        params = params == null ? List.of() : List.copyOf(params);
        clientAuth = clientAuth == null ? ClientAuthMethod.CLIENT_SECRET_POST : clientAuth;
        bodyFormat = bodyFormat == null ? BodyFormat.FORM : bodyFormat;
        scopeSeparator = scopeSeparator == null || scopeSeparator.isEmpty() ? " " : scopeSeparator;
        scopeParam = scopeParam == null || scopeParam.isBlank() ? "scope" : scopeParam;
        defaultScopes = defaultScopes == null ? List.of() : List.copyOf(defaultScopes);
        authorizeParams = ordered(authorizeParams);
        tokenParams = ordered(tokenParams);
        refreshParams = ordered(refreshParams);
        tokenHeaders = ordered(tokenHeaders);
        pkce = pkce == null ? PkceMode.SUPPORTED : pkce;
        responseMode = responseMode == null ? ResponseMode.QUERY : responseMode;
        tokenResponse = tokenResponse == null ? TokenResponseSpec.STANDARD : tokenResponse;
        capture = ordered(capture);
        callbackCapture = callbackCapture == null ? List.of() : List.copyOf(callbackCapture);
        login = login == null ? LoginSpec.NONE : login;
        permanentErrors = permanentErrors == null ? List.of() : List.copyOf(permanentErrors);
        if (refreshMarginSeconds != null && refreshMarginSeconds < 0) {
            throw new IllegalArgumentException(name + ": refreshMarginSeconds must not be negative");
        }
        if (idleRefreshDays != null && idleRefreshDays <= 0) {
            throw new IllegalArgumentException(name + ": idleRefreshDays must be positive");
        }
    }

    /** The environment prefix for this provider: {@code CONNECT_<NAME>_}. */
    public String envPrefix() {
        return "CONNECT_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_";
    }

    /** The declared parameter with this name, or null. */
    public TemplateParam param(String paramName) {
        for (TemplateParam p : params) {
            if (p.name().equals(paramName)) {
                return p;
            }
        }
        return null;
    }

    /** The endpoint used for refresh requests. */
    public String effectiveRefreshUrl() {
        return refreshUrl != null ? refreshUrl : tokenUrl;
    }

    /** Every string of the template that may carry placeholders. */
    public List<String> templatedStrings() {
        List<String> all = stringsOutsideRequestParams();
        all.addAll(tokenParams.values());
        all.addAll(refreshParams.values());
        return all;
    }

    /** The templated strings except the token and refresh parameter values. */
    private List<String> stringsOutsideRequestParams() {
        List<String> all = new ArrayList<>();
        all.add(authorizeUrl);
        all.add(tokenUrl);
        addIfSet(all, refreshUrl);
        addIfSet(all, deviceAuthorizationUrl);
        all.addAll(authorizeParams.values());
        all.addAll(tokenHeaders.values());
        if (revoke != null) {
            all.add(revoke.url());
        }
        if (account != null) {
            addIfSet(all, account.userinfoUrl());
            all.addAll(account.headers().values());
        }
        addIfSet(all, login.issuer());
        addIfSet(all, login.issuerWhenOmitted());
        addIfSet(all, login.userinfoUrl());
        return all;
    }

    /** Placeholder names used by a string, in order of appearance. */
    public static Set<String> placeholders(String s) {
        Set<String> names = new LinkedHashSet<>();
        if (s != null) {
            Matcher m = PLACEHOLDER.matcher(s);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * Consistency problems of a catalog template (empty when it is sound): {@link #structuralProblems()}, URLs
     * that are not https, and missing or unsound {@link #sources()} (endpoints, tokens, a checked date, and quirk
     * pages when {@link #declaredQuirks()} is not empty). The catalog refuses templates with problems; the bundled
     * catalog and templates contributed through {@code connect-catalog-source} alike.
     */
    public List<String> problems() {
        List<String> problems = structuralProblems();
        problems.addAll(sourceProblems(java.time.LocalDate.now(java.time.ZoneOffset.UTC)));
        checkUrl(problems, "authorizeUrl", authorizeUrl);
        checkUrl(problems, "tokenUrl", tokenUrl);
        checkUrl(problems, "refreshUrl", refreshUrl);
        checkUrl(problems, "deviceAuthorizationUrl", deviceAuthorizationUrl);
        if (revoke != null) {
            checkUrl(problems, "revoke.url", revoke.url());
        }
        if (account != null) {
            checkUrl(problems, "account.userinfoUrl", account.userinfoUrl());
        }
        checkUrl(problems, "login.issuer", login.issuer());
        checkUrl(problems, "login.issuerWhenOmitted", login.issuerWhenOmitted());
        checkUrl(problems, "login.userinfoUrl", login.userinfoUrl());
        return problems;
    }

    /** Problems of {@link #sources()} alone, {@code today} bounding the checked date. */
    public List<String> sourceProblems(java.time.LocalDate today) {
        if (sources == null) {
            List<String> p = new ArrayList<>();
            p.add("sources is required: sources.checked, sources.endpoints and sources.tokens (https pages of the "
                    + "provider's documentation)" + (declaredQuirks().isEmpty() ? "" : ", and sources.quirks for "
                    + String.join(", ", declaredQuirks())));
            return p;
        }
        return sources.problems(declaredQuirks(), today);
    }

    /**
     * The provider-specific behaviours this template declares whose documentation {@code sources.quirks} must name:
     * permanent error codes, a hook, a token answer laid out differently, a revocation that is not a plain POST with
     * the token in the body, a callback that is not a query, idle refresh token expiry.
     */
    public List<String> declaredQuirks() {
        List<String> q = new ArrayList<>();
        if (!permanentErrors.isEmpty()) {
            q.add("permanentErrors");
        }
        if (hook != null) {
            q.add("hook");
        }
        if (!tokenResponse.equals(TokenResponseSpec.STANDARD)) {
            q.add("tokenResponse");
        }
        if (revoke != null && (revoke.placement() != RevokeSpec.Placement.BODY || !"POST".equals(revoke.method()))) {
            q.add("revoke placement/method");
        }
        if (responseMode != ResponseMode.QUERY) {
            q.add("responseMode");
        }
        if (idleRefreshDays != null) {
            q.add("idleRefreshDays");
        }
        return q;
    }

    /**
     * Problems independent of where the URLs point: undeclared placeholders, duplicate parameters, settings that
     * need a companion (an oauth2 login without a userinfo URL, a private_key_jwt client without a hook).
     * Operator-supplied templates are held to these; their URLs are checked by the server's host policy instead.
     */
    public List<String> structuralProblems() {
        List<String> problems = new ArrayList<>();
        Set<String> declared = new LinkedHashSet<>();
        for (TemplateParam p : params) {
            if (!declared.add(p.name())) {
                problems.add("param '" + p.name() + "' is declared twice");
            }
            if (p.perConnection() && p.namesAnyHost()) {
                problems.add("param '" + p.name() + "' is per connection and may name any host: the operator's client "
                        + "credentials would go to a host the user chooses; pin its pattern to the provider's own hosts, "
                        + "or make it an operator setting");
            }
            if (BUILT_IN_PLACEHOLDERS.contains(p.name())) {
                problems.add("param '" + p.name() + "' is a built-in placeholder and cannot be declared");
            }
        }
        for (String s : templatedStrings()) {
            for (String ph : placeholders(s)) {
                if (!declared.contains(ph) && !BUILT_IN_PLACEHOLDERS.contains(ph)) {
                    problems.add("placeholder {" + ph + "} is not a declared param: " + s);
                }
            }
        }
        for (String s : stringsOutsideRequestParams()) {
            for (String ph : placeholders(s)) {
                if (CALL_TIME_PLACEHOLDERS.contains(ph)) {
                    problems.add("placeholder {" + ph + "} may only be used in tokenParams and refreshParams: " + s);
                }
            }
        }
        if (login.type() == LoginSpec.Type.OAUTH2 && login.userinfoUrl() == null
                && (account == null || account.userinfoUrl() == null)) {
            problems.add("login type oauth2 needs login.userinfoUrl or account.userinfoUrl");
        }
        if (clientAuth == ClientAuthMethod.PRIVATE_KEY_JWT && hook == null) {
            problems.add("clientAuth private_key_jwt needs a hook that signs the assertion");
        }
        return problems;
    }

    /**
     * A URL is acceptable when it is https after placeholder substitution. A URL that starts with a {@code url}-kind
     * placeholder (a base URL the operator supplies) is checked when the value is configured instead.
     */
    private void checkUrl(List<String> problems, String field, String url) {
        if (url == null) {
            return;
        }
        Matcher lead = Pattern.compile("^\\{([a-z][a-z0-9_]*)}").matcher(url);
        if (lead.find()) {
            TemplateParam p = param(lead.group(1));
            if (p == null || p.kind() != TemplateParam.Kind.URL) {
                problems.add(field + " may only start with a placeholder of kind url: " + url);
            }
            return;
        }
        String probe = PLACEHOLDER.matcher(url).replaceAll("x");
        try {
            URI u = new URI(probe);
            if (!"https".equals(u.getScheme()) || u.getHost() == null) {
                problems.add(field + " must be an absolute https URL: " + url);
            }
        } catch (Exception e) {
            problems.add(field + " is not a valid URL: " + url);
        }
    }

    /** Reads one template from YAML (or JSON, which is YAML). Unknown members are errors. */
    public static ProviderTemplate parse(InputStream yaml) throws IOException {
        return YAML.readValue(yaml, ProviderTemplate.class);
    }

    /** Reads one template from a YAML string. */
    public static ProviderTemplate parse(String yaml) throws IOException {
        return YAML.readValue(yaml, ProviderTemplate.class);
    }

    private static void addIfSet(List<String> l, String s) {
        if (s != null) {
            l.add(s);
        }
    }

    private static Map<String, String> ordered(Map<String, String> m) {
        return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
