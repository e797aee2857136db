package io.kcconnections.connect.oauth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.spi.ProviderHook;
import io.kcconnections.connect.spi.template.ClientAuthMethod;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.spi.template.ResponseMode;
import io.kcconnections.connect.spi.template.RevokeSpec;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;
import org.keycloak.util.BasicAuthHelper;

/**
 * Builds the requests to a provider as its template says: the authorization URL, and the token, refresh,
 * client-credentials, device and revocation requests with their headers, client authentication and the template's
 * hook applied. Sends nothing.
 */
final class ProviderRequests {

    private static final String REDIRECT_URI = "{redirect_uri}";

    private final KeycloakSession session;
    /** The client secret of a provider, vault references resolved. */
    private final Function<ResolvedProvider, String> secrets;
    private final ProviderHooks hooks;

    ProviderRequests(KeycloakSession session, Function<ResolvedProvider, String> secrets, ProviderHooks hooks) {
        this.session = session;
        this.secrets = secrets;
        this.hooks = hooks;
    }

    /** See {@link OAuthClient#callbackUri}. */
    static String callbackUri(KeycloakSession session, RealmModel realm, String provider) {
        return Urls.realmBase(session.getContext().getUri().getBaseUri()).path(realm.getName())
                .path("connect").path("callback").path(provider).build().toString();
    }

    /** The authorization URL the browser is sent to. */
    String authorizeUrl(ResolvedProvider p, RealmModel realm, String redirectUri, String state, String codeChallenge,
                        List<String> scopes) {
        ProviderTemplate t = p.template();
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", p.clientId());
        q.put("redirect_uri", redirectUri);
        if (!scopes.isEmpty()) {
            q.put(t.scopeParam(), String.join(t.scopeSeparator(), scopes));
        }
        q.put("state", state);
        putChallenge(q, codeChallenge);
        if (t.responseMode() == ResponseMode.FORM_POST) {
            q.put("response_mode", "form_post");
        }
        p.authorizeParams().forEach(q::putIfAbsent);
        hooks.authorizeParams(p, realm, q);
        StringBuilder sb = new StringBuilder(p.authorizeUrl());
        char sep = p.authorizeUrl().contains("?") ? '&' : '?';
        for (Map.Entry<String, String> e : q.entrySet()) {
            sb.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
            sep = '&';
        }
        return sb.toString();
    }

    /** The authorization code exchange (with the PKCE verifier when one was sent). */
    Outbound codeExchange(ResolvedProvider p, RealmModel realm, String code, String redirectUri, String verifier)
            throws ProviderCallException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", redirectUri);
        if (verifier != null) {
            body.put("code_verifier", verifier);
        }
        p.tokenParams().forEach((k, v) -> body.putIfAbsent(k, withRedirectUri(v, redirectUri)));
        return tokenRequest(p, realm, ProviderHook.Step.CODE_EXCHANGE, p.tokenUrl(), body);
    }

    /** The refresh; the callback URL is only worked out when a refresh parameter names it. */
    Outbound refresh(ResolvedProvider p, RealmModel realm, String refreshToken) throws ProviderCallException {
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
        return tokenRequest(p, realm, ProviderHook.Step.REFRESH, p.refreshUrl(), body);
    }

    /** The client-credentials grant (RFC 6749 §4.4). */
    Outbound clientCredentials(ResolvedProvider p, RealmModel realm, List<String> scopes) throws ProviderCallException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "client_credentials");
        putScopes(p, body, scopes);
        return tokenRequest(p, realm, ProviderHook.Step.CLIENT_CREDENTIALS, p.tokenUrl(), body);
    }

    /** The device authorization request (RFC 8628 §3.1), PKCE challenge included when given. */
    Outbound deviceAuthorization(ResolvedProvider p, RealmModel realm, List<String> scopes, String codeChallenge)
            throws ProviderCallException {
        String url = p.deviceAuthorizationUrl();
        if (url == null) {
            throw new ProviderCallException(ProviderCallException.Kind.PERMANENT, "device_flow_unsupported", 0, null,
                    "provider " + p.name() + " has no device authorization endpoint");
        }
        Map<String, String> body = new LinkedHashMap<>();
        putScopes(p, body, scopes);
        putChallenge(body, codeChallenge);
        return tokenRequest(p, realm, ProviderHook.Step.DEVICE_CODE, url, body);
    }

    /** One poll of the token endpoint for a device authorization (RFC 8628 §3.4). */
    Outbound devicePoll(ResolvedProvider p, RealmModel realm, String deviceCode, String verifier)
            throws ProviderCallException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "urn:ietf:params:oauth:grant-type:device_code");
        body.put("device_code", deviceCode);
        if (verifier != null) {
            body.put("code_verifier", verifier);
        }
        return tokenRequest(p, realm, ProviderHook.Step.DEVICE_CODE, p.tokenUrl(), body);
    }

    /** The request to the token endpoint for one step, client authentication and hook applied. */
    Outbound tokenRequest(ResolvedProvider p, RealmModel realm, ProviderHook.Step step, String url,
                          Map<String, String> body) throws ProviderCallException {
        ProviderTemplate t = p.template();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.putAll(p.tokenHeaders());
        applyClientAuth(p, t.clientAuth(), body, headers);
        hooks.tokenRequest(p, realm, step, body, headers);
        return new Outbound("POST", url, t.bodyFormat(), body, headers);
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
        String endpoint = url;
        switch (spec.placement()) {
            case BODY -> body.put(spec.param(), token);
            case QUERY -> url = url + (url.contains("?") ? "&" : "?") + enc(spec.param()) + "=" + enc(token);
            case BEARER -> headers.put("Authorization", "Bearer " + token);
            case PATH -> url = (url.endsWith("/") ? url : url + "/") + enc(token);
        }
        if (spec.tokenTypeHint() && spec.placement() == RevokeSpec.Placement.BODY) {
            body.put("token_type_hint", useRefresh ? "refresh_token" : "access_token");
        }
        applyClientAuth(p, spec.clientAuth() != null ? spec.clientAuth() : p.template().clientAuth(), body, headers);
        if (spec.placement() == RevokeSpec.Placement.PATH) {
            body.clear(); // the token is the path: no body, so no credentials in one (HubSpot wants none)
        }
        hooks.tokenRequest(p, realm, ProviderHook.Step.REVOKE, body, headers);
        String shown = spec.placement() == RevokeSpec.Placement.PATH
                ? (endpoint.endsWith("/") ? endpoint : endpoint + "/") + "{token}" : null;
        return new Outbound(spec.method(), url, spec.bodyFormat(), body, headers, shown);
    }

    /** A request a provider hook asks for: its query on the URL, the client secret added when it says so. */
    Outbound hookCall(ResolvedProvider p, ProviderHook.Call call) {
        Map<String, String> query = new LinkedHashMap<>(call.query());
        if (call.withClientSecret()) {
            String secret = secrets.apply(p);
            if (secret != null) {
                query.put("client_secret", secret);
            }
        }
        StringBuilder url = new StringBuilder(call.url());
        char sep = call.url().contains("?") ? '&' : '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            url.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
            sep = '&';
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.putAll(p.tokenHeaders());
        return new Outbound(call.method(), url.toString(), p.template().bodyFormat(), Map.of(), headers);
    }

    private void applyClientAuth(ResolvedProvider p, ClientAuthMethod m, Map<String, String> body,
                                 Map<String, String> headers) {
        switch (m) {
            case CLIENT_SECRET_POST -> {
                body.put("client_id", p.clientId());
                String secret = secrets.apply(p);
                if (secret != null) {
                    body.put("client_secret", secret);
                }
            }
            case CLIENT_SECRET_BASIC -> {
                // RFC 6749 §2.3.1: the client id and secret are form-encoded before Basic encoding.
                String secret = secrets.apply(p);
                headers.put("Authorization", BasicAuthHelper.RFC6749.createHeader(p.clientId(), secret == null ? "" : secret));
            }
            case NONE, PRIVATE_KEY_JWT -> body.put("client_id", p.clientId());
        }
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

    private static void putScopes(ResolvedProvider p, Map<String, String> body, List<String> scopes) {
        if (!scopes.isEmpty()) {
            body.put("scope", String.join(p.template().scopeSeparator(), scopes));
        }
    }

    private static void putChallenge(Map<String, String> params, String codeChallenge) {
        if (codeChallenge != null) {
            params.put("code_challenge", codeChallenge);
            params.put("code_challenge_method", "S256");
        }
    }

    private static String withRedirectUri(String value, String redirectUri) {
        return redirectUri == null || !value.contains(REDIRECT_URI) ? value : value.replace(REDIRECT_URI, redirectUri);
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
