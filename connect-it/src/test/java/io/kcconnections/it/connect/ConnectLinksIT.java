package io.kcconnections.it.connect;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connect links: a backend (an agent, a chat bot) mints a start URL for one of the realm's users; only that user,
 * signed in to Keycloak, completes it. And reading a token by provider: a {@code not_connected} or
 * {@code needs_reauth} answer carries a working connect URL.
 */
class ConnectLinksIT {

    @FreshRealm
    private TestRealm realm;
    private String backend;
    private String aliceId;

    @BeforeEach
    void setUp() {
        backend = realm.serviceToken("demo-backend", "demo-backend-secret");
        aliceId = userId("alice");
    }

    private String userId(String username) {
        return realm.admin().get("/" + realm.name + "/users?exact=true&username=" + username).json().get(0).get("id").asText();
    }

    private Http.Resp mint(String bearer, Map<String, String> form) {
        return Http.postForm(realm.url("/connect/links"), form, bearer);
    }

    @Test
    @DisplayName("a backend with the link-issuer role mints a link for alice; alice completes it and ends on the done page; bob cannot")
    void backendMintsALinkOnlyTheNamedPersonCompletes() throws Exception {
        Http.Resp r = mint(backend, Map.of("user_id", aliceId, "provider", "keycloak", "connection_id", "from-chat"));
        assertEquals(201, r.status(), r::toString);
        String url = r.json().get("authorize_url").asText();
        assertTrue(url.startsWith(realm.url("/connect/start/")), url);
        assertEquals(aliceId, r.json().get("user_id").asText());

        Browser bob = new Browser(TestServer.baseUrl()).as("bob", "bob");
        Browser.Page refused = bob.signInIfAsked(bob.get(url));
        assertEquals(403, refused.status(), () -> Browser.text(refused));
        assertEquals(0, Db.count(realm.name));

        String[] person = realm.upstreamUser();
        Browser alice = new Browser(TestServer.baseUrl()).as("alice", "alice");
        String landed = alice.loginAndFollow(url, person[0], person[1]);
        alice.lastCode();
        assertTrue(landed.startsWith(realm.url("/connect/done")), landed);
        assertEquals("true", Http.queryParam(landed, "success"), landed);
        Browser.Page done = alice.get(landed);
        assertEquals(200, done.status(), () -> Browser.text(done));
        assertTrue(Browser.text(done).contains("You can close this page"), Browser.text(done));

        Map<String, Object> row = Db.row(realm.name, "from-chat");
        assertEquals(aliceId, row.get("USER_ID"), "the connection is alice's");
        assertEquals(200, Connect.noteToken(Http.get(realm.url("/connect/token/from-chat?provider=keycloak"), backend)).status(),
                "the backend that minted the link reads it");
        Http.Resp otherApp = Connect.token(realm, realm.alice(), "from-chat", "keycloak");
        assertEquals(403, otherApp.status(), "alice's token from another app (demo-app) is not the app that made it");
        assertEquals("client_not_allowed", otherApp.json().get("error").asText());
    }

    @Test
    @DisplayName("minting: 401 without a token, 403 without the role or for a person, 400/404 for bad input; nothing stored")
    void whoMayMint() throws Exception {
        Map<String, String> good = Map.of("user_id", aliceId, "provider", "keycloak");
        assertEquals(401, mint(null, good).status());
        Http.Resp other = mint(realm.serviceToken("demo-other", "demo-other-secret"), good);
        assertEquals(403, other.status(), other::toString);
        assertEquals("link_issuer_required", other.json().get("error").asText());
        Http.Resp person = mint(realm.alice(), good);
        assertEquals(403, person.status(), person::toString);
        Http.Resp noUser = mint(backend, Map.of("provider", "keycloak"));
        assertEquals(400, noUser.status(), noUser::toString);
        Http.Resp unknown = mint(backend, Map.of("user_id", "00000000-0000-0000-0000-000000000000", "provider", "keycloak"));
        assertEquals(404, unknown.status(), unknown::toString);
        Http.Resp serviceAccount = mint(backend, Map.of("user_id", userId("service-account-demo-backend"), "provider", "keycloak"));
        assertEquals(404, serviceAccount.status(), "no links for service accounts");
        Http.Resp badProvider = mint(backend, Map.of("user_id", aliceId, "provider", "nope"));
        assertEquals(400, badProvider.status(), badProvider::toString);
        Http.Resp badRedirect = mint(backend, Map.of("user_id", aliceId, "provider", "keycloak",
                "redirect_uri", "https://evil.example.com/cb"));
        assertEquals(400, badRedirect.status(), badRedirect::toString);
        assertEquals("invalid_redirect_uri", badRedirect.json().get("error").asText());
        assertEquals(0, Db.count(realm.name));
    }

    @Test
    @DisplayName("by provider: not_connected carries a connect URL that works; then the token; several: ambiguous; a reader names the user")
    void tokenByProvider() throws Exception {
        String alice = realm.alice();
        Http.Resp none = Http.get(realm.url("/connect/token?provider=keycloak"), alice);
        assertEquals(404, none.status(), none::toString);
        assertEquals("not_connected", none.json().get("error").asText());
        String connectUrl = none.json().get("connect_url").asText();
        assertTrue(connectUrl.startsWith(realm.url("/connect/start/")), connectUrl);

        String[] person = realm.upstreamUser();
        String landed = Connect.browserOf(alice).loginAndFollow(connectUrl, person[0], person[1]);
        assertEquals("true", Http.queryParam(landed, "success"), landed);
        Http.Resp byProvider = Http.get(realm.url("/connect/token?provider=keycloak"), alice);
        assertEquals(200, byProvider.status(), byProvider::toString);
        Connect.noteToken(byProvider);
        assertEquals("keycloak", byProvider.json().get("provider").asText());

        Http.Resp reader = Http.get(realm.url("/connect/token?provider=keycloak&user_id=" + aliceId), backend);
        assertEquals(200, reader.status(), reader::toString);
        Connect.noteToken(reader);
        Http.Resp bobsNone = Http.get(realm.url("/connect/token?provider=keycloak"), realm.bob());
        assertEquals(404, bobsNone.status(), "bob has none");
        Http.Resp notReader = Http.get(realm.url("/connect/token?provider=keycloak&user_id=" + aliceId), realm.bob());
        assertEquals(403, notReader.status(), notReader::toString);

        assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "keycloak", "second", realm.upstreamUser()), "success"));
        Http.Resp two = Http.get(realm.url("/connect/token?provider=keycloak"), alice);
        assertEquals(400, two.status(), two::toString);
        assertEquals("ambiguous_connection", two.json().get("error").asText());
        assertEquals(2, two.json().get("connection_ids").size(), two::toString);
        assertFalse(two.body().contains("\"token\""));
        Http.Resp noProvider = Http.get(realm.url("/connect/token"), alice);
        assertEquals(400, noProvider.status(), noProvider::toString);
        assertEquals(401, Http.get(realm.url("/connect/token?provider=keycloak"), null).status());
    }

    @Test
    @DisplayName("needs_reauth answers 409 with a reconnect URL; completing it makes the same connection usable again")
    void needsReauthCarriesAReconnectUrl() throws Exception {
        String alice = realm.alice();
        assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "keycloak", "stale", realm.upstreamUser()), "success"));
        Db.update("update CONNECT_CONNECTION set STATUS = 'needs_reauth', STATUS_REASON = 'invalid_grant'"
                + " where CONNECTION_ID = ?", "stale");
        Http.Resp stale = Connect.token(realm, alice, "stale", "keycloak");
        assertEquals(409, stale.status(), stale::toString);
        assertEquals("needs_reauth", stale.json().get("error").asText());
        String reconnect = stale.json().get("connect_url").asText();
        assertTrue(reconnect.startsWith(realm.url("/connect/start/")), reconnect);
        Http.Resp byProvider = Http.get(realm.url("/connect/token?provider=keycloak"), alice);
        assertEquals(409, byProvider.status());
        assertNotNull(byProvider.json().get("connect_url"));

        String[] person = realm.upstreamUser();
        String landed = Connect.browserOf(alice).loginAndFollow(reconnect, person[0], person[1]);
        assertEquals("true", Http.queryParam(landed, "success"), landed);
        assertEquals("stale", Http.queryParam(landed, "connection_id"));
        Http.Resp fresh = Connect.token(realm, alice, "stale", "keycloak");
        assertEquals(200, fresh.status(), fresh::toString);
        JsonNode listed = Http.get(realm.url("/connect/connections"), alice).json().get("connections");
        assertEquals(1, listed.size(), listed::toString);
        assertEquals("active", listed.get(0).get("status").asText());
        assertTrue(listed.get(0).get("has_refresh_token").asBoolean(), listed::toString);
        assertNull(listed.get(0).get("token"));
    }
}
