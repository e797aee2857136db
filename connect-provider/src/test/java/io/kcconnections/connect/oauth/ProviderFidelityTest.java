package io.kcconnections.connect.oauth;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.connect.catalog.Catalog;
import io.kcconnections.connect.catalog.ProviderConfig;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.store.TokenCodec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Catalog entries corrected against their providers' documentation (tracker issue 20), checked without a server. */
class ProviderFidelityTest {

    private static final Catalog CATALOG = Catalog.load(ProviderFidelityTest.class.getClassLoader());
    private static final OAuthClient CLIENT = new OAuthClient(null, new HostPolicy(false), p -> "the-secret");
    private static final long DAY = 86_400_000L;

    private static ProviderTemplate template(String name) {
        return CATALOG.templates().get(name);
    }

    static ResolvedProvider provider(String name, Map<String, String> values) {
        ResolvedProvider.Result r = ResolvedProvider.resolve(template(name), new ProviderConfig(name, "test", "the-client",
                "the-secret", null, null, null, null, null, null, values, null, null), new HostPolicy(false));
        assertTrue(r.ok(), () -> name + ": " + r.problems());
        return r.provider();
    }

    @Test
    @DisplayName("Atlassian: a dead refresh token (403 invalid_grant) is permanent; unauthorized_client is a client problem, transient")
    void atlassianRefreshErrors() {
        ProviderTemplate t = template("atlassian");
        ProviderCallException dead = TokenResponses.failure(t, 403, null, TokenResponses.parseBody(
                "{\"error\":\"invalid_grant\",\"error_description\":\"Unknown or invalid refresh token.\"}"));
        assertEquals(ProviderCallException.Kind.PERMANENT, dead.kind());
        ProviderCallException client = TokenResponses.failure(t, 403, null, TokenResponses.parseBody(
                "{\"error\":\"unauthorized_client\",\"error_description\":\"refresh_token is invalid\"}"));
        assertEquals("unauthorized_client", client.code());
        assertEquals(ProviderCallException.Kind.TRANSIENT, client.kind(), "a client problem must not end every connection");
        assertTrue(t.permanentErrors().isEmpty(), t.permanentErrors()::toString);
    }

    @Test
    @DisplayName("Microsoft (90 days idle) and Zoom refresh unused connections: idleRefreshDays 30 and 60 bound the next refresh")
    void idleRefresh() {
        assertEquals(30, template("microsoft").idleRefreshDays());
        assertEquals(60, template("zoom").idleRefreshDays());
        for (String name : List.of("microsoft", "zoom")) {
            Integer idle = template(name).idleRefreshDays();
            long at = TokenCodec.refreshAt(null, true, 600, idle);
            assertTrue(Math.abs(at - (System.currentTimeMillis() + idle * DAY)) < 5_000, name);
            assertTrue(idle * DAY < 90 * DAY, name + " refreshes well inside 90 days");
            long hour = System.currentTimeMillis() + 3_600_000;
            assertEquals(hour - 600_000, TokenCodec.refreshAt(hour, true, 600, idle), "a token that expires sooner wins");
        }
    }

    @Test
    @DisplayName("Notion: the documented token answer states no lifetime: non-expiring, refresh token kept, never refreshed on a timer")
    void notionTokensDoNotExpire() throws Exception {
        ObjectNode json = TokenResponses.parseBody("{\"access_token\":\"ntn_at\",\"token_type\":\"bearer\",\"refresh_token\":\"ntn_rt\","
                + "\"bot_id\":\"b-1\",\"workspace_name\":\"Acme\",\"workspace_id\":\"w-1\",\"owner\":{\"type\":\"user\","
                + "\"user\":{\"id\":\"u-1\",\"name\":\"Alice\",\"person\":{\"email\":\"a@example.com\"}}},\"request_id\":\"r-1\"}");
        ProviderTemplate t = template("notion");
        assertNull(t.tokenResponse().defaultExpiresIn());
        TokenSet s = TokenResponses.toTokenSet(t, json, List.of());
        assertNull(s.expiresAt(), "no lifetime documented or sent: non-expiring");
        assertEquals("ntn_rt", s.refreshToken());
        assertEquals(Map.of("workspace_id", "w-1", "workspace_name", "Acme", "bot_id", "b-1"), s.captured());
        assertNull(TokenCodec.refreshAt(s.expiresAt(), true, 600, t.idleRefreshDays()), "no timed refresh");
    }

    @Test
    @DisplayName("HubSpot: revocation is DELETE /oauth/v1/refresh-tokens/{token}, no body, no client credentials")
    void hubspotRevoke() throws Exception {
        Outbound r = CLIENT.revokeRequest(provider("hubspot", Map.of()), null, "at-1", "de2/f+g h");
        assertEquals("DELETE", r.method());
        assertEquals("https://api.hubapi.com/oauth/v1/refresh-tokens/de2%2Ff%2Bg%20h", r.url());
        assertEquals("https://api.hubapi.com/oauth/v1/refresh-tokens/{token}", r.shown(), "logs never see the token");
        assertTrue(r.body().isEmpty(), r.body()::toString);
        assertNull(r.headers().get("Authorization"));
    }

    @Test
    @DisplayName("Okta: authorization_server=org selects the org authorization server: /oauth2/v1/… and the org as issuer")
    void oktaOrgAuthorizationServer() {
        ResolvedProvider org = provider("okta", Map.of("domain", "acme.okta.com", "authorization_server", "org"));
        assertEquals("https://acme.okta.com/oauth2/v1/authorize", org.authorizeUrl());
        assertEquals("https://acme.okta.com/oauth2/v1/token", org.tokenUrl());
        assertEquals("https://acme.okta.com/oauth2/v1/token", org.refreshUrl());
        assertEquals("https://acme.okta.com/oauth2/v1/device/authorize", org.deviceAuthorizationUrl());
        assertEquals("https://acme.okta.com/oauth2/v1/revoke", org.revokeUrl());
        assertEquals("https://acme.okta.com/oauth2/v1/userinfo", org.userinfoUrl());
        assertEquals("https://acme.okta.com", org.loginIssuer());

        ResolvedProvider custom = provider("okta", Map.of("domain", "acme.okta.com", "authorization_server", "aus1"));
        assertEquals("https://acme.okta.com/oauth2/aus1/v1/token", custom.tokenUrl());
        assertEquals("https://acme.okta.com/oauth2/aus1/v1/device/authorize", custom.deviceAuthorizationUrl());
        assertEquals("https://acme.okta.com/oauth2/aus1", custom.loginIssuer());
        ResolvedProvider byDefault = provider("okta", Map.of("domain", "acme.okta.com"));
        assertEquals("https://acme.okta.com/oauth2/default/v1/authorize", byDefault.authorizeUrl());
        assertEquals("https://acme.okta.com/oauth2/default", byDefault.loginIssuer());
    }

    @Test
    @DisplayName("account captures: Mailchimp's dc and api_endpoint, Basecamp's bc3 account id (an array filtered by product)")
    void accountCaptures() throws Exception {
        assertEquals("OAuth", template("mailchimp").account().scheme());
        assertEquals(Map.of("dc", "/dc", "api_endpoint", "/api_endpoint"), template("mailchimp").account().capture());
        var basecamp = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree("{\"identity\":{\"id\":9},"
                + "\"accounts\":[{\"product\":\"campfire\",\"id\":1,\"href\":\"https://x/1\"},"
                + "{\"product\":\"bc3\",\"id\":99999999,\"href\":\"https://3.basecampapi.com/99999999\"},"
                + "{\"product\":\"bc3\",\"id\":2,\"href\":\"https://3.basecampapi.com/2\"}]}");
        assertEquals("99999999", JsonFields.text(basecamp, template("basecamp").account().capture().get("account_id")));
        assertEquals("https://3.basecampapi.com/99999999", JsonFields.text(basecamp, "/accounts/[product=bc3]/href"));
        assertNull(JsonFields.text(basecamp, "/accounts/[product=bc4]/id"));
        assertNull(JsonFields.text(basecamp, "/identity/[product=bc3]/id"), "not an array: nothing");
        assertEquals("9", JsonFields.text(basecamp, "/identity/id"));
    }

    @Test
    @DisplayName("a hook's call goes out as built: its query on the URL, the client secret added only when asked for")
    void hookCalls() {
        ProviderRequests requests = new ProviderRequests(null, p -> "the-secret", new ProviderHooks(null));
        ResolvedProvider ig = provider("instagram", Map.of());
        Map<String, String> query = new java.util.LinkedHashMap<>();
        query.put("grant_type", "ig_exchange_token");
        query.put("access_token", "a b");
        Outbound exchange = requests.hookCall(ig, new io.kcconnections.connect.spi.ProviderHook.Call("GET",
                "https://graph.instagram.com/access_token", query, true));
        assertEquals("GET", exchange.method());
        assertEquals("https://graph.instagram.com/access_token?grant_type=ig_exchange_token&access_token=a%20b"
                + "&client_secret=the-secret", exchange.url());
        assertTrue(exchange.body().isEmpty());
        Outbound refresh = requests.hookCall(ig, new io.kcconnections.connect.spi.ProviderHook.Call("GET",
                "https://graph.instagram.com/refresh_access_token", Map.of("grant_type", "ig_refresh_token"), false));
        assertTrue(!refresh.url().contains("client_secret"), refresh.url());
        assertEquals("https://graph.instagram.com", ig.values().get("graph_url"));
        assertEquals("instagram", ig.template().hook());
        assertEquals("shopify", template("shopify").hook());
    }
}
