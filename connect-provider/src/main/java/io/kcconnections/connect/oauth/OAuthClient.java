package io.kcconnections.connect.oauth;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.connect.catalog.HostPolicy;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.spi.ProviderHook;
import io.kcconnections.connect.spi.template.AccountSpec;
import io.kcconnections.connect.spi.template.BodyFormat;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.spi.template.ResponseMode;
import io.kcconnections.connect.spi.template.RevokeSpec;
import io.kcconnections.connect.spi.template.TokenResponseSpec;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.NameValuePair;
import org.apache.http.client.entity.UrlEncodedFormEntity;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpEntityEnclosingRequestBase;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.message.BasicNameValuePair;
import org.jboss.logging.Logger;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.http.simple.SimpleHttp;
import org.keycloak.http.simple.SimpleHttpRequest;
import org.keycloak.http.simple.SimpleHttpResponse;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;
import org.keycloak.util.JsonSerialization;

/**
 * Talks OAuth 2.0 to one provider as its template says, over Keycloak's HTTP client. Never logs a token, code,
 * verifier or secret; failures come back as {@link ProviderCallException} with a safe message.
 */
public final class OAuthClient {

    private static final Logger LOG = Logger.getLogger(OAuthClient.class);
    /** OAuth error codes meaning the grant itself is gone (RFC 6749 and a few providers' spellings). */
    private static final Set<String> PERMANENT_ERRORS = Set.of("invalid_grant", "invalid_refresh_token", "token_revoked");

    private final KeycloakSession session;
    private final HostPolicy policy;
    /** The client secret of a provider, vault references resolved. */
    private final Function<ResolvedProvider, String> secrets;

    public OAuthClient(KeycloakSession session, HostPolicy policy) {
        this(session, policy, p -> p.clientSecret(session));
    }

    /** For tests that build requests without a Keycloak session. */
    OAuthClient(KeycloakSession session, HostPolicy policy, Function<ResolvedProvider, String> secrets) {
        this.session = session;
        this.policy = policy;
        this.secrets = secrets;
    }

    /**
     * One request to a provider endpoint, fully built: what {@link #send} puts on the wire.
     *
     * @param format how {@code body} is encoded (a DELETE with an empty form body sends none)
     */
    record Outbound(String method, String url, BodyFormat format, Map<String, String> body, Map<String, String> headers) {
    }

    /**
     * The callback URL of a provider in a realm, as the authorization request sent it ({@code redirect_uri}).
     *
     * @throws RuntimeException outside a request when the server has no configured hostname (Keycloak cannot know
     *                          its public URL then)
     */
    public static String callbackUri(KeycloakSession session, RealmModel realm, String provider) {
        return Urls.realmBase(session.getContext().getUri().getBaseUri()).path(realm.getName())
                .path("connect").path("callback").path(provider).build().toString();
    }

    /** The provider-side account a token belongs to. Any field may be null. */
    public record Account(String id, String name, String email) {
    }

    /** Builds the authorization URL the browser is sent to. */
    public String authorizeUrl(ResolvedProvider p, RealmModel realm, String redirectUri, String state,
                               String codeChallenge, List<String> scopes) {
        ProviderTemplate t = p.template();
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", p.clientId());
        q.put("redirect_uri", redirectUri);
        if (!scopes.isEmpty()) {
            q.put(t.scopeParam(), String.join(t.scopeSeparator(), scopes));
        }
        q.put("state", state);
        if (codeChallenge != null) {
            q.put("code_challenge", codeChallenge);
            q.put("code_challenge_method", "S256");
        }
        if (t.responseMode() == ResponseMode.FORM_POST) {
            q.put("response_mode", "form_post");
        }
        p.authorizeParams().forEach(q::putIfAbsent);
        ProviderHook hook = hook(t);
        if (hook != null) {
            hook.authorizeParams(context(p, realm), q);
        }
        StringBuilder sb = new StringBuilder(p.authorizeUrl());
        char sep = p.authorizeUrl().contains("?") ? '&' : '?';
        for (Map.Entry<String, String> e : q.entrySet()) {
            sb.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
            sep = '&';
        }
        return sb.toString();
    }

    /** Exchanges an authorization code (with the PKCE verifier when one was sent). */
    public TokenSet exchangeCode(ResolvedProvider p, RealmModel realm, String code, String redirectUri, String verifier,
                                 List<String> requestedScopes) throws ProviderCallException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", redirectUri);
        if (verifier != null) {
            body.put("code_verifier", verifier);
        }
        p.tokenParams().forEach((k, v) -> body.putIfAbsent(k, withRedirectUri(v, redirectUri)));
        return tokenCall(p, realm, ProviderHook.Step.CODE_EXCHANGE, p.tokenUrl(), body, requestedScopes);
    }

    /** Refreshes; the result's refresh token is null when the provider sent none. */
    public TokenSet refresh(ResolvedProvider p, RealmModel realm, String refreshToken, List<String> priorScopes)
            throws ProviderCallException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "refresh_token");
        body.put("refresh_token", refreshToken);
        String redirectUri = null;
        for (Map.Entry<String, String> e : p.refreshParams().entrySet()) {
            String v = e.getValue();
            if (v.contains(REDIRECT_URI) && redirectUri == null) {
                redirectUri = refreshRedirectUri(p, realm);
            }
            body.putIfAbsent(e.getKey(), withRedirectUri(v, redirectUri));
        }
        return tokenCall(p, realm, ProviderHook.Step.REFRESH, p.refreshUrl(), body, priorScopes);
    }

    /**
     * The client-credentials grant (RFC 6749 §4.4): a token for the app itself, with the provider's configured
     * client. Run again to renew (there is no refresh token).
     */
    public TokenSet clientCredentials(ResolvedProvider p, RealmModel realm, List<String> scopes) throws ProviderCallException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "client_credentials");
        if (!scopes.isEmpty()) {
            body.put("scope", String.join(p.template().scopeSeparator(), scopes));
        }
        return tokenCall(p, realm, ProviderHook.Step.CLIENT_CREDENTIALS, p.tokenUrl(), body, scopes);
    }

    /** A device authorization response (RFC 8628 §3.2). {@code deviceCode} is a secret. */
    public record DeviceAuthorization(String deviceCode, String userCode, String verificationUri,
                                      String verificationUriComplete, long expiresIn, int interval) {
        @Override
        public String toString() {
            return "DeviceAuthorization[user_code, verification_uri=" + verificationUri + "]";
        }
    }

    /**
     * Starts a device authorization (RFC 8628 §3.1) at the provider's device authorization endpoint.
     *
     * @param codeChallenge PKCE S256 challenge, or null: RFC 8628 does not define PKCE, but providers that enforce
     *                      it for a client (Keycloak) want it on the device authorization request too
     */
    public DeviceAuthorization deviceAuthorization(ResolvedProvider p, RealmModel realm, List<String> scopes,
                                                   String codeChallenge) throws ProviderCallException {
        String url = p.deviceAuthorizationUrl();
        if (url == null) {
            throw new ProviderCallException(ProviderCallException.Kind.PERMANENT, "device_flow_unsupported", 0, null,
                    "provider " + p.name() + " has no device authorization endpoint");
        }
        Map<String, String> body = new LinkedHashMap<>();
        if (!scopes.isEmpty()) {
            body.put("scope", String.join(p.template().scopeSeparator(), scopes));
        }
        if (codeChallenge != null) {
            body.put("code_challenge", codeChallenge);
            body.put("code_challenge_method", "S256");
        }
        Response r = send(p, tokenRequest(p, realm, ProviderHook.Step.DEVICE_CODE, url, body));
        ObjectNode json = parseBody(r.body);
        ProviderCallException failure = failure(p.template(), r.status, r.retryAfter, json);
        if (failure != null) {
            throw failure;
        }
        String deviceCode = text(json, "/device_code");
        String userCode = text(json, "/user_code");
        // Google spells it verification_url.
        String verification = text(json, "/verification_uri") != null ? text(json, "/verification_uri") : text(json, "/verification_url");
        if (deviceCode == null || userCode == null || verification == null) {
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "invalid_response", r.status, null,
                    "the device authorization answer lacks device_code, user_code or verification_uri");
        }
        if (userCode.length() > 64 || verification.length() > 2048 || policy.checkUrl(verification) != null) {
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "invalid_response", r.status, null,
                    "the device authorization answer has an unusable user_code or verification_uri");
        }
        String complete = text(json, "/verification_uri_complete");
        if (complete != null && (complete.length() > 2048 || policy.checkUrl(complete) != null)) {
            complete = null;
        }
        Long expiresIn = number(json, "/expires_in");
        Long interval = number(json, "/interval");
        return new DeviceAuthorization(deviceCode, userCode, verification, complete,
                expiresIn == null || expiresIn <= 0 ? 900 : Math.min(expiresIn, 86_400),
                interval == null || interval <= 0 ? 5 : (int) Math.min(interval, 300));
    }

    /**
     * One poll of the token endpoint for a device authorization (RFC 8628 §3.4). While the person has not decided,
     * this throws with code {@code authorization_pending} or {@code slow_down}.
     */
    public TokenSet pollDevice(ResolvedProvider p, RealmModel realm, String deviceCode, String verifier,
                               List<String> scopes) throws ProviderCallException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "urn:ietf:params:oauth:grant-type:device_code");
        body.put("device_code", deviceCode);
        if (verifier != null) {
            body.put("code_verifier", verifier);
        }
        return tokenCall(p, realm, ProviderHook.Step.DEVICE_CODE, p.tokenUrl(), body, scopes);
    }

    private static final String REDIRECT_URI = "{redirect_uri}";

    private static String withRedirectUri(String value, String redirectUri) {
        return redirectUri == null || !value.contains(REDIRECT_URI) ? value : value.replace(REDIRECT_URI, redirectUri);
    }

    private String refreshRedirectUri(ResolvedProvider p, RealmModel realm) throws ProviderCallException {
        try {
            return callbackUri(session, realm, p.name());
        } catch (RuntimeException e) {
            // A background refresh has no request to take the server's URL from.
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "no_server_url", 0, null,
                    "the refresh needs the callback URL, which is unknown outside a request unless the hostname option is set ("
                            + e.getClass().getSimpleName() + ")");
        }
    }

    /** Identifies the account behind a new token; null when the template says nothing or the lookup fails. */
    public Account account(ResolvedProvider p, RealmModel realm, TokenSet tokens) {
        AccountSpec a = p.template().account();
        if (a == null) {
            return null;
        }
        try {
            JsonNode json;
            switch (a.source()) {
                case USERINFO -> {
                    String url = p.userinfoUrl();
                    String refusal = policy.checkResolved(url);
                    if (refusal != null) {
                        LOG.warnf("provider %s: userinfo call refused: %s", p.name(), refusal);
                        return null;
                    }
                    SimpleHttpRequest r = "POST".equals(a.method())
                            ? SimpleHttp.create(session).doPost(url).json(Map.of())
                            : SimpleHttp.create(session).doGet(url);
                    r.auth(tokens.accessToken()).header("Accept", "application/json");
                    p.accountHeaders().forEach(r::header);
                    try (SimpleHttpResponse resp = r.asResponse()) {
                        if (resp.getStatus() / 100 != 2) {
                            LOG.infof("provider %s: userinfo answered HTTP %d; the connection is stored without an account id",
                                    p.name(), resp.getStatus());
                            return null;
                        }
                        json = JsonSerialization.readValue(resp.asString(), JsonNode.class);
                    }
                }
                case ID_TOKEN -> {
                    // Received straight from the token endpoint over TLS (OIDC Core 3.1.3.7): the claims are read, not verified.
                    if (tokens.idToken() == null) {
                        return null;
                    }
                    String[] parts = tokens.idToken().split("\\.");
                    if (parts.length < 2) {
                        return null;
                    }
                    json = JsonSerialization.readValue(Base64.getUrlDecoder().decode(parts[1]), JsonNode.class);
                }
                default -> json = JsonSerialization.readValue(tokens.raw(), JsonNode.class);
            }
            return new Account(text(json, a.id()), text(json, a.name()), text(json, a.email()));
        } catch (IOException | IllegalArgumentException e) {
            LOG.infof("provider %s: account lookup failed (%s); the connection is stored without an account id",
                    p.name(), e.getClass().getSimpleName());
            return null;
        }
    }

    /**
     * Revokes a token at the provider, as its revoke spec says. Best effort: the caller decides what a failure means.
     *
     * @return false when the provider has no revocation endpoint
     */
    public boolean revoke(ResolvedProvider p, RealmModel realm, String accessToken, String refreshToken)
            throws ProviderCallException {
        Outbound req = revokeRequest(p, realm, accessToken, refreshToken);
        if (req == null) {
            return false;
        }
        Response r = send(p, req);
        if (r.status == 429 || r.status >= 500) {
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "http_" + r.status, r.status,
                    r.retryAfter, "revocation answered HTTP " + r.status);
        }
        if (r.status / 100 != 2) {
            // RFC 7009 §2.2: an invalid token is not an error for revocation; anything else is reported.
            ObjectNode json = parseBody(r.body);
            String err = json == null ? null : text(json, "/error");
            if (!"invalid_token".equals(err)) {
                throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT,
                        err != null ? safeCode(err) : "http_" + r.status, r.status, null, "revocation answered HTTP " + r.status);
            }
        }
        return true;
    }

    /** The revocation request for a connection's tokens; null when there is nothing to revoke or nowhere to send it. */
    Outbound revokeRequest(ResolvedProvider p, RealmModel realm, String accessToken, String refreshToken)
            throws ProviderCallException {
        RevokeSpec spec = p.template().revoke();
        String url = p.revokeUrl();
        if (url == null) {
            return null;
        }
        if (spec == null) {
            spec = new RevokeSpec(url, null, null, null, null, null, true, null);
        }
        boolean useRefresh = spec.token() == RevokeSpec.Which.REFRESH && refreshToken != null;
        String token = useRefresh ? refreshToken : accessToken;
        if (token == null) {
            return null;
        }
        Map<String, String> body = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        // The template's headers (an API version, a User-Agent) apply to every call at the provider's OAuth endpoints.
        headers.putAll(p.tokenHeaders());
        switch (spec.placement()) {
            case BODY -> body.put(spec.param(), token);
            case QUERY -> url = url + (url.contains("?") ? "&" : "?") + enc(spec.param()) + "=" + enc(token);
            case BEARER -> headers.put("Authorization", "Bearer " + token);
        }
        if (spec.tokenTypeHint() && spec.placement() == RevokeSpec.Placement.BODY) {
            body.put("token_type_hint", useRefresh ? "refresh_token" : "access_token");
        }
        applyClientAuth(p, spec.clientAuth() != null ? spec.clientAuth() : p.template().clientAuth(), body, headers);
        runHook(p, realm, ProviderHook.Step.REVOKE, body, headers);
        return new Outbound(spec.method(), url, spec.bodyFormat(), body, headers);
    }

    /** The request to the token endpoint for one step, client authentication and hook applied. */
    Outbound tokenRequest(ResolvedProvider p, RealmModel realm, ProviderHook.Step step, String url,
                          Map<String, String> body) throws ProviderCallException {
        ProviderTemplate t = p.template();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.putAll(p.tokenHeaders());
        applyClientAuth(p, t.clientAuth(), body, headers);
        runHook(p, realm, step, body, headers);
        return new Outbound("POST", url, t.bodyFormat(), body, headers);
    }

    /** Runs the template's hook on a request; a hook that fails fails the call (its message must hold no secret). */
    private void runHook(ResolvedProvider p, RealmModel realm, ProviderHook.Step step, Map<String, String> body,
                         Map<String, String> headers) throws ProviderCallException {
        ProviderHook hook = hook(p.template());
        if (hook == null) {
            return;
        }
        try {
            hook.tokenRequest(context(p, realm), step, body, headers);
        } catch (RuntimeException e) {
            LOG.warnf("provider %s: hook '%s' refused the %s request: %s", p.name(), p.template().hook(), step,
                    safeText(String.valueOf(e.getMessage())));
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "hook_failed", 0, null,
                    "hook " + p.template().hook() + " failed: " + safeText(String.valueOf(e.getMessage())));
        }
    }

    private TokenSet tokenCall(ResolvedProvider p, RealmModel realm, ProviderHook.Step step, String url,
                               Map<String, String> body, List<String> requestedScopes) throws ProviderCallException {
        ProviderTemplate t = p.template();
        Response r = send(p, tokenRequest(p, realm, step, url, body));
        ObjectNode json = parseBody(r.body);
        ProviderHook hook = hook(t);
        if (json != null && hook != null) {
            try {
                hook.tokenResponse(context(p, realm), step, json);
            } catch (RuntimeException e) {
                throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "hook_failed", r.status, null,
                        "hook " + t.hook() + " failed on the answer: " + safeText(String.valueOf(e.getMessage())));
            }
        }
        ProviderCallException failure = failure(t, r.status, r.retryAfter, json);
        if (failure != null) {
            throw failure;
        }
        return toTokenSet(t, json, requestedScopes, step == ProviderHook.Step.REFRESH);
    }

    /**
     * What a token-endpoint answer means when it is not a success, or null for a success: HTTP 429 and 5xx are
     * transient; an {@code error} member (also in HTTP 200 answers: GitHub, Withings) or Slack's {@code "ok": false}
     * is the provider's refusal, permanent when the code says the grant is gone; any other non-2xx, or a body that is
     * neither JSON nor a form, is transient.
     */
    static ProviderCallException failure(ProviderTemplate t, int status, Long retryAfter, ObjectNode json) {
        String error = json == null ? null : text(json, "/error");
        if (error == null && json != null && json.path("ok").isBoolean() && !json.path("ok").asBoolean()) {
            error = "not_ok";
        }
        if (status == 429) {
            return new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "rate_limited", status, retryAfter,
                    "provider rate-limited the request (HTTP 429)");
        }
        if (status >= 500) {
            return new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "http_" + status, status, retryAfter,
                    "provider answered HTTP " + status);
        }
        if (error != null) {
            String desc = text(json, "/error_description");
            ProviderCallException.Kind kind = PERMANENT_ERRORS.contains(error) || t.permanentErrors().contains(error)
                    ? ProviderCallException.Kind.PERMANENT : ProviderCallException.Kind.TRANSIENT;
            return new ProviderCallException(kind, safeCode(error), status, retryAfter,
                    "provider refused: " + safeCode(error) + (desc == null ? "" : " (" + safeText(desc) + ")"));
        }
        if (status / 100 != 2) {
            return new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "http_" + status, status, retryAfter,
                    "provider answered HTTP " + status);
        }
        if (json == null) {
            return new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "invalid_response", status, null,
                    "provider answered with a body that is neither JSON nor a form");
        }
        return null;
    }

    /**
     * A token response that reached Keycloak another way (a login through a Keycloak identity provider), read as the
     * provider's template describes its token responses.
     */
    public static TokenSet tokenSetOf(ProviderTemplate t, String rawJson) throws ProviderCallException {
        com.fasterxml.jackson.databind.JsonNode json;
        try {
            json = org.keycloak.util.JsonSerialization.mapper.readTree(rawJson);
        } catch (java.io.IOException e) {
            json = null;
        }
        if (!(json instanceof ObjectNode o)) {
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "invalid_response", 200, null,
                    "the token response is not a JSON object");
        }
        return toTokenSet(t, o, List.of());
    }

    static TokenSet toTokenSet(ProviderTemplate t, ObjectNode json, List<String> requestedScopes) throws ProviderCallException {
        return toTokenSet(t, json, requestedScopes, false);
    }

    /** @param forRefresh whether this answers a refresh ({@code tokenResponse.refreshPath} applies) */
    static TokenSet toTokenSet(ProviderTemplate t, ObjectNode json, List<String> requestedScopes, boolean forRefresh)
            throws ProviderCallException {
        TokenResponseSpec s = forRefresh ? t.tokenResponse().forRefresh() : t.tokenResponse();
        String access = text(json, s.pointer(s.accessToken()));
        if (access == null || access.isEmpty()) {
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "invalid_response", 200, null,
                    "provider answer has no access token at " + s.pointer(s.accessToken()));
        }
        String refresh = text(json, s.pointer(s.refreshToken()));
        if (refresh != null && refresh.isEmpty()) {
            refresh = null;
        }
        long now = System.currentTimeMillis();
        Long expiresAt = null;
        Long expiresIn = number(json, s.pointer(s.expiresIn()));
        if (expiresIn != null) {
            expiresAt = expiresIn > 0 ? now + expiresIn * 1000 : null;
        } else if (s.expiresAt() != null) {
            Long at = number(json, s.pointer(s.expiresAt()));
            if (at != null) {
                expiresAt = at > 100_000_000_000L ? at : at * 1000;
            }
        }
        if (expiresIn == null && expiresAt == null && s.defaultExpiresIn() != null) {
            expiresAt = now + s.defaultExpiresIn() * 1000;
        }
        String scopeText = null;
        JsonNode scopeNode = json.at(s.pointer(s.scope()));
        List<String> scopes;
        if (scopeNode.isArray()) {
            scopes = new ArrayList<>();
            scopeNode.forEach(n -> scopes.add(n.asText()));
        } else {
            scopeText = scopeNode.isMissingNode() || scopeNode.isNull() ? null : scopeNode.asText();
            scopes = scopeText == null ? requestedScopes
                    : Arrays.stream(scopeText.trim().split("[,\\s]+")).filter(x -> !x.isEmpty()).toList();
        }
        String type = text(json, s.pointer(s.tokenType()));
        Map<String, String> captured = new LinkedHashMap<>();
        t.capture().forEach((name, ptr) -> {
            String v = text(json, ptr);
            if (v != null) {
                captured.put(name, v);
            }
        });
        String raw;
        try {
            raw = JsonSerialization.writeValueAsString(json);
        } catch (IOException e) {
            raw = null;
        }
        return new TokenSet(access, refresh, type == null ? "Bearer" : type, expiresAt, List.copyOf(scopes),
                text(json, s.pointer(s.idToken())), raw, captured);
    }

    private void applyClientAuth(ResolvedProvider p, io.kcconnections.connect.spi.template.ClientAuthMethod m,
                                 Map<String, String> body, Map<String, String> headers) {
        switch (m) {
            case CLIENT_SECRET_POST -> {
                body.put("client_id", p.clientId());
                String secret = secrets.apply(p);
                if (secret != null) {
                    body.put("client_secret", secret);
                }
            }
            case CLIENT_SECRET_BASIC -> {
                String secret = secrets.apply(p);
                String pair = formEnc(p.clientId()) + ":" + formEnc(secret == null ? "" : secret);
                headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            }
            case NONE, PRIVATE_KEY_JWT -> body.put("client_id", p.clientId());
        }
    }

    private record Response(int status, String body, Long retryAfter) {
    }

    private Response send(ResolvedProvider p, Outbound out) throws ProviderCallException {
        String refusal = policy.checkResolved(out.url());
        if (refusal != null) {
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "address_refused", 0, null, refusal);
        }
        long started = System.nanoTime();
        try {
            Response r = "DELETE".equals(out.method()) && !out.body().isEmpty() ? sendDeleteWithBody(out) : sendSimple(out);
            LOG.debugf("provider %s: %s %s -> HTTP %d in %d ms", p.name(), out.method(), stripQuery(out.url()), r.status,
                    (System.nanoTime() - started) / 1_000_000);
            return r;
        } catch (InterruptedIOException e) {
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "timeout", 0, null,
                    "provider did not answer in time (" + e.getClass().getSimpleName() + ")");
        } catch (IOException e) {
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "network", 0, null,
                    "provider unreachable (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** POST (form or JSON body), or DELETE without a body, over Keycloak's SimpleHttp. */
    private Response sendSimple(Outbound out) throws IOException {
        SimpleHttp http = SimpleHttp.create(session);
        boolean delete = "DELETE".equals(out.method());
        SimpleHttpRequest req = delete ? http.doDelete(out.url()) : http.doPost(out.url());
        if (!delete) {
            if (out.format() == BodyFormat.JSON) {
                req.json(new LinkedHashMap<>(out.body()));
            } else {
                req.params(new LinkedHashMap<>(out.body()));
            }
        }
        out.headers().forEach(req::header);
        try (SimpleHttpResponse resp = req.asResponse()) {
            return new Response(resp.getStatus(), resp.asString(), retryAfter(resp.getFirstHeader("Retry-After")));
        }
    }

    /**
     * DELETE with a body (GitHub's token revocation): SimpleHttp sends a DELETE without its body, so this one goes
     * straight to Keycloak's HTTP client, with the same response-size limit.
     */
    private Response sendDeleteWithBody(Outbound out) throws IOException {
        HttpClientProvider provider = session.getProvider(HttpClientProvider.class);
        try (CloseableHttpResponse resp = provider.getHttpClient().execute(deleteWithBody(out))) {
            HttpEntity entity = resp.getEntity();
            String text = entity == null ? "" : readAtMost(entity.getContent(), provider.getMaxConsumedResponseSize());
            Header ra = resp.getFirstHeader("Retry-After");
            return new Response(resp.getStatusLine().getStatusCode(), text, retryAfter(ra == null ? null : ra.getValue()));
        }
    }

    /** The Apache request for a DELETE that carries a form or JSON body. */
    static HttpUriRequest deleteWithBody(Outbound out) throws IOException {
        HttpEntityEnclosingRequestBase req = new HttpEntityEnclosingRequestBase() {
            @Override
            public String getMethod() {
                return "DELETE";
            }
        };
        req.setURI(java.net.URI.create(out.url()));
        if (out.format() == BodyFormat.JSON) {
            req.setEntity(new StringEntity(JsonSerialization.writeValueAsString(out.body()), ContentType.APPLICATION_JSON));
        } else {
            req.setEntity(new UrlEncodedFormEntity(out.body().entrySet().stream()
                    .map(e -> (NameValuePair) new BasicNameValuePair(e.getKey(), e.getValue())).toList(), StandardCharsets.UTF_8));
        }
        out.headers().forEach(req::setHeader);
        return req;
    }

    private static String readAtMost(InputStream in, long max) throws IOException {
        try (in) {
            byte[] b = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
            if (b.length > max) {
                throw new IOException("response larger than " + max + " bytes");
            }
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    /** JSON object, or a form-encoded answer turned into one (GitHub without Accept: application/json). */
    static ObjectNode parseBody(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        String b = body.trim();
        if (b.startsWith("{")) {
            try {
                JsonNode n = JsonSerialization.readValue(b, JsonNode.class);
                return n instanceof ObjectNode o ? o : null;
            } catch (IOException e) {
                return null;
            }
        }
        if (b.contains("=") && !b.contains("<") && !b.contains(" ")) {
            ObjectNode o = JsonSerialization.mapper.createObjectNode();
            for (String pair : b.split("&")) {
                int i = pair.indexOf('=');
                if (i <= 0) {
                    return null;
                }
                o.put(URLDecoder.decode(pair.substring(0, i), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8));
            }
            return o;
        }
        return null;
    }

    static String text(JsonNode json, String pointer) {
        if (json == null || pointer == null) {
            return null;
        }
        JsonNode n = json.at(pointer);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }

    private static Long number(JsonNode json, String pointer) {
        JsonNode n = json.at(pointer);
        if (n.isNumber()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            try {
                return (long) Double.parseDouble(n.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Long retryAfter(String v) {
        if (v == null) {
            return null;
        }
        try {
            return Math.max(0, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            try {
                long at = java.time.ZonedDateTime.parse(v.trim(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant().toEpochMilli();
                return Math.max(0, (at - System.currentTimeMillis()) / 1000);
            } catch (RuntimeException e2) {
                return null;
            }
        }
    }

    private ProviderHook hook(ProviderTemplate t) {
        if (t.hook() == null) {
            return null;
        }
        ProviderHook h = session.getProvider(ProviderHook.class, t.hook());
        if (h == null) {
            LOG.warnf("provider %s names hook '%s', which is not deployed", t.name(), t.hook());
        }
        return h;
    }

    private ProviderHook.Context context(ResolvedProvider p, RealmModel realm) {
        return new ProviderHook.Context(session, realm, p.template(), p.values(), p.clientId());
    }

    /** Error codes are echoed back to apps: keep them to a safe alphabet and length. */
    static String safeCode(String s) {
        String c = s.replaceAll("[^A-Za-z0-9_.-]", "_");
        return c.length() > 64 ? c.substring(0, 64) : c;
    }

    static String safeText(String s) {
        String c = s.replaceAll("\\p{Cntrl}", " ");
        return c.length() > 200 ? c.substring(0, 200) + "…" : c;
    }

    private static String stripQuery(String url) {
        int i = url.indexOf('?');
        return i < 0 ? url : url.substring(0, i);
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** RFC 6749 §2.3.1: the client id and secret are form-encoded before Basic encoding. */
    private static String formEnc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
