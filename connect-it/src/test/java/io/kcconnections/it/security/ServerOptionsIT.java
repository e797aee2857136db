package io.kcconnections.it.security;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.harness.Browser;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Options set through CONNECT_* variables take effect (one restart for all of them). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerOptionsIT {

    private TestRealm realm;

    @BeforeAll
    void restart() throws Exception {
        TestServer.restartWith(Map.of("CONNECT_STATE_TTL_SECONDS", "30", "CONNECT_START_TTL_SECONDS", "30",
                "CONNECT_REDIRECT_ALLOW_HOSTS", "localhost, app.example.com",
                "CONNECT_DEFAULT_REDIRECT_URI", "http://localhost:3000/default-landing",
                "CONNECT_MAX_CONNECTIONS_PER_USER", "2", "CONNECT_ROW_CACHE_SECONDS", "60"));
        realm = TestRealm.create();
    }

    @AfterAll
    void restore() throws Exception {
        realm.close();
        TestServer.restoreDefaults();
    }

    @Test
    @DisplayName("the server info lists the connect provider with its options and their effective values")
    void serverInfoShowsOptions() {
        Http.Resp r = TestServer.admin().getAdmin("/serverinfo");
        assertEquals(200, r.status(), r::toString);
        JsonNode p = r.json().at("/providers/connect/providers/default");
        assertEquals("30", p.at("/operationalInfo/state-ttl-seconds").asText(), p.toString());
        assertEquals("30", p.at("/operationalInfo/start-ttl-seconds").asText(), p.toString());
        assertEquals("2", p.at("/operationalInfo/max-connections-per-user").asText(), p.toString());
        assertEquals("60", p.at("/operationalInfo/row-cache-seconds").asText(), p.toString());
        assertEquals("localhost,app.example.com", p.at("/operationalInfo/redirect-allow-hosts").asText());
        assertEquals("set", p.at("/operationalInfo/token-encryption-key").asText(), "secrets show only as set");
        assertEquals("ok", p.at("/operationalInfo/tokenEncryption").asText());
        assertTrue(p.at("/operationalInfo/environmentProviders").asText().contains("keycloak"), p.toString());
        assertTrue(!r.body().contains(TestServer.ENCRYPTION_KEY), "the key itself is never shown");
    }

    @Test
    @DisplayName("without redirect_uri the default is used; a registered host outside the allow-list is refused")
    void defaultRedirectAndAllowHosts() {
        String alice = realm.alice();
        String landed = connectWithout(alice);
        assertTrue(landed.startsWith("http://localhost:3000/default-landing"), landed);
        assertEquals("true", Http.queryParam(landed, "success"));

        var app = realm.admin().client(realm.name, "demo-app");
        ((com.fasterxml.jackson.databind.node.ArrayNode) app.get("redirectUris")).add("https://registered.example.org/*");
        assertEquals(204, realm.admin().put("/" + realm.name + "/clients/" + app.get("id").asText(), app).status());
        Http.Resp r = Connect.authorize(realm, alice, Connect.params("provider", "keycloak", "redirect_uri", "https://registered.example.org/cb"));
        assertEquals(400, r.status(), r::toString);
        assertEquals("invalid_redirect_uri", r.json().get("error").asText());
        assertEquals(200, Connect.authorize(realm, alice, Connect.params("provider", "keycloak", "redirect_uri", "https://app.example.com/cb")).status());
    }

    private String connectWithout(String bearer) {
        Http.Resp r = Connect.authorize(realm, bearer, Connect.params("provider", "keycloak"));
        assertEquals(200, r.status(), r::toString);
        assertEquals(30, r.json().get("expires_in").asInt());
        String[] person = realm.upstreamUser();
        return Connect.browserOf(bearer).loginAndFollow(r.json().get("authorize_url").asText(), person[0], person[1]);
    }

    @Test
    @DisplayName("a state, or a start link, older than its TTL is refused and nothing is stored")
    void expiredState() throws Exception {
        Http.Resp a = Connect.authorize(realm, realm.alice(), Connect.params("provider", "keycloak", "connection_id", "late",
                "redirect_uri", Connect.APP_REDIRECT));
        Http.Resp unopened = Connect.authorize(realm, realm.alice(), Connect.params("provider", "keycloak",
                "connection_id", "never-opened", "redirect_uri", Connect.APP_REDIRECT));
        String[] person = realm.upstreamUser();
        Browser b = Connect.browserOf(realm.alice());
        String callback = b.loginUntilCallback(a.json().get("authorize_url").asText(), person[0], person[1]);
        Thread.sleep(32_000);
        Browser.Page r = b.get(callback);
        assertEquals(400, r.status(), r::toString);
        assertTrue(Db.row(realm.name, "late") == null);
        Browser.Page start = b.get(unopened.json().get("authorize_url").asText());
        assertEquals(400, start.status(), "an expired start link");
        assertTrue(Browser.text(start).contains("invalid, expired or already used"), Browser.text(start));
        assertTrue(Db.row(realm.name, "never-opened") == null);
    }

    @Test
    @DisplayName("a person has at most max-connections-per-user connections: a new one beyond is refused, a reconnect is not")
    void connectionsPerPersonAreBounded() throws Exception {
        try (TestRealm r = TestRealm.create()) {
            String bob = r.bob();
            for (String cid : new String[]{"b1", "b2"}) {
                assertEquals("true", Http.queryParam(Connect.connect(r, bob, "keycloak", cid, r.upstreamUser()), "success"));
            }
            Http.Resp third = Connect.authorize(r, bob, Connect.params("provider", "keycloak", "connection_id", "b3",
                    "redirect_uri", "http://localhost:3000/cb"));
            assertEquals(403, third.status(), third::toString);
            assertEquals("connection_limit", third.json().get("error").asText());
            assertEquals(200, Connect.authorize(r, bob, Connect.params("provider", "keycloak", "connection_id", "b1",
                    "redirect_uri", "http://localhost:3000/cb")).status(), "reconnecting one of them is fine");
            assertEquals(2, Db.count(r.name));
        }
    }

    @Test
    @DisplayName("with the row cache on, a read never outlives a write: a refresh, a removal and a new consent are "
            + "served at once")
    void rowCacheFollowsWrites() throws Exception {
        try (TestRealm r = TestRealm.create()) {
            String alice = r.alice();
            assertEquals("true", Http.queryParam(Connect.connect(r, alice, "keycloak", "cached", r.upstreamUser()), "success"));
            String t0 = Connect.token(r, alice, "cached", "keycloak").json().get("token").asText();
            assertEquals(t0, Connect.token(r, alice, "cached", "keycloak").json().get("token").asText(), "served (cached)");

            // Due in the database only: the background pass (on demand) refreshes it; the next read has the new token.
            Thread.sleep(1100);
            Db.update("update CONNECT_CONNECTION set REFRESH_AT = ? where CONNECTION_ID = 'cached'", System.currentTimeMillis() - 1000);
            Http.Resp pass = r.admin().post("/" + r.name + "/connect/refresh", Map.of());
            assertEquals(200, pass.status(), pass::toString);
            assertEquals(1, pass.json().get("refreshed").asInt(), pass::toString);
            String t1 = Connect.token(r, alice, "cached", "keycloak").json().get("token").asText();
            assertTrue(!t1.equals(t0), "the refreshed token, not the cached one");

            assertEquals(204, Http.delete(r.url("/connect/connections/cached?provider=keycloak"), alice).status());
            assertEquals(404, Connect.token(r, alice, "cached", "keycloak").status(), "removed: nothing served");

            assertEquals("true", Http.queryParam(Connect.connect(r, alice, "keycloak", "cached", r.upstreamUser()), "success"));
            String t2 = Connect.token(r, alice, "cached", "keycloak").json().get("token").asText();
            assertTrue(!t2.equals(t1) && !t2.equals(t0), "the new consent's token");
        }
    }
}
