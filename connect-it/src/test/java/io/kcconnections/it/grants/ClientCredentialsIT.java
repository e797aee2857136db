package io.kcconnections.it.grants;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client-credentials connections: owned by a client of the realm, holding an app token of an upstream
 * service-account client whose tokens live 45 seconds, renewed by the background refresher before they expire.
 */
class ClientCredentialsIT {

    private static final String BACKEND = "demo-backend";
    private static final String BACKEND_SECRET = "demo-backend-secret";

    @FreshRealm
    private TestRealm realm;
    private String upstreamClient;
    private String upstreamClientUuid;

    @BeforeEach
    void setUp() {
        upstreamClient = "cc-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = SecretLedger.note("cc-secret-" + UUID.randomUUID());
        ObjectNode c = Http.JSON.createObjectNode();
        c.put("clientId", upstreamClient).put("enabled", true).put("publicClient", false).put("secret", secret)
                .put("standardFlowEnabled", false).put("serviceAccountsEnabled", true);
        c.putObject("attributes").put("access.token.lifespan", "45");
        // The upstream API introspects the tokens, as for the connect client (audience mapper).
        ObjectNode aud = c.putArray("protocolMappers").addObject();
        aud.put("name", "audience").put("protocol", "openid-connect").put("protocolMapper", "oidc-audience-mapper");
        aud.putObject("config").put("included.client.audience", "upstream-api").put("access.token.claim", "true")
                .put("introspection.token.claim", "true");
        Http.Resp created = realm.admin().post("/" + TestServer.UPSTREAM_REALM + "/clients", c);
        assertEquals(201, created.status(), created::toString);
        upstreamClientUuid = realm.admin().client(TestServer.UPSTREAM_REALM, upstreamClient).get("id").asText();
        // The realm's own configuration of the keycloak provider, with the upstream app client.
        ObjectNode cfg = Http.JSON.createObjectNode();
        cfg.put("clientId", upstreamClient).put("clientSecret", secret);
        cfg.putObject("values").put("base_url", TestServer.baseUrl()).put("realm", TestServer.UPSTREAM_REALM);
        Http.Resp put = realm.admin().put("/" + realm.name + "/connect/providers/keycloak", cfg);
        assertEquals(201, put.status(), put::toString);
    }

    @AfterEach
    void tearDown() {
        realm.admin().delete("/" + TestServer.UPSTREAM_REALM + "/clients/" + upstreamClientUuid);
    }

    private Http.Resp create(String bearer, String provider, String cid) {
        return Http.postForm(realm.url("/connect/client-connections"), Map.of("provider", provider, "connection_id", cid), bearer);
    }

    private JsonNode introspect(String token) {
        Http.Resp r = Http.postForm(TestServer.baseUrl() + "/realms/upstream/protocol/openid-connect/token/introspect",
                Map.of("token", token, "client_id", "upstream-api", "client_secret", "upstream-api-secret"), null);
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    @Test
    @DisplayName("client credentials: the app's connection holds an upstream app token, renewed before it expires")
    void createdAndRenewedBeforeExpiry() throws Exception {
        String app = realm.serviceToken(BACKEND, BACKEND_SECRET);
        // The providers list says how each provider can be connected.
        JsonNode providers = Http.get(realm.url("/connect/providers"), app).json().get("providers");
        int seen = 0;
        for (JsonNode p : providers) {
            if ("keycloak".equals(p.get("name").asText())) {
                seen++;
                assertEquals("[\"authorization_code\",\"device_code\",\"client_credentials\"]",
                        p.get("grant_types").toString());
            }
        }
        assertEquals(1, seen, providers::toString);
        Http.Resp made = create(app, "keycloak", "app-1");
        assertEquals(201, made.status(), made::toString);
        assertEquals("client_credentials", made.json().get("grant_type").asText());
        assertEquals("active", made.json().get("status").asText());
        assertFalse(made.json().has("token"), "never a token in the connection view");

        Map<String, Object> row = Db.row(realm.name, "app-1");
        assertNull(row.get("USER_ID"), "no person owns it");
        assertEquals(realm.admin().client(realm.name, BACKEND).get("id").asText(), row.get("OWNER_CLIENT"));
        assertNull(row.get("REFRESH_TOKEN"));

        Http.Resp t1 = Connect.token(realm, app, "app-1", "keycloak");
        assertEquals(200, t1.status(), t1::toString);
        String first = t1.json().get("token").asText();
        JsonNode info = introspect(first);
        assertTrue(info.get("active").asBoolean());
        assertEquals(upstreamClient, info.get("client_id").asText(), "an app token of the upstream client");

        // The app lists what its client owns.
        JsonNode list = Http.get(realm.url("/connect/connections"), app).json().get("connections");
        assertEquals(1, list.size(), list::toString);

        // Renewal: due 30 s (the window) before the 45 s token expires; the background pass renews it.
        long expiresAt = ((Number) row.get("EXPIRES_AT")).longValue();
        long refreshAt = ((Number) row.get("REFRESH_AT")).longValue();
        assertTrue(refreshAt < expiresAt - 20_000, "scheduled well before expiry");
        while (System.currentTimeMillis() < refreshAt + 500) {
            Thread.sleep(250);
        }
        Http.Resp pass = realm.admin().post("/" + realm.name + "/connect/refresh", Http.JSON.createObjectNode());
        assertEquals(200, pass.status(), pass::toString);
        assertEquals(1, pass.json().get("refreshed").asInt(), pass::toString);
        assertTrue(System.currentTimeMillis() < expiresAt, "renewed while the old token was still valid");
        Map<String, Object> renewed = Db.row(realm.name, "app-1");
        assertTrue(((Number) renewed.get("EXPIRES_AT")).longValue() > expiresAt, "a later expiry");
        assertEquals("active", renewed.get("STATUS"));
        String second = Connect.token(realm, app, "app-1", "keycloak").json().get("token").asText();
        assertNotEquals(first, second);
        assertTrue(introspect(second).get("active").asBoolean());
        assertEquals(2, realm.admin().events(TestServer.UPSTREAM_REALM, "CLIENT_LOGIN").stream()
                .filter(e -> upstreamClient.equals(e.path("clientId").asText())).count(), "two grants upstream, no more");
    }

    @Test
    @DisplayName("client credentials: people and other clients are refused; a token-reader service account may read")
    void whoMayRead() throws Exception {
        String app = realm.serviceToken(BACKEND, BACKEND_SECRET);
        String other = realm.serviceToken("demo-other", "demo-other-secret");
        String alice = realm.alice();
        assertEquals(201, create(app, "keycloak", "app-2").status());

        assertEquals(401, Connect.token(realm, null, "app-2", "keycloak").status());
        Http.Resp byAlice = Connect.token(realm, alice, "app-2", "keycloak");
        assertEquals(404, byAlice.status(), byAlice::toString);
        Http.Resp byOther = Connect.token(realm, other, "app-2", "keycloak");
        assertEquals(404, byOther.status(), byOther::toString);
        assertEquals(404, Http.delete(realm.url("/connect/connections/app-2?provider=keycloak"), other).status());
        assertEquals(0, Http.get(realm.url("/connect/connections"), other).json().get("connections").size());

        assertEquals(401, create(null, "keycloak", "app-8").status());
        Http.Resp badId = create(app, "keycloak", "bad id!");
        assertEquals(400, badId.status(), badId::toString);
        assertEquals("invalid_request", badId.json().get("error").asText());
        assertEquals(null, Db.row(realm.name, "app-8"));

        Http.Resp aliceMakes = create(alice, "keycloak", "app-3");
        assertEquals(403, aliceMakes.status(), aliceMakes::toString);
        assertEquals("client_token_required", aliceMakes.json().get("error").asText());
        // A client without the realm role connect-app-tokens makes none.
        Http.Resp noRole = create(other, "keycloak", "app-7");
        assertEquals(403, noRole.status(), noRole::toString);
        assertEquals("client_connections_not_allowed", noRole.json().get("error").asText());
        // With the role, it still cannot take over another client's connection id.
        String otherUuid = realm.admin().client(realm.name, "demo-other").get("id").asText();
        JsonNode svcUser = realm.admin().get("/" + realm.name + "/clients/" + otherUuid + "/service-account-user").json();
        JsonNode role = realm.admin().get("/" + realm.name + "/roles/connect-app-tokens").json();
        Http.Resp granted = realm.admin().post("/" + realm.name + "/users/" + svcUser.get("id").asText() + "/role-mappings/realm",
                Http.JSON.createArrayNode().add(role));
        assertEquals(204, granted.status(), granted::toString);
        String otherWithRole = realm.serviceToken("demo-other", "demo-other-secret");
        Http.Resp otherTakes = create(otherWithRole, "keycloak", "app-2");
        assertEquals(403, otherTakes.status(), otherTakes::toString);
        assertEquals("connection_id_in_use", otherTakes.json().get("error").asText(), "another client cannot take over the connection id");
        Http.Resp noCc = create(app, "acme", "app-4");
        assertEquals(400, noCc.status(), noCc::toString);
        assertEquals("unsupported_grant_type", noCc.json().get("error").asText());
        assertEquals(null, Db.row(realm.name, "app-3"));
        assertEquals(null, Db.row(realm.name, "app-7"));
        assertEquals(null, Db.row(realm.name, "app-4"));

        assertEquals(204, Http.delete(realm.url("/connect/connections/app-2?provider=keycloak"), app).status());
        assertEquals(null, Db.row(realm.name, "app-2"));

        // Removing the owning client removes its connections.
        assertEquals(201, create(app, "keycloak", "app-6").status());
        String backendUuid = realm.admin().client(realm.name, BACKEND).get("id").asText();
        assertEquals(204, realm.admin().delete("/" + realm.name + "/clients/" + backendUuid).status());
        assertEquals(null, Db.row(realm.name, "app-6"));
    }

    @Test
    @DisplayName("client credentials: a refused upstream grant stores nothing and answers 502 with the provider's code")
    void upstreamRefuses() throws Exception {
        ObjectNode cfg = Http.JSON.createObjectNode();
        cfg.put("clientId", upstreamClient).put("clientSecret", "wrong-secret");
        cfg.putObject("values").put("base_url", TestServer.baseUrl()).put("realm", TestServer.UPSTREAM_REALM);
        assertEquals(200, realm.admin().put("/" + realm.name + "/connect/providers/keycloak", cfg).status());
        Http.Resp r = create(realm.serviceToken(BACKEND, BACKEND_SECRET), "keycloak", "app-5");
        assertEquals(502, r.status(), r::toString);
        assertTrue(r.json().get("error_description").asText().contains("unauthorized_client")
                || r.json().get("error_description").asText().contains("invalid_client"), r::toString);
        assertEquals(0, Db.count(realm.name));
    }
}
