package io.kcconnections.it.security;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Findings of the security review, each tried as an attacker would. */
class HardeningIT {

    @FreshRealm
    private TestRealm realm;

    /** A second app of the realm that can get a user token for alice (password grant, for the test). */
    private String otherAppToken(String username) {
        ObjectNode c = Http.JSON.createObjectNode().put("clientId", "other-app").put("secret", "other-app-secret")
                .put("publicClient", false).put("directAccessGrantsEnabled", true).put("standardFlowEnabled", true);
        c.putArray("redirectUris").add("http://localhost:3001/*");
        Http.Resp created = realm.admin().post("/" + realm.name + "/clients", c);
        assertTrue(created.status() == 201 || created.status() == 409, created::toString);
        Http.Resp r = Http.postForm(realm.url("/protocol/openid-connect/token"), Map.of("grant_type", "password",
                "client_id", "other-app", "client_secret", "other-app-secret", "username", username, "password", username), null);
        assertEquals(200, r.status(), r::toString);
        return SecretLedger.note(r.json().get("access_token").asText());
    }

    @Test
    @DisplayName("a connection's tokens go to the app that made it: another app of the same person gets 403 and an event,"
            + " until the admin allows that app for the provider")
    void tokensAreBoundToTheirApp() throws Exception {
        String alice = realm.alice();
        assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "keycloak", "bound", realm.upstreamUser()), "success"));
        String other = otherAppToken("alice");
        Http.Resp denied = Http.get(realm.url("/connect/token/bound?provider=keycloak"), other);
        assertEquals(403, denied.status(), denied::toString);
        assertEquals("client_not_allowed", denied.json().get("error").asText());
        assertFalse(denied.body().contains("\"token\""));
        Http.Resp byProvider = Http.get(realm.url("/connect/token?provider=keycloak"), other);
        assertEquals(403, byProvider.status(), byProvider::toString);
        Http.Resp listing = Http.get(realm.url("/connect/connections"), other);
        assertEquals(200, listing.status(), "listing stays the person's, without tokens");
        assertEquals(1, listing.json().get("connections").size());
        assertEquals(200, Connect.token(realm, alice, "bound", "keycloak").status(), "the app that made it");

        ObjectNode config = Http.JSON.createObjectNode().put("clientId", TestServer.UPSTREAM_CLIENT)
                .put("clientSecret", TestServer.UPSTREAM_SECRET);
        config.putArray("scopes").add("openid").add("profile").add("email");
        config.putObject("values").put("base_url", TestServer.baseUrl()).put("realm", TestServer.UPSTREAM_REALM);
        config.putArray("allowedClients").add("other-app");
        Http.Resp put = realm.admin().put("/" + realm.name + "/connect/providers/keycloak", config);
        assertEquals(201, put.status(), put::toString);
        assertEquals("other-app", put.json().get("allowedClients").get(0).asText(), put::toString);
        Http.Resp allowed = Connect.noteToken(Http.get(realm.url("/connect/token/bound?provider=keycloak"), other));
        assertEquals(200, allowed.status(), allowed::toString);
    }

    @Test
    @DisplayName("token-read metrics are tagged with configured provider names only: made-up names count as unknown")
    void metricLabelsStayBounded() throws Exception {
        String marker = "zz" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 5; i++) {
            Http.get(realm.url("/connect/token/x?provider=" + marker + i), null);
            Http.get(realm.url("/connect/token?provider=" + marker + "b" + i), realm.alice());
        }
        String metrics = Http.get(TestServer.get().managementUrl() + "/metrics", null).body();
        assertFalse(metrics.contains(marker), "no label made of request input");
        assertTrue(metrics.contains("kc_connect_token_reads_total{") && metrics.contains("provider=\"unknown\""),
                "counted as unknown");
    }

    @Test
    @DisplayName("nobody can claim another person's login connection id; one's own stays usable for a reconnect")
    void loginConnectionIdsCannotBeSquatted() throws Exception {
        String aliceId = realm.admin().get("/" + realm.name + "/users?exact=true&username=alice").json().get(0).get("id").asText();
        Http.Resp squat = Connect.authorize(realm, realm.bob(), Connect.params("provider", "keycloak",
                "connection_id", "login-keycloak-" + aliceId, "redirect_uri", Connect.APP_REDIRECT));
        assertEquals(400, squat.status(), squat::toString);
        Http.Resp other = Connect.authorize(realm, realm.alice(), Connect.params("provider", "keycloak",
                "connection_id", "login-github-" + aliceId, "redirect_uri", Connect.APP_REDIRECT));
        assertEquals(400, other.status(), "another provider's login id");
        Http.Resp own = Connect.authorize(realm, realm.alice(), Connect.params("provider", "keycloak",
                "connection_id", "login-keycloak-" + aliceId, "redirect_uri", Connect.APP_REDIRECT));
        assertEquals(200, own.status(), own::toString);
        Http.Resp device = Http.postForm(realm.url("/connect/device"), Map.of("provider", "keycloak",
                "connection_id", "login-keycloak-" + aliceId), realm.bob());
        assertEquals(400, device.status(), device::toString);
        assertEquals(0, Db.count(realm.name));
    }

    @Test
    @DisplayName("a redirect_uri carrying success, error or connection_id is refused: a failure cannot pass as a success")
    void redirectUriCannotSmuggleOurParameters() throws Exception {
        for (String q : new String[]{"success=true", "connection_id=someone-else", "x=1&error=none"}) {
            Http.Resp r = Connect.authorize(realm, realm.alice(), Connect.params("provider", "keycloak",
                    "redirect_uri", Connect.APP_REDIRECT + "?" + q));
            assertEquals(400, r.status(), r::toString);
            assertEquals("invalid_redirect_uri", r.json().get("error").asText());
        }
        assertEquals(200, Connect.authorize(realm, realm.alice(), Connect.params("provider", "keycloak",
                "redirect_uri", Connect.APP_REDIRECT + "?tab=settings")).status(), "other parameters are fine");
        assertEquals(0, Db.count(realm.name));
    }

    @Test
    @DisplayName("offering a provider for login needs manage-identity-providers: an admin with manage-realm alone gets 403")
    void loginConfigurationNeedsIdentityProviderRights() throws Exception {
        String uid = realm.admin().createUser(realm.name, "ops", "ops-password");
        String rm = realm.admin().client(realm.name, "realm-management").get("id").asText();
        com.fasterxml.jackson.databind.JsonNode role = realm.admin().get("/" + realm.name + "/clients/" + rm + "/roles/manage-realm").json();
        assertEquals(204, realm.admin().post("/" + realm.name + "/users/" + uid + "/role-mappings/clients/" + rm,
                Http.JSON.createArrayNode().add(role)).status());
        Http.Resp t = Http.postForm(realm.url("/protocol/openid-connect/token"), Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", "ops", "password", "ops-password"), null);
        assertEquals(200, t.status(), t::toString);
        String ops = SecretLedger.note(t.json().get("access_token").asText());
        String path = TestServer.baseUrl() + "/admin/realms/" + realm.name + "/connect/providers/keycloak";
        ObjectNode config = Http.JSON.createObjectNode().put("clientId", TestServer.UPSTREAM_CLIENT)
                .put("clientSecret", TestServer.UPSTREAM_SECRET).put("loginEnabled", true);
        config.putObject("values").put("base_url", TestServer.baseUrl()).put("realm", TestServer.UPSTREAM_REALM);
        Http.Resp login = Http.sendJson("PUT", path, config, ops);
        assertEquals(403, login.status(), login::toString);
        assertEquals(0, realm.admin().get("/" + realm.name + "/identity-provider/instances").json().size(), "no identity provider made");
        config.put("loginEnabled", false);
        Http.Resp plain = Http.sendJson("PUT", path, config, ops);
        assertEquals(201, plain.status(), plain::toString);
        config.put("loginEnabled", true);
        assertEquals(200, realm.admin().put("/" + realm.name + "/connect/providers/keycloak", config).status(),
                "a full admin may");
        assertEquals(403, Http.delete(path, ops).status(), "nor may it remove a login configuration");
    }

    @Test
    @DisplayName("Keycloak's generic components API (manage-realm) cannot turn login on either: the component type refuses"
            + " a login configuration, new or changed, to an admin without manage-identity-providers; no identity provider is made")
    void componentsApiCannotTurnLoginOn() throws Exception {
        String uid = realm.admin().createUser(realm.name, "ops2", "ops2-password");
        String rm = realm.admin().client(realm.name, "realm-management").get("id").asText();
        com.fasterxml.jackson.databind.JsonNode role = realm.admin().get("/" + realm.name + "/clients/" + rm + "/roles/manage-realm").json();
        assertEquals(204, realm.admin().post("/" + realm.name + "/users/" + uid + "/role-mappings/clients/" + rm,
                Http.JSON.createArrayNode().add(role)).status());
        Http.Resp t = Http.postForm(realm.url("/protocol/openid-connect/token"), Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", "ops2", "password", "ops2-password"), null);
        assertEquals(200, t.status(), t::toString);
        String ops = SecretLedger.note(t.json().get("access_token").asText());
        String components = TestServer.baseUrl() + "/admin/realms/" + realm.name + "/components";
        String idps = "/" + realm.name + "/identity-provider/instances";

        ObjectNode c = Http.JSON.createObjectNode().put("name", "keycloak").put("providerId", "connect-provider")
                .put("providerType", "io.kcconnections.connect.realm.ProviderConfigComponent").put("parentId", realmId());
        ObjectNode cfg = c.putObject("config");
        cfg.putArray("clientId").add(TestServer.UPSTREAM_CLIENT);
        cfg.putArray("clientSecret").add(TestServer.UPSTREAM_SECRET);
        cfg.putArray("base_url").add(TestServer.baseUrl());
        cfg.putArray("realm").add(TestServer.UPSTREAM_REALM);
        cfg.putArray("loginEnabled").add("true");
        Http.Resp created = Http.sendJson("POST", components, c, ops);
        assertTrue(created.status() == 400 || created.status() == 403, created::toString);
        assertTrue(created.body().contains("manage-identity-providers"), created::toString);
        assertEquals(0, realm.admin().get(idps).json().size(), "no identity provider made");
        assertEquals(0, realm.admin().get("/" + realm.name + "/components?type=io.kcconnections.connect.realm.ProviderConfigComponent")
                .json().size(), "nothing stored");

        cfg.putArray("loginEnabled").add("false");
        Http.Resp plain = Http.sendJson("POST", components, c, ops);
        assertEquals(201, plain.status(), plain::toString);
        String location = plain.header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        c.put("id", id);
        cfg.putArray("loginEnabled").add("TRUE");
        Http.Resp updated = Http.sendJson("PUT", components + "/" + id, c, ops);
        assertTrue(updated.status() == 400 || updated.status() == 403, updated::toString);
        assertEquals(0, realm.admin().get(idps).json().size(), "still no identity provider");

        assertEquals(204, realm.admin().put("/" + realm.name + "/components/" + id, c).status(), "a full admin may");
        assertEquals(1, realm.admin().get(idps).json().size(), "and login is on");
        cfg.putArray("loginEnabled").add("false");
        Http.Resp off = Http.sendJson("PUT", components + "/" + id, c, ops);
        assertTrue(off.status() == 400 || off.status() == 403, "nor may it turn login off: " + off);
    }

    private String realmId() {
        return realm.admin().get("/" + realm.name).json().get("id").asText();
    }
}
