package io.kcconnections.it.connect;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may read a connection's token, and what everyone else gets. One connection of alice's is shared by the tests. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenAccessIT {

    @FreshRealm
    private TestRealm realm;
    private String alice;

    @BeforeAll
    void connectAlice() {
        alice = realm.alice();
        String landed = Connect.connect(realm, alice, "keycloak", "alice-gh", realm.upstreamUser());
        assertEquals("true", Http.queryParam(landed, "success"), landed);
    }

    @Test
    @DisplayName("the owner reads her token, with or without naming the provider")
    void ownerReads() {
        assertEquals(200, Connect.token(realm, alice, "alice-gh", "keycloak").status());
        Http.Resp r = Connect.token(realm, alice, "alice-gh", null);
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.header("Cache-Control").contains("no-store"), r.header("Cache-Control"));
    }

    @Test
    @DisplayName("no token: 401 JSON with WWW-Authenticate")
    void noToken() {
        Http.Resp r = Connect.token(realm, null, "alice-gh", "keycloak");
        assertEquals(401, r.status());
        assertEquals("invalid_token", r.json().get("error").asText());
        assertEquals("Bearer", r.header("WWW-Authenticate"));
    }

    @Test
    @DisplayName("malformed or forged bearer tokens: 401 JSON")
    void malformedBearer() {
        String url = realm.url("/connect/token/alice-gh");
        for (String h : new String[]{"Bearer", "Bearer ", "Basic YWxpY2U6YWxpY2U=", "Bearer not.a.jwt", "Bearer " + alice + "x"}) {
            Http.Resp r = Http.getWithHeader(url, "Authorization", h);
            assertEquals(401, r.status(), () -> h + " -> " + r);
            assertEquals("invalid_token", r.json().get("error").asText());
        }
    }

    @Test
    @DisplayName("a token of another realm is refused")
    void otherRealmToken() {
        try (TestRealm other = TestRealm.create()) {
            Http.Resp r = Http.get(realm.url("/connect/token/alice-gh?provider=keycloak"), other.alice());
            assertEquals(401, r.status(), r::toString);
        }
    }

    @Test
    @DisplayName("bob cannot read alice's connection: the 404 a missing one gets (no probing), and no token in the answer")
    void bobIsRefused() {
        Http.Resp r = Connect.token(realm, realm.bob(), "alice-gh", "keycloak");
        assertEquals(404, r.status(), r::toString);
        assertEquals("not_found", r.json().get("error").asText());
        assertTrue(!r.body().contains("token\":"), r.body());
        Http.Resp missing = Connect.token(realm, realm.bob(), "alice-gx", "keycloak");
        assertEquals(missing.status(), r.status());
        assertEquals(missing.body().replace("alice-gx", "ID"), r.body().replace("alice-gh", "ID"), "the same answer, id aside");
        Http.Resp status = Http.get(realm.url("/connect/connections/alice-gh?provider=keycloak"), realm.bob());
        assertEquals(404, status.status(), status::toString);
        assertEquals(404, Http.delete(realm.url("/connect/connections/alice-gh?provider=keycloak"), realm.bob()).status());
        assertNotNull(Db.rowQuiet(realm.name, "alice-gh"), "still there");
    }

    @Test
    @DisplayName("a service account with connect-token-reader reads any user's connection")
    void readerServiceAccount() {
        Http.Resp r = Connect.token(realm, realm.serviceToken("demo-backend", "demo-backend-secret"), "alice-gh", "keycloak");
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.json().get("token").asText().length() > 20);
    }

    @Test
    @DisplayName("a service account without the reader role: 404, as if nothing were stored")
    void serviceAccountWithoutRole() {
        Http.Resp r = Connect.token(realm, realm.serviceToken("demo-other", "demo-other-secret"), "alice-gh", "keycloak");
        assertEquals(404, r.status(), r::toString);
    }

    @Test
    @DisplayName("unknown connection: 404; malformed ids: 400; all JSON")
    void notFoundAndMalformed() {
        Http.Resp r = Connect.token(realm, alice, "nope", "keycloak");
        assertEquals(404, r.status());
        assertEquals("not_found", r.json().get("error").asText());
        assertEquals(404, Connect.token(realm, alice, "alice-gh", "github").status());
        Http.Resp bad = Http.get(realm.url("/connect/token/" + Http.enc("<script>")), alice);
        assertEquals(400, bad.status(), bad::toString);
        assertEquals("invalid_request", bad.json().get("error").asText());
        Http.Resp badProvider = Http.get(realm.url("/connect/token/alice-gh?provider=" + Http.enc("../x")), alice);
        assertEquals(400, badProvider.status());
    }

    @Test
    @DisplayName("a service account cannot start a connection (it has no person to consent)")
    void serviceAccountCannotAuthorize() {
        Http.Resp r = Connect.authorize(realm, realm.serviceToken("demo-backend", "demo-backend-secret"),
                Connect.params("provider", "keycloak", "redirect_uri", Connect.APP_REDIRECT));
        assertEquals(403, r.status(), r::toString);
        assertEquals("user_token_required", r.json().get("error").asText());
    }

    @Test
    @DisplayName("a provider configured only by CONNECT_PROVIDERS variables (HTTP Basic client auth) connects")
    void customProviderFromEnvironment() {
        String landed = Connect.connect(realm, alice, "acme", "alice-acme", realm.upstreamUser());
        assertEquals("true", Http.queryParam(landed, "success"), landed);
        Http.Resp r = Connect.token(realm, alice, "alice-acme", "acme");
        assertEquals(200, r.status(), r::toString);
        JsonNode body = r.json();
        assertEquals("acme", body.get("provider").asText());
        Http.Resp userinfo = Http.get(TestServer.baseUrl() + "/realms/upstream/protocol/openid-connect/userinfo",
                body.get("token").asText());
        assertEquals(200, userinfo.status());
    }
}
