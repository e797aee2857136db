package io.kcconnections.it.fakes;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;

/**
 * A third-party OAuth 2.0 provider in the test JVM that holds its clients to one provider's documented rules and
 * refuses anything else the way that provider would: wrong client authentication is 401 {@code invalid_client}, a
 * missing or malformed parameter 400 {@code invalid_request}, a body in the wrong format 400, a bad code, verifier
 * or refresh token 400 {@code invalid_grant} (or the provider's own error style: GitHub and Slack answer HTTP 200).
 * <p>
 * Its endpoints live under {@code /{name}/} of a {@link Server}: {@code authorize}, {@code token}, {@code userinfo},
 * {@code revoke}. Every code and token it issues is noted in the {@link SecretLedger}; every request it receives is
 * kept ({@link #seen}) so that tests can check what was sent.
 */
public final class FakeProvider {

    /** How the client must authenticate at the token endpoint. */
    public enum Auth { POST, BASIC }

    /** Whether the authorization request must, may or must not carry a PKCE challenge. */
    public enum Pkce { REQUIRED, SUPPORTED, FORBIDDEN }

    /** What a refresh returns: a new refresh token (the old one dies), or none (the old one stays valid). */
    public enum Refresh { ROTATE, KEEP }

    /** How errors are answered. */
    public enum Errors {
        /** RFC 6749: HTTP 400/401 with {@code {"error": …}}. */
        OAUTH,
        /** GitHub: HTTP 200, JSON when asked for JSON, form-encoded otherwise. */
        GITHUB,
        /** Slack: HTTP 200 {@code {"ok": false, "error": …}}. */
        SLACK,
        /** Withings: HTTP 200 {@code {"status": 503, "error": "…"}}. */
        WITHINGS
    }

    /** One request the fake received. Header names are lower-case. */
    public record Seen(String endpoint, String method, Map<String, String> headers, Map<String, String> params,
                       String contentType, String rawBody) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** What one consent granted. */
    public static final class Grant {
        public final String subject;
        public final String redirectUri;
        public final String challenge;
        public final Map<String, String> authorizeQuery;
        public final boolean offline;
        volatile boolean revoked;

        Grant(String subject, String redirectUri, String challenge, Map<String, String> authorizeQuery, boolean offline) {
            this.subject = subject;
            this.redirectUri = redirectUri;
            this.challenge = challenge;
            this.authorizeQuery = authorizeQuery;
            this.offline = offline;
        }
    }

    /** What an extra endpoint answers: HTTP status and a JSON body. */
    public record Answer(int status, String json) {
    }

    /** A refusal: HTTP status, OAuth error code, description. */
    public record Refusal(int status, String error, String description) {
        public static Refusal invalidRequest(String description) {
            return new Refusal(400, "invalid_request", description);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    public final String name;
    public final String clientId;
    /** The client secret the token endpoint accepts (tests may change it to make every exchange fail). */
    public volatile String clientSecret;

    // The provider's rules.
    public Auth auth = Auth.POST;
    public boolean jsonBody;
    public Map<String, String> requiredHeaders = Map.of();
    public String scopeParam = "scope";
    public String scopeSeparator = " ";
    public List<String> expectedScopes;
    public Map<String, String> requiredAuthorizeParams = Map.of();
    public Pkce pkce = Pkce.SUPPORTED;
    public boolean formPost;
    public Map<String, Predicate<String>> requiredTokenParams = Map.of();
    public Map<String, Predicate<String>> requiredRefreshParams = Map.of();
    public Long expiresIn = 3600L;
    public Predicate<Map<String, String>> grantsRefreshToken = q -> true;
    public Refresh refresh = Refresh.ROTATE;
    public Errors errors = Errors.OAUTH;
    public boolean formUnlessAcceptJson;
    public String userinfoMethod = "GET";
    /** The Authorization scheme the userinfo endpoint accepts ({@code Bearer}; Mailchimp's metadata wants {@code OAuth}). */
    public String userinfoScheme = "Bearer";
    /** Whether the userinfo endpoint refuses any body or Content-Type (Dropbox's RPC endpoints without arguments). */
    public boolean userinfoRefusesBody;
    /** How a dead refresh token is refused (HTTP status; Atlassian answers 403). */
    public int deadRefreshStatus = 400;
    /** Knob: every refresh is refused like this (a provider refusing the client rather than the grant). */
    public volatile Refusal refuseRefresh;
    /** Revocation is {@code DELETE revoke/{token}} with no body and no client authentication (HubSpot). */
    public boolean revokeTokenInPath;
    /** Reshapes the callback's parameters before the redirect (Shopify signs them; tests tamper with them). */
    public volatile java.util.function.UnaryOperator<Map<String, String>> callbackParams = m -> m;
    /** More endpoints under {@code /{name}/}: path to handler (Instagram's graph calls). */
    public final Map<String, Function<Seen, Answer>> endpoints = new ConcurrentHashMap<>();
    /** Extra check of the client secret (Apple's signed JWT): returns why it is refused, or null. */
    public volatile Function<String, String> secretCheck;
    /** Further checks of a token request (exchange or refresh): returns a refusal or null. */
    public Function<Seen, Refusal> tokenCheck = s -> null;
    /** Reshapes a successful token answer (Slack's nesting, Withings' wrapping, Zendesk's optional expiry). */
    public BiConsumer<Seen, ObjectNode> answer = (s, a) -> { };
    /** The account behind a grant, as the userinfo endpoint answers it. */
    public Function<Grant, ObjectNode> userinfo = g -> Http.JSON.createObjectNode().put("sub", g.subject);
    /** Extra parameters the callback carries (QuickBooks' realmId). */
    public Map<String, String> callbackExtras = Map.of();

    /** The exact redirect URI registered for the client at this provider (set once the realm exists). */
    public volatile String registeredRedirect;
    /** Knob: the next code exchange fails as if the code had expired. */
    public volatile boolean expireCodes;
    /** Knob: answer form-encoded whatever Accept says (a provider that ignores the header). */
    public volatile boolean alwaysForm;

    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();
    public final List<Seen> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Every refusal of the token endpoint, as {@code endpoint:status:error}. */
    public final List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
    private String base;

    public FakeProvider(String name, String clientId, String clientSecret) {
        this.name = name;
        this.clientId = clientId;
        this.clientSecret = SecretLedger.note(clientSecret);
    }

    /** {@code http://127.0.0.1:port/{name}/{endpoint}}. */
    public String url(String endpoint) {
        return base + "/" + name + "/" + endpoint;
    }

    /** The requests one endpoint received ({@code token} for exchanges, {@code refresh} for refreshes). */
    public List<Seen> seen(String endpoint) {
        synchronized (seen) {
            return seen.stream().filter(s -> s.endpoint().equals(endpoint)).toList();
        }
    }

    public Seen last(String endpoint) {
        List<Seen> l = seen(endpoint);
        return l.isEmpty() ? null : l.get(l.size() - 1);
    }

    /** Whether the provider still accepts a refresh token. */
    public boolean refreshTokenValid(String rt) {
        Grant g = refreshTokens.get(rt);
        return g != null && !g.revoked;
    }

    /** Revokes every grant (the person disconnected the app at the provider). */
    public void revokeAll() {
        codes.values().forEach(g -> g.revoked = true);
        refreshTokens.values().forEach(g -> g.revoked = true);
        accessTokens.values().forEach(g -> g.revoked = true);
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** One HTTP server on 127.0.0.1 (a free port) for several fake providers. */
    public static final class Server implements AutoCloseable {
        private final HttpServer http;
        private final String base;

        public Server() throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            http.setExecutor(Executors.newFixedThreadPool(4));
            http.start();
            base = "http://127.0.0.1:" + http.getAddress().getPort();
        }

        public FakeProvider add(FakeProvider p) {
            p.base = base;
            http.createContext("/" + p.name + "/", p::handle);
            return p;
        }

        public String base() {
            return base;
        }

        @Override
        public void close() {
            http.stop(0);
            ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath().substring(name.length() + 2);
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            String raw = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String ct = headers.getOrDefault("content-type", "");
            Map<String, String> params = new LinkedHashMap<>(query(ex.getRequestURI().getRawQuery()));
            if (ct.startsWith("application/x-www-form-urlencoded")) {
                params.putAll(query(raw));
            } else if (ct.startsWith("application/json") && raw.trim().startsWith("{")) {
                Http.JSON.readTree(raw).fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            }
            String endpoint = path.equals("token") && "refresh_token".equals(params.get("grant_type")) ? "refresh" : path;
            Seen s = new Seen(endpoint, ex.getRequestMethod(), headers, params, ct, raw);
            seen.add(s);
            switch (path) {
                case "authorize" -> authorize(ex, s);
                case "token" -> token(ex, s);
                case "userinfo" -> userinfo(ex, s);
                case "revoke" -> revoke(ex, s);
                default -> other(ex, s, path);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            send(ex, 500, "text/plain", "fake provider failed: " + e);
        } finally {
            ex.close();
        }
    }

    private void authorize(HttpExchange ex, Seen s) throws IOException {
        Map<String, String> q = s.params();
        String problem = null;
        if (!"GET".equals(s.method())) {
            problem = "authorize is a GET";
        } else if (!"code".equals(q.get("response_type"))) {
            problem = "response_type must be code";
        } else if (!clientId.equals(q.get("client_id"))) {
            problem = "unknown client_id";
        } else if (registeredRedirect == null || !registeredRedirect.equals(q.get("redirect_uri"))) {
            problem = "redirect_uri is not the registered one: " + q.get("redirect_uri");
        } else if (q.get("state") == null || q.get("state").length() < 20) {
            problem = "state is missing";
        } else {
            problem = checkScopes(q);
        }
        if (problem == null) {
            boolean hasChallenge = q.containsKey("code_challenge");
            if (pkce == Pkce.REQUIRED && !hasChallenge) {
                problem = "code_challenge is required";
            } else if (pkce == Pkce.FORBIDDEN && (hasChallenge || q.containsKey("code_challenge_method"))) {
                problem = "this provider does not support PKCE";
            } else if (hasChallenge && !"S256".equals(q.get("code_challenge_method"))) {
                problem = "code_challenge_method must be S256";
            }
        }
        if (problem == null) {
            for (Map.Entry<String, String> e : requiredAuthorizeParams.entrySet()) {
                if (!e.getValue().equals(q.get(e.getKey()))) {
                    problem = e.getKey() + " must be " + e.getValue();
                    break;
                }
            }
        }
        if (problem != null) {
            // A provider shows an error page when it cannot trust the redirect URI or the client; so does the fake.
            send(ex, 400, "text/plain", "invalid_request: " + problem);
            return;
        }
        Grant g = new Grant("user-" + token(6), q.get("redirect_uri"), q.get("code_challenge"), Map.copyOf(q),
                grantsRefreshToken.test(q));
        String code = SecretLedger.note("code-" + token(24));
        codes.put(code, g);
        Map<String, String> back = new LinkedHashMap<>();
        back.put("code", code);
        back.put("state", q.get("state"));
        back.putAll(callbackExtras);
        back = new LinkedHashMap<>(callbackParams.apply(back));
        if (formPost) {
            StringBuilder html = new StringBuilder("<html><body onload=\"document.forms[0].submit()\">"
                    + "<form method=\"post\" action=\"" + escape(g.redirectUri) + "\">");
            back.forEach((k, v) -> html.append("<input type=\"hidden\" name=\"").append(escape(k)).append("\" value=\"")
                    .append(escape(v)).append("\"/>"));
            html.append("</form></body></html>");
            send(ex, 200, "text/html; charset=utf-8", html.toString());
            return;
        }
        StringBuilder loc = new StringBuilder(g.redirectUri);
        back.forEach((k, v) -> loc.append(loc.indexOf("?") < 0 ? '?' : '&').append(Http.enc(k)).append('=').append(Http.enc(v)));
        ex.getResponseHeaders().add("Location", loc.toString());
        send(ex, 302, "text/plain", "");
    }

    private String checkScopes(Map<String, String> q) {
        if (expectedScopes == null) {
            return q.containsKey(scopeParam) ? "this provider takes no scopes" : null;
        }
        String v = q.get(scopeParam);
        if (v == null) {
            return scopeParam + " is required";
        }
        String other = scopeSeparator.equals(" ") ? "," : " ";
        if (v.contains(other)) {
            return scopeParam + " must be separated by '" + scopeSeparator + "': " + v;
        }
        if (!List.of(v.split(java.util.regex.Pattern.quote(scopeSeparator))).equals(expectedScopes)) {
            return scopeParam + " is not " + String.join(scopeSeparator, expectedScopes) + ": " + v;
        }
        return null;
    }

    private void token(HttpExchange ex, Seen s) throws IOException {
        Refusal r = checkTokenRequest(s);
        if (r != null) {
            refuse(ex, s, r);
            return;
        }
        boolean isRefresh = s.endpoint().equals("refresh");
        Grant g;
        String oldRefresh = null;
        if (isRefresh) {
            oldRefresh = s.params().get("refresh_token");
            g = oldRefresh == null ? null : refreshTokens.get(oldRefresh);
            if (refuseRefresh != null) {
                refuse(ex, s, refuseRefresh);
                return;
            }
            if (g == null || g.revoked) {
                refuse(ex, s, new Refusal(deadRefreshStatus, "invalid_grant", "unknown or revoked refresh token"));
                return;
            }
        } else {
            String code = s.params().get("code");
            g = code == null ? null : codes.remove(code);
            if (g == null || g.revoked || expireCodes) {
                refuse(ex, s, new Refusal(400, errors == Errors.GITHUB ? "bad_verification_code" : "invalid_grant",
                        "the code is incorrect or expired"));
                return;
            }
            if (!g.redirectUri.equals(s.params().get("redirect_uri"))) {
                refuse(ex, s, new Refusal(400, "invalid_grant", "redirect_uri differs from the authorization request"));
                return;
            }
            String verifier = s.params().get("code_verifier");
            if (g.challenge != null && (verifier == null || !g.challenge.equals(s256(verifier)))) {
                refuse(ex, s, new Refusal(400, "invalid_grant", "code_verifier does not match the challenge"));
                return;
            }
            if (g.challenge == null && verifier != null) {
                refuse(ex, s, Refusal.invalidRequest("code_verifier without a challenge"));
                return;
            }
        }
        String at = SecretLedger.note("at-" + name + "-" + token(24));
        accessTokens.put(at, g);
        ObjectNode a = Http.JSON.createObjectNode();
        a.put("access_token", at);
        a.put("token_type", "bearer");
        if (expiresIn != null) {
            a.put("expires_in", expiresIn);
        }
        if (expectedScopes != null) {
            a.put("scope", String.join(scopeSeparator, expectedScopes));
        }
        if (g.offline && (!isRefresh || refresh == Refresh.ROTATE)) {
            String rt = SecretLedger.note("rt-" + name + "-" + token(24));
            refreshTokens.put(rt, g);
            a.put("refresh_token", rt);
            if (isRefresh) {
                refreshTokens.remove(oldRefresh); // single use
            }
        }
        answer.accept(s, a);
        if (formUnlessAcceptJson && (alwaysForm || !String.valueOf(s.header("accept")).contains("application/json"))) {
            StringBuilder f = new StringBuilder();
            a.fields().forEachRemaining(e -> f.append(f.length() == 0 ? "" : "&").append(Http.enc(e.getKey())).append('=')
                    .append(Http.enc(e.getValue().asText())));
            send(ex, 200, "application/x-www-form-urlencoded", f.toString());
            return;
        }
        send(ex, 200, "application/json", Http.JSON.writeValueAsString(a));
    }

    private Refusal checkTokenRequest(Seen s) {
        if (!"POST".equals(s.method())) {
            return Refusal.invalidRequest("the token endpoint takes POST");
        }
        boolean json = s.contentType().startsWith("application/json");
        boolean form = s.contentType().startsWith("application/x-www-form-urlencoded");
        if (jsonBody ? !json : !form) {
            return Refusal.invalidRequest("the body must be " + (jsonBody ? "JSON" : "form-encoded") + ", not " + s.contentType());
        }
        for (Map.Entry<String, String> h : requiredHeaders.entrySet()) {
            String v = s.header(h.getKey());
            if (v == null || !v.equals(h.getValue())) {
                return new Refusal(h.getKey().equalsIgnoreCase("User-Agent") ? 429 : 400,
                        h.getKey().equalsIgnoreCase("Notion-Version") ? "missing_version" : "invalid_request",
                        h.getKey() + " header must be " + h.getValue());
            }
        }
        String basic = s.header("authorization");
        String bodySecret = s.params().get("client_secret");
        String id;
        String secret;
        if (basic != null && basic.startsWith("Basic ") && bodySecret != null) {
            return Refusal.invalidRequest("more than one client authentication method");
        }
        if (auth == Auth.BASIC) {
            if (basic == null || !basic.startsWith("Basic ")) {
                return new Refusal(401, "invalid_client", "HTTP Basic client authentication is required");
            }
            String pair = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8);
            int i = pair.indexOf(':');
            id = URLDecoder.decode(pair.substring(0, Math.max(i, 0)), StandardCharsets.UTF_8);
            secret = URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8);
        } else {
            if (basic != null) {
                return new Refusal(401, "invalid_client", "client credentials belong in the body");
            }
            id = s.params().get("client_id");
            secret = bodySecret;
        }
        if (!clientId.equals(id)) {
            return new Refusal(401, "invalid_client", "unknown client");
        }
        Function<String, String> check = secretCheck;
        String bad = check != null ? check.apply(secret) : (clientSecret.equals(secret) ? null : "wrong client secret");
        if (bad != null) {
            return new Refusal(401, "invalid_client", bad);
        }
        boolean isRefresh = s.endpoint().equals("refresh");
        String grant = s.params().get("grant_type");
        if (!isRefresh && !"authorization_code".equals(grant)) {
            return new Refusal(400, "unsupported_grant_type", "grant_type " + grant);
        }
        for (Map.Entry<String, Predicate<String>> p : (isRefresh ? requiredRefreshParams : requiredTokenParams).entrySet()) {
            String v = s.params().get(p.getKey());
            if (v == null || !p.getValue().test(v)) {
                return Refusal.invalidRequest(p.getKey() + (v == null ? " is required" : " is not acceptable: " + v));
            }
        }
        return tokenCheck.apply(s);
    }

    /** The last refusal of the token endpoint ({@code endpoint:status:error}), or null. */
    public String lastRefusal() {
        synchronized (refusals) {
            return refusals.isEmpty() ? null : refusals.get(refusals.size() - 1);
        }
    }

    private void refuse(HttpExchange ex, Seen s, Refusal r) throws IOException {
        refusals.add(s.endpoint() + ":" + r.status() + ":" + r.error());
        switch (errors) {
            case GITHUB -> {
                ObjectNode e = Http.JSON.createObjectNode().put("error", r.error()).put("error_description", r.description());
                if (String.valueOf(s.header("accept")).contains("application/json") && !alwaysForm) {
                    send(ex, 200, "application/json", Http.JSON.writeValueAsString(e));
                } else {
                    send(ex, 200, "application/x-www-form-urlencoded", "error=" + Http.enc(r.error())
                            + "&error_description=" + Http.enc(r.description()));
                }
            }
            case SLACK -> {
                String code = !r.error().equals("invalid_grant") ? r.error()
                        : s.endpoint().equals("refresh") ? "invalid_refresh_token" : "invalid_code";
                send(ex, 200, "application/json", Http.JSON.writeValueAsString(
                        Http.JSON.createObjectNode().put("ok", false).put("error", code)));
            }
            case WITHINGS -> send(ex, 200, "application/json", Http.JSON.writeValueAsString(
                    Http.JSON.createObjectNode().put("status", r.status() == 401 ? 100 : 503).put("error", r.description())));
            default -> send(ex, r.status(), "application/json", Http.JSON.writeValueAsString(
                    Http.JSON.createObjectNode().put("error", r.error()).put("error_description", r.description())));
        }
    }

    private void userinfo(HttpExchange ex, Seen s) throws IOException {
        String auth = s.header("authorization");
        String prefix = userinfoScheme + " ";
        Grant g = auth == null || !auth.startsWith(prefix) ? null : accessTokens.get(auth.substring(prefix.length()));
        if (g == null || g.revoked) {
            send(ex, 401, "application/json", "{\"error\":\"invalid_token\"}");
            return;
        }
        if (!userinfoMethod.equals(s.method())) {
            send(ex, 405, "text/plain", "use " + userinfoMethod);
            return;
        }
        if (userinfoRefusesBody && (!s.rawBody().isEmpty() || s.header("content-type") != null)) {
            send(ex, 400, "text/plain", "Error in call to API function: this function takes no arguments, so no body and no "
                    + "Content-Type (got " + s.header("content-type") + ", " + s.rawBody().length() + " bytes)");
            return;
        }
        send(ex, 200, "application/json", Http.JSON.writeValueAsString(userinfo.apply(g)));
    }

    /** Revocation with the token in the path; anything else the fake's extra endpoints answer, or 404. */
    private void other(HttpExchange ex, Seen s, String path) throws IOException {
        if (revokeTokenInPath && path.startsWith("revoke/")) {
            if (!"DELETE".equals(s.method()) || !s.rawBody().isEmpty() || s.header("authorization") != null) {
                send(ex, 400, "application/json", "{\"status\":\"error\",\"message\":\"DELETE with the token in the path only\"}");
                return;
            }
            Grant g = refreshTokens.get(URLDecoder.decode(path.substring(7), StandardCharsets.UTF_8));
            if (g == null) {
                send(ex, 404, "application/json", "{\"status\":\"error\",\"message\":\"refresh token not found\"}");
                return;
            }
            g.revoked = true;
            send(ex, 204, "text/plain", "");
            return;
        }
        Function<Seen, Answer> h = endpoints.get(path);
        if (h == null) {
            send(ex, 404, "text/plain", "no such endpoint");
            return;
        }
        Answer a = h.apply(s);
        send(ex, a.status(), "application/json", a.json());
    }

    /** The grant an access token belongs to, or null (unknown or revoked). */
    public Grant grantOf(String accessToken) {
        Grant g = accessToken == null ? null : accessTokens.get(accessToken);
        return g == null || g.revoked ? null : g;
    }

    /** Issues another access token for a grant (a provider's own token exchange). */
    public String issueAccessToken(Grant g, String kind) {
        String at = SecretLedger.note("at-" + name + "-" + kind + "-" + token(24));
        accessTokens.put(at, g);
        return at;
    }

    private void revoke(HttpExchange ex, Seen s) throws IOException {
        String t = s.params().get("token");
        Grant g = t == null ? null : refreshTokens.getOrDefault(t, accessTokens.get(t));
        if (g != null) {
            g.revoked = true;
        }
        send(ex, 200, "application/json", "{}");
    }

    // ---------------------------------------------------------------------------------------------------------------

    public static String token(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int i = pair.indexOf('=');
            String k = URLDecoder.decode(i < 0 ? pair : pair.substring(0, i), StandardCharsets.UTF_8);
            m.put(k, i < 0 ? "" : URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    /** Reads a JSON answer of a direct call (for the negative checks). */
    public static JsonNode json(Http.Resp r) {
        return r.json();
    }

    /** The URL with its query parsed. */
    public static Map<String, String> queryOf(String url) {
        return query(URI.create(url).getRawQuery());
    }
}
