package io.kcconnections.it.connect;

import java.util.Map;

import io.kcconnections.it.harness.Browser;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed and hostile input: a 4xx JSON error or an error redirect, and nothing stored. */
class HostileInputIT {

    @FreshRealm
    private TestRealm realm;
    private String alice;
    /** The browser of the last startAndLogin: the callback only works there. */
    private Browser browser;

    @BeforeEach
    void signIn() {
        alice = realm.alice();
    }

    private String startAndLogin(String provider, String cid) {
        Http.Resp r = Connect.authorize(realm, alice, Connect.params("provider", provider, "connection_id", cid,
                "redirect_uri", Connect.APP_REDIRECT));
        assertEquals(200, r.status(), r::toString);
        String[] person = realm.upstreamUser();
        browser = Connect.browserOf(alice);
        return browser.loginUntilCallback(r.json().get("authorize_url").asText(), person[0], person[1]);
    }

    private static void assertErrorPage(Http.Resp r) {
        assertEquals(400, r.status(), r::toString);
        assertTrue(r.header("Content-Type").startsWith("text/html"), r.header("Content-Type"));
    }

    @Test
    @DisplayName("a replayed callback is refused: the state is consumed exactly once")
    void replayedState() throws Exception {
        String callback = startAndLogin("keycloak", "once");
        Http.Resp first = browser.request(callback);
        assertEquals(302, first.status());
        assertEquals("true", Http.queryParam(first.header("Location"), "success"));
        Http.Resp replay = browser.request(callback);
        assertErrorPage(replay);
        assertTrue(replay.body().contains("invalid, expired or already used"), "the themed message is shown");
        assertEquals(1, Db.count(realm.name));
    }

    @Test
    @DisplayName("a tampered state is refused with an error page and consumes nothing")
    void tamperedState() throws Exception {
        String callback = startAndLogin("keycloak", "tamper");
        String state = Http.queryParam(callback, "state");
        String flipped = (state.charAt(0) == 'A' ? 'B' : 'A') + state.substring(1);
        Http.Resp r = browser.request(callback.replace("state=" + Http.enc(state), "state=" + Http.enc(flipped)));
        assertErrorPage(r);
        assertEquals(0, Db.count(realm.name));
        assertEquals(302, browser.request(callback).status(), "the genuine state still works");
        assertEquals(1, Db.count(realm.name));
    }

    @Test
    @DisplayName("a state issued for another provider: error redirect, nothing stored, state burnt")
    void stateForAnotherProvider() throws Exception {
        String callback = startAndLogin("keycloak", "mixup");
        Http.Resp r = browser.request(callback.replace("/connect/callback/keycloak", "/connect/callback/acme"));
        assertEquals(302, r.status(), r::toString);
        assertTrue(r.header("Location").startsWith(Connect.APP_REDIRECT));
        assertEquals("provider_mismatch", Http.queryParam(r.header("Location"), "error"));
        assertEquals(0, Db.count(realm.name));
        assertErrorPage(browser.request(callback));
        assertEquals(0, Db.count(realm.name));
    }

    @Test
    @DisplayName("a callback without code, or with the provider's error, in the browser that started it: an error redirect, nothing stored")
    void missingCodeAndProviderError() throws Exception {
        for (String[] c : new String[][]{{"", "missing_code"}, {"&error=access_denied&error_description=no", "access_denied"},
                {"&error=%3Cscript%3E", "provider_error"}}) {
            Http.Resp a = Connect.authorize(realm, alice, Connect.params("provider", "keycloak", "redirect_uri", Connect.APP_REDIRECT));
            Browser b = Connect.browserOf(alice);
            String state = Http.queryParam(b.providerUrl(a.json().get("authorize_url").asText()), "state");
            Browser.Page r = b.get(realm.url("/connect/callback/keycloak?state=" + Http.enc(state) + c[0]));
            assertEquals(302, r.status(), r::toString);
            assertEquals(c[1], Http.queryParam(r.location(), "error"));
        }
        assertEquals(0, Db.count(realm.name));
    }

    @Test
    @DisplayName("callback without any state, or with markup in it: a plain error page that reflects nothing")
    void noStateErrorPage() throws Exception {
        assertErrorPage(Http.get(realm.url("/connect/callback/keycloak?code=abc"), null));
        Http.Resp r = Http.get(realm.url("/connect/callback/keycloak?code=abc&state=" + Http.enc("<script>alert(1)</script>")), null);
        assertErrorPage(r);
        assertFalse(r.body().contains("<script>alert(1)"), "input is not reflected");
        assertErrorPage(Http.get(realm.url("/connect/callback/nosuch?state=x&code=y"), null));
        Http.Resp post = Http.postForm(realm.url("/connect/callback/keycloak"), Map.of("state", "forged", "code", "x"), null);
        assertErrorPage(post);
        assertEquals(0, Db.count(realm.name));
    }

    @Test
    @DisplayName("authorize refuses unknown providers, bad ids and scopes, and a missing bearer, as JSON")
    void authorizeValidation() {
        Map<String, Map<String, String>> cases = Map.of(
                "unknown_provider", Connect.params("provider", "nosuch", "redirect_uri", Connect.APP_REDIRECT),
                "invalid_request", Connect.params("provider", "keycloak", "redirect_uri", Connect.APP_REDIRECT, "connection_id", "a b/../c"),
                "invalid_scope", Connect.params("provider", "keycloak", "redirect_uri", Connect.APP_REDIRECT, "scopes", "openid \"x\\"));
        cases.forEach((error, params) -> {
            Http.Resp r = Connect.authorize(realm, alice, params);
            assertEquals(400, r.status(), () -> error + ": " + r);
            assertEquals(error, r.json().get("error").asText());
        });
        Http.Resp missing = Connect.authorize(realm, alice, Connect.params("redirect_uri", Connect.APP_REDIRECT));
        assertEquals(400, missing.status());
        Http.Resp noBearer = Connect.authorize(realm, null, Connect.params("provider", "keycloak", "redirect_uri", Connect.APP_REDIRECT));
        assertEquals(401, noBearer.status());
        assertEquals("invalid_token", noBearer.json().get("error").asText());
    }

    @Test
    @DisplayName("redirect_uri: unregistered, open-redirect look-alikes, script schemes and plain http are refused")
    void redirectUris() {
        // Register a plain-http, non-loopback URI so that only the https rule can refuse it.
        var app = realm.admin().client(realm.name, "demo-app");
        ((com.fasterxml.jackson.databind.node.ArrayNode) app.get("redirectUris")).add("http://insecure.example.com/*");
        assertEquals(204, realm.admin().put("/" + realm.name + "/clients/" + app.get("id").asText(), app).status());
        for (String bad : new String[]{"https://evil.example.com/cb", "https://app.example.com.evil.com/cb",
                "https://app.example.com@evil.com/cb", "javascript:alert(1)", "data:text/html,hi",
                "http://insecure.example.com/cb", "https://app.example.com/cb?code=x", "https://app.example.com/cb#frag", "/relative"}) {
            Http.Resp r = Connect.authorize(realm, alice, Connect.params("provider", "keycloak", "redirect_uri", bad));
            assertEquals(400, r.status(), () -> bad + " -> " + r);
            assertEquals("invalid_redirect_uri", r.json().get("error").asText(), bad);
        }
        for (String good : new String[]{"https://app.example.com/connected", "com.example.app:/oauth/callback", Connect.APP_REDIRECT}) {
            assertEquals(200, Connect.authorize(realm, alice, Connect.params("provider", "keycloak", "redirect_uri", good)).status(), good);
        }
        Http.Resp none = Connect.authorize(realm, alice, Connect.params("provider", "keycloak"));
        assertEquals(400, none.status(), "no redirect_uri and no default configured");
    }

    @Test
    @DisplayName("bob cannot start a connect with a connection_id alice owns")
    void connectionIdOfAnotherUser() throws Exception {
        assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "keycloak", "shared-id", realm.upstreamUser()), "success"));
        Http.Resp r = Connect.authorize(realm, realm.bob(), Connect.params("provider", "keycloak", "connection_id", "shared-id",
                "redirect_uri", Connect.APP_REDIRECT));
        assertEquals(403, r.status(), r::toString);
        assertEquals("connection_id_in_use", r.json().get("error").asText());
        assertEquals(1, Db.count(realm.name));
        // The same id under another provider is another connection.
        assertEquals(200, Connect.authorize(realm, realm.bob(), Connect.params("provider", "acme", "connection_id", "shared-id",
                "redirect_uri", Connect.APP_REDIRECT)).status());
    }

    @Test
    @DisplayName("reconnect keeps the connection_id and replaces the tokens")
    void reconnect() throws Exception {
        assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "keycloak", "again", realm.upstreamUser()), "success"));
        String t1 = Connect.token(realm, alice, "again", "keycloak").json().get("token").asText();
        String id1 = (String) Db.row(realm.name, "again").get("ID");
        assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "keycloak", "again", realm.upstreamUser()), "success"));
        String t2 = Connect.token(realm, alice, "again", "keycloak").json().get("token").asText();
        assertFalse(t1.equals(t2));
        assertEquals(id1, Db.row(realm.name, "again").get("ID"));
        assertEquals(1, Db.count(realm.name));
    }

    @Test
    @DisplayName("removing a user removes their connections; removing the realm removes the rest")
    void cascadeOnRemoval() throws Exception {
        assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "keycloak", "gone", realm.upstreamUser()), "success"));
        String bob = realm.bob();
        assertEquals("true", Http.queryParam(Connect.connect(realm, bob, "keycloak", "bobs", realm.upstreamUser()), "success"));
        assertEquals(2, Db.count(realm.name));
        String aliceId = realm.admin().get("/" + realm.name + "/users?exact=true&username=alice").json().get(0).get("id").asText();
        assertEquals(204, realm.admin().delete("/" + realm.name + "/users/" + aliceId).status());
        assertEquals(1, Db.count(realm.name));
        String realmId = realm.admin().get("/" + realm.name).json().get("id").asText();
        realm.admin().deleteRealm(realm.name);
        try (var c = TestServer.get().jdbc(); var ps = c.prepareStatement("select count(*) from CONNECT_CONNECTION where REALM_ID = ?")) {
            ps.setString(1, realmId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
        }
    }
}
