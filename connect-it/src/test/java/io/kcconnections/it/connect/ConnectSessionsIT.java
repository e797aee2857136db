package io.kcconnections.it.connect;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.harness.Browser;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every connect is bound to the person who asked for it: the start URL an app gets works only in a browser signed in
 * to Keycloak as that person, and the provider's callback only in that same browser session. Nobody else's account
 * can land in the person's connection, whoever opens the URLs.
 */
class ConnectSessionsIT {

    @FreshRealm
    private TestRealm realm;
    private String alice;

    @BeforeEach
    void tokens() {
        alice = realm.alice();
    }

    private String startUrl(String cid) {
        Http.Resp r = Connect.authorize(realm, alice, Connect.params("provider", "keycloak", "connection_id", cid,
                "redirect_uri", Connect.APP_REDIRECT));
        assertEquals(200, r.status(), r::toString);
        String url = r.json().get("authorize_url").asText();
        assertTrue(url.startsWith(realm.url("/connect/start/")), "a Keycloak start URL, not the provider's: " + url);
        assertTrue(r.json().get("expires_in").asInt() > 0);
        assertTrue(r.json().hasNonNull("expires_at"), r::toString);
        return url;
    }

    private static String text(Browser.Page p) {
        return Browser.text(p);
    }

    @Test
    @DisplayName("given alice's start URL, when bob opens it signed in as bob: an error page and an event; alice can still use it")
    void anotherSignedInPersonGetsAnErrorPage() throws Exception {
        String url = startUrl("mine");
        Browser bob = new Browser(TestServer.baseUrl()).as("bob", "bob");
        Browser.Page page = bob.signInIfAsked(bob.get(url));
        assertEquals(403, page.status(), () -> text(page));
        assertTrue(text(page).contains("made for another account"), text(page));
        assertNull(page.location(), "no redirect to the provider");
        Browser.Page again = bob.get(url);
        assertEquals(403, again.status(), "bob's session, again");
        assertEquals(0, Db.count(realm.name));
        List<JsonNode> events = realm.admin().events(realm.name, "FEDERATED_IDENTITY_LINK_ERROR");
        assertTrue(events.stream().anyMatch(e -> "wrong_account".equals(e.path("error").asText())), events::toString);

        String[] person = realm.upstreamUser();
        String landed = Connect.browserOf(alice).loginAndFollow(url, person[0], person[1]);
        assertEquals("true", Http.queryParam(landed, "success"), landed);
        assertEquals(1, Db.count(realm.name));
    }

    @Test
    @DisplayName("given alice's start URL, when someone opens it with no session: the realm's login page, never the provider")
    void noSessionMeansTheRealmsLogin() throws Exception {
        String url = startUrl("sign-in-first");
        Browser stranger = new Browser(TestServer.baseUrl());
        Browser.Page page = stranger.get(url);
        assertEquals(200, page.status(), () -> text(page));
        assertTrue(page.body().contains("kc-form-login"), "Keycloak's login form");
        assertTrue(page.body().contains("/realms/" + realm.name + "/login-actions/"), "the app realm's login, not the provider's");
        assertFalse(stranger.visited.stream().anyMatch(v -> v.contains("/realms/" + TestServer.UPSTREAM_REALM + "/")),
                () -> "never at the provider: " + stranger.visited);
        Browser.Page signedInAsBob = stranger.as("bob", "bob").signInIfAsked(page);
        assertEquals(403, signedInAsBob.status(), () -> text(signedInAsBob));
        assertEquals(0, Db.count(realm.name));
    }

    @Test
    @DisplayName("given the provider URL alice's browser was sent to, when another browser completes it: refused at the callback, nothing stored")
    void theCallbackOnlyWorksInTheBrowserThatStarted() throws Exception {
        String[] victim = realm.upstreamUser();
        // Bob, signed in to Keycloak in his own browser (he opened a start URL of his own).
        Browser bob = new Browser(TestServer.baseUrl()).as("bob", "bob");
        Http.Resp bobs = Connect.authorize(realm, realm.bob(), Connect.params("provider", "keycloak", "connection_id", "bobs",
                "redirect_uri", Connect.APP_REDIRECT));
        bob.providerUrl(bobs.json().get("authorize_url").asText());
        for (Browser other : List.of(new Browser(TestServer.baseUrl()), bob)) {
            String providerUrl = Connect.browserOf(alice).providerUrl(startUrl("hijack"));
            String callback = other.loginUntilCallback(providerUrl, victim[0], victim[1]);
            Browser.Page page = other.get(callback);
            assertEquals(400, page.status(), () -> text(page));
            assertTrue(text(page).contains("started in another browser"), text(page));
            assertNull(page.location());
            assertEquals(0, Db.count(realm.name), "nobody's account landed in alice's connection");
        }
        List<JsonNode> events = realm.admin().events(realm.name, "FEDERATED_IDENTITY_LINK_ERROR");
        assertTrue(events.stream().filter(e -> "browser_mismatch".equals(e.path("error").asText())).count() == 2,
                events::toString);
    }

    @Test
    @DisplayName("a used, tampered, malformed or unknown start handle: the invalid-link page, nothing stored, nothing reflected")
    void replayedAndTamperedHandles() throws Exception {
        String url = startUrl("once");
        String[] person = realm.upstreamUser();
        Browser b = Connect.browserOf(alice);
        assertEquals("true", Http.queryParam(b.loginAndFollow(url, person[0], person[1]), "success"));
        Browser.Page replay = b.get(url);
        assertEquals(400, replay.status(), "a used link");
        assertTrue(text(replay).contains("invalid, expired or already used"), text(replay));

        String handle = url.substring(url.lastIndexOf('/') + 1);
        char c = handle.charAt(5);
        String tampered = url.substring(0, url.lastIndexOf('/') + 1) + handle.substring(0, 5) + (c == 'A' ? 'B' : 'A')
                + handle.substring(6);
        String fresh = startUrl("never");
        String freshHandle = fresh.substring(fresh.lastIndexOf('/') + 1);
        String tamperedFresh = fresh.substring(0, fresh.lastIndexOf('/') + 1) + freshHandle.substring(0, 42)
                + (freshHandle.charAt(42) == 'A' ? 'B' : 'A');
        for (String bad : List.of(tampered, tamperedFresh, realm.url("/connect/start/short"),
                realm.url("/connect/start/" + "x".repeat(43)), realm.url("/connect/start/%3Cscript%3Ealert(1)%3C%2Fscript%3E"))) {
            Browser.Page p = b.get(bad);
            assertTrue(p.status() == 400 || p.status() == 404, () -> bad + " HTTP " + p.status());
            assertFalse(p.body().contains("<script>alert"), "nothing reflected");
            assertNull(p.location());
        }
        assertEquals(1, Db.count(realm.name), "only the one completed connection");
        assertNull(Db.rowQuiet(realm.name, "never"));
        // The fresh link still works for alice after all that.
        assertEquals(302, b.get(fresh).status());
    }

    @Test
    @DisplayName("a reconnect keeps the connection id, and the whole round trip passes Keycloak's login first")
    void signInThenProviderThenApp() {
        String url = startUrl("round-trip");
        Browser b = Connect.browserOf(alice);
        String[] person = realm.upstreamUser();
        String landed = b.loginAndFollow(url, person[0], person[1]);
        b.lastCode();
        assertEquals("true", Http.queryParam(landed, "success"), landed);
        List<String> seen = b.visited;
        int login = indexOf(seen, "/realms/" + realm.name + "/login-actions/");
        int provider = indexOf(seen, "/realms/" + TestServer.UPSTREAM_REALM + "/");
        int callback = indexOf(seen, "/connect/callback/");
        assertTrue(login >= 0 && login < provider && provider < callback, seen::toString);
        URI app = URI.create(landed);
        assertEquals("localhost", app.getHost());
        SecretLedger.note(Http.queryParam(landed, "code"));
    }

    private static int indexOf(List<String> urls, String part) {
        for (int i = 0; i < urls.size(); i++) {
            if (urls.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }
}
