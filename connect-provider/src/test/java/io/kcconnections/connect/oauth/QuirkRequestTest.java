package io.kcconnections.connect.oauth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.kcconnections.connect.catalog.Catalog;
import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.catalog.ProviderConfig;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.spi.template.BodyFormat;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Provider quirks the engine handles, checked on the requests it builds and the answers it reads (no server). */
class QuirkRequestTest {

    private static final Catalog CATALOG = Catalog.load(QuirkRequestTest.class.getClassLoader());
    /** Builds requests without a Keycloak session: the secret is handed in, no hook runs for these providers. */
    private static final OAuthClient CLIENT = new OAuthClient(null, new HostPolicy(false), p -> "the-secret");

    private static ResolvedProvider provider(String name, Map<String, String> values) {
        ProviderTemplate t = CATALOG.templates().get(name);
        ResolvedProvider.Result r = ResolvedProvider.resolve(t, new ProviderConfig(name, "test", "the-client", "the-secret",
                null, null, null, null, null, null, values, null, null), new HostPolicy(false));
        assertTrue(r.ok(), () -> name + ": " + r.problems());
        return r.provider();
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("a Notion revocation carries the template's Notion-Version header, HTTP Basic and a JSON body")
    void notionRevokeCarriesTokenHeaders() throws Exception {
        Outbound r = CLIENT.revokeRequest(provider("notion", Map.of()), null, "secret_at", "secret_rt");
        assertEquals("POST", r.method());
        assertEquals("https://api.notion.com/v1/oauth/revoke", r.url());
        assertEquals("2025-09-03", r.headers().get("Notion-Version"));
        assertEquals(basic("the-client", "the-secret"), r.headers().get("Authorization"));
        assertEquals(BodyFormat.JSON, r.format());
        assertEquals(Map.of("token", "secret_at"), r.body(), "access token (the template says so), no credentials in the body");
    }

    @Test
    @DisplayName("a GitHub revocation is a DELETE with Basic auth, a JSON body and Accept: application/json")
    void githubRevoke() throws Exception {
        Outbound r = CLIENT.revokeRequest(provider("github", Map.of()), null, "gho_x", null);
        assertEquals("DELETE", r.method());
        assertEquals("https://api.github.com/applications/the-client/token", r.url());
        assertEquals(basic("the-client", "the-secret"), r.headers().get("Authorization"));
        assertEquals("application/json", r.headers().get("Accept"));
        assertEquals(Map.of("access_token", "gho_x"), r.body());
    }

    @Test
    @DisplayName("a DELETE with a body (GitHub's revocation) carries its body on the wire")
    void deleteCarriesItsBody() throws Exception {
        Outbound r = CLIENT.revokeRequest(provider("github", Map.of()), null, "gho_x", null);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
        server.createContext("/", ex -> {
            seen.put("method", ex.getRequestMethod());
            seen.put("path", ex.getRequestURI().getPath());
            seen.put("type", ex.getRequestHeaders().getFirst("Content-Type"));
            seen.put("auth", ex.getRequestHeaders().getFirst("Authorization"));
            seen.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        try (org.apache.http.impl.client.CloseableHttpClient http = org.apache.http.impl.client.HttpClients.createDefault()) {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/applications/the-client/token";
            Outbound local = new Outbound(r.method(), url, r.format(), r.body(), r.headers());
            http.execute(ProviderTransport.deleteWithBody(local)).close();
        } finally {
            server.stop(0);
        }
        assertEquals("DELETE", seen.get("method"));
        assertEquals("/applications/the-client/token", seen.get("path"));
        assertTrue(seen.get("type").startsWith("application/json"), seen.toString());
        assertEquals("{\"access_token\":\"gho_x\"}", seen.get("body"));
        assertEquals(basic("the-client", "the-secret"), seen.get("auth"));
    }

    @Test
    @DisplayName("a Reddit revocation carries the template's User-Agent")
    void redditRevokeCarriesUserAgent() throws Exception {
        Outbound r = CLIENT.revokeRequest(provider("reddit", Map.of()), null, "at", "rt");
        assertEquals("web:the-client:v1.0 (Keycloak Connections)", r.headers().get("User-Agent"));
        assertEquals("rt", r.body().get("token"));
        assertEquals("refresh_token", r.body().get("token_type_hint"));
    }

    @Test
    @DisplayName("a refreshed Slack user token is read at the top level; the code exchange reads it under authed_user")
    void slackRefreshAnswersAtTheTopLevel() throws Exception {
        ProviderTemplate slack = CATALOG.templates().get("slack");
        var refresh = TokenResponses.parseBody("{\"ok\":true,\"access_token\":\"xoxe.xoxp-new\",\"refresh_token\":\"xoxe-1-new\","
                + "\"expires_in\":43200,\"token_type\":\"user\",\"scope\":\"users:read,search:read\",\"team\":{\"id\":\"T2\"}}");
        TokenSet t = TokenResponses.toTokenSet(slack, refresh, List.of(), true);
        assertEquals("xoxe.xoxp-new", t.accessToken());
        assertEquals("xoxe-1-new", t.refreshToken());
        assertEquals(List.of("users:read", "search:read"), t.scopes());
        assertEquals("T2", t.captured().get("team_id"));
        ProviderCallException e = assertThrows(ProviderCallException.class, () -> TokenResponses.toTokenSet(slack, refresh, List.of(), false),
                "read as a code exchange, the answer has no token under /authed_user");
        assertEquals("invalid_response", e.code());
        // A template without refreshPath reads refreshes like exchanges.
        ProviderTemplate plain = ProviderTemplate.parse("name: p\nauthorizeUrl: https://p.example.com/a\n"
                + "tokenUrl: https://p.example.com/t\ntokenResponse: {path: /body}\n");
        assertEquals("at", TokenResponses.toTokenSet(plain, TokenResponses.parseBody("{\"body\":{\"access_token\":\"at\"}}"),
                List.of(), true).accessToken());
    }

    @Test
    @DisplayName("Twitch's token answer lists scopes as a JSON array")
    void twitchScopeArray() throws Exception {
        TokenSet t = TokenResponses.toTokenSet(CATALOG.templates().get("twitch"), TokenResponses.parseBody(
                "{\"access_token\":\"a\",\"refresh_token\":\"r\",\"expires_in\":14400,\"scope\":[\"user:read:email\",\"chat:read\"],"
                        + "\"token_type\":\"bearer\"}"), List.of("ignored"));
        assertEquals(List.of("user:read:email", "chat:read"), t.scopes());
    }

    @Test
    @DisplayName("errors in HTTP 200 answers (GitHub, Withings, Slack) are failures, not tokens")
    void errorsWithHttp200() throws Exception {
        ProviderTemplate withings = CATALOG.templates().get("withings");
        ProviderCallException w = TokenResponses.failure(withings, 200, null,
                TokenResponses.parseBody("{\"status\":503,\"body\":{},\"error\":\"Invalid Params: invalid refresh_token\"}"));
        assertNotNull(w);
        assertEquals(ProviderCallException.Kind.TRANSIENT, w.kind(), "Withings states no OAuth error code: not classified as revoked");
        assertNull(TokenResponses.failure(withings, 200, null, TokenResponses.parseBody(
                "{\"status\":0,\"body\":{\"access_token\":\"a\",\"refresh_token\":\"r\",\"expires_in\":10800,\"userid\":\"42\"}}")));
        ProviderCallException gh = TokenResponses.failure(CATALOG.templates().get("github"), 200, null,
                TokenResponses.parseBody("error=bad_refresh_token&error_description=gone"));
        assertEquals("bad_refresh_token", gh.code());
        assertEquals(ProviderCallException.Kind.PERMANENT, gh.kind(), "github lists bad_refresh_token as permanent");
        ProviderCallException slack = TokenResponses.failure(CATALOG.templates().get("slack"), 200, null,
                TokenResponses.parseBody("{\"ok\":false,\"error\":\"token_revoked\"}"));
        assertEquals(ProviderCallException.Kind.PERMANENT, slack.kind());
        assertEquals("not_ok", TokenResponses.failure(CATALOG.templates().get("slack"), 200, null,
                TokenResponses.parseBody("{\"ok\":false}")).code());
    }

    @Test
    @DisplayName("{redirect_uri} stays in token and refresh parameters until the request, and is refused elsewhere")
    void redirectUriPlaceholder() throws Exception {
        assertEquals(Map.of("redirect_uri", "{redirect_uri}"), provider("gusto", Map.of()).refreshParams());
        String base = "name: p\nauthorizeUrl: https://p.example.com/a\ntokenUrl: https://p.example.com/t\n";
        assertTrue(ProviderTemplate.parse(base + "refreshParams: {redirect_uri: '{redirect_uri}'}\n"
                + "tokenParams: {callback: 'x {redirect_uri}'}\n").structuralProblems().isEmpty());
        assertTrue(ProviderTemplate.parse(base + "authorizeParams: {back: '{redirect_uri}'}\n").structuralProblems().get(0)
                .contains("only be used in tokenParams and refreshParams"));
        assertTrue(ProviderTemplate.parse(base + "tokenHeaders: {X-Back: '{redirect_uri}'}\n").structuralProblems().get(0)
                .contains("only be used in tokenParams and refreshParams"));
        assertTrue(ProviderTemplate.parse(base + "params: [{name: redirect_uri}]\n").structuralProblems().get(0)
                .contains("built-in placeholder"));
    }
}
