package io.kcconnections.it.providers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.it.harness.Admin;
import io.kcconnections.it.harness.Browser;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.KeycloakServer;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Realm provider configuration: stored as realm components through {@code /admin/realms/{realm}/connect/providers},
 * taking precedence over the environment in that realm only, with vault secrets, permissions, refusals, the app's
 * {@code /connect/providers} view, and realm export and import. A second upstream realm ({@code up-…}) plays another
 * third-party provider, so that a realm's own configuration is visibly not the environment's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderConfigIT {

    private static final String TYPE = "io.kcconnections.connect.realm.ProviderConfigComponent";
    private Admin admin;
    private String base;
    /** The second upstream realm. */
    private String up2;

    @BeforeAll
    void secondUpstream() throws Exception {
        admin = TestServer.admin();
        base = TestServer.baseUrl();
        up2 = "up-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode rep = (ObjectNode) Http.JSON.readTree(Files.readString(
                Path.of(KeycloakServer.prop("kc.realm.config", "../realm-config")).resolve("upstream-realm.json")));
        rep.put("realm", up2);
        rep.remove("users");
        ObjectNode client = (ObjectNode) rep.get("clients").get(0);
        client.put("secret", TestServer.UPSTREAM_SECRET);
        client.putArray("redirectUris").add(base + "/realms/*");
        admin.createRealm(rep);
    }

    @AfterAll
    void removeSecondUpstream() {
        admin.deleteRealm(up2);
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** A configuration of the {@code keycloak} catalog provider pointing at an upstream realm. */
    private ObjectNode keycloakAt(String upstreamRealm, String secret) {
        ObjectNode b = Http.JSON.createObjectNode();
        b.put("clientId", TestServer.UPSTREAM_CLIENT).put("clientSecret", secret);
        b.putArray("scopes").add("openid").add("profile");
        b.putObject("values").put("base_url", base).put("realm", upstreamRealm);
        return b;
    }

    private Http.Resp put(TestRealm realm, String provider, Object body) {
        return admin.put("/" + realm.name + "/connect/providers/" + provider, body);
    }

    private String[] up2User() {
        String u = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String p = "pw-" + UUID.randomUUID();
        admin.createUser(up2, u, p);
        return new String[]{u, p};
    }

    /** Authorize (with extra query parameters), log in at the upstream, land back at the app. */
    private static String connect(TestRealm realm, String bearer, String provider, String cid, String[] person,
                                  String... extra) {
        Map<String, String> p = Connect.params("provider", provider, "connection_id", cid, "redirect_uri", Connect.APP_REDIRECT);
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        Http.Resp r = Connect.authorize(realm, bearer, p);
        assertEquals(200, r.status(), r::toString);
        Browser b = Connect.browserOf(bearer);
        String landed = b.loginAndFollow(r.json().get("authorize_url").asText(), person[0], person[1]);
        b.lastCode();
        return landed;
    }

    private static String authorizeUrl(TestRealm realm, String bearer, String provider) {
        Http.Resp r = Connect.authorize(realm, bearer, Connect.params("provider", provider, "redirect_uri", Connect.APP_REDIRECT));
        assertEquals(200, r.status(), r::toString);
        return Connect.providerUrl(bearer, r);
    }

    private static List<String> names(JsonNode providers) {
        List<String> out = new ArrayList<>();
        providers.forEach(p -> out.add(p.get("name").asText()));
        return out;
    }

    private static String issuer(String jwt) throws Exception {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
        return Http.JSON.readTree(payload).get("iss").asText();
    }

    /** A user of the realm with only the given realm-management roles; returns an admin-cli token. */
    private String realmAdminToken(TestRealm realm, String... roles) {
        String user = "adm-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        String uid = admin.createUser(realm.name, user, password);
        if (roles.length > 0) {
            String rm = admin.client(realm.name, "realm-management").get("id").asText();
            ArrayNode grant = Http.JSON.createArrayNode();
            for (String role : roles) {
                grant.add(admin.get("/" + realm.name + "/clients/" + rm + "/roles/" + role).json());
            }
            Http.Resp g = admin.post("/" + realm.name + "/users/" + uid + "/role-mappings/clients/" + rm, grant);
            assertEquals(204, g.status(), g::toString);
        }
        Http.Resp t = Http.postForm(realm.url("/protocol/openid-connect/token"), Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", user, "password", password), null);
        assertEquals(200, t.status(), t::toString);
        return SecretLedger.note(t.json().get("access_token").asText());
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Test
    @DisplayName("given a realm's own configuration of keycloak (another upstream) and of gitlab, then that realm connects "
            + "through it end to end, and another realm keeps the environment's keycloak and has no gitlab")
    void realmConfigurationAppliesToThatRealmOnly() throws Exception {
        try (TestRealm a = TestRealm.create(); TestRealm b = TestRealm.create()) {
            Http.Resp created = put(a, "keycloak", keycloakAt(up2, TestServer.UPSTREAM_SECRET));
            assertEquals(201, created.status(), created::toString);
            assertEquals("realm", created.json().get("source").asText());
            assertEquals("ok", created.json().get("status").asText(), created::toString);
            assertTrue(created.json().get("overridesEnvironment").asBoolean());

            ObjectNode gitlab = keycloakAt(up2, TestServer.UPSTREAM_SECRET);
            String oidc = base + "/realms/" + up2 + "/protocol/openid-connect";
            gitlab.put("authorizeUrl", oidc + "/auth").put("tokenUrl", oidc + "/token").put("userinfoUrl", oidc + "/userinfo")
                    .put("revokeUrl", oidc + "/revoke");
            gitlab.putObject("values").put("base_url", base);
            assertEquals(201, put(a, "gitlab", gitlab).status());

            String alice = a.alice();
            assertTrue(authorizeUrl(a, alice, "keycloak").startsWith(oidc + "/auth?"), "realm a: its own upstream");
            assertTrue(authorizeUrl(a, alice, "gitlab").startsWith(oidc + "/auth?"));
            String landed = connect(a, alice, "keycloak", "kc-up2", up2User());
            assertEquals("true", Http.queryParam(landed, "success"), landed);
            Http.Resp t = Connect.token(a, alice, "kc-up2", "keycloak");
            assertEquals(200, t.status(), t::toString);
            assertEquals(base + "/realms/" + up2, issuer(t.json().get("token").asText()));

            String bob = b.bob();
            assertTrue(authorizeUrl(b, bob, "keycloak").startsWith(base + "/realms/upstream/"), "realm b: the environment's");
            Http.Resp none = Connect.authorize(b, bob, Connect.params("provider", "gitlab", "redirect_uri", Connect.APP_REDIRECT));
            assertEquals(400, none.status());
            assertEquals("unknown_provider", none.json().get("error").asText());
            assertFalse(names(Http.get(b.url("/connect/providers"), bob).json().get("providers")).contains("gitlab"));
            assertTrue(names(Http.get(a.url("/connect/providers"), alice).json().get("providers")).contains("gitlab"));

            JsonNode comps = admin.get("/" + a.name + "/components?type=" + TYPE).json();
            assertEquals(2, comps.size(), "stored as two realm components of our type: " + comps);
        }
    }

    @Test
    @DisplayName("a configuration re-pointed at another host never receives the tokens of connections made before: "
            + "they need a new consent, and a disconnect does not revoke there")
    void repointedConfigurationGetsNoStoredTokens() throws Exception {
        try (TestRealm a = TestRealm.create(); io.kcconnections.it.fakes.McpTestServer elsewhere = new io.kcconnections.it.fakes.McpTestServer()) {
            assertEquals(201, put(a, "keycloak", keycloakAt(up2, TestServer.UPSTREAM_SECRET)).status());
            String alice = a.alice();
            assertEquals("true", Http.queryParam(connect(a, alice, "keycloak", "moved", up2User()), "success"));
            Map<String, Object> before = Db.row(a.name, "moved");

            ObjectNode repointed = keycloakAt(up2, TestServer.UPSTREAM_SECRET);
            // Another host (the same machine under another name, so a leak would show as a request there).
            ((ObjectNode) repointed.get("values")).put("base_url", elsewhere.base().replace("127.0.0.1", "localhost"));
            assertEquals(200, put(a, "keycloak", repointed).status());
            Db.expireIn(a.name, "moved", 5);
            Http.Resp t = Connect.token(a, alice, "moved", "keycloak");
            assertEquals(409, t.status(), t::toString);
            assertEquals("needs_reauth", t.json().get("error").asText());
            Map<String, Object> after = Db.row(a.name, "moved");
            assertEquals("provider_endpoint_changed", after.get("STATUS_REASON"), after::toString);
            assertEquals(before.get("REFRESH_TOKEN"), after.get("REFRESH_TOKEN"), "nothing was refreshed");
            assertEquals(204, Http.delete(a.url("/connect/connections/moved?provider=keycloak"), alice).status());
            assertTrue(elsewhere.hits.isEmpty(), "the new host received nothing: " + elsewhere.hits);
        }
    }

    @Test
    @DisplayName("precedence: the realm's configuration beats the environment's; deleting it brings the environment's back; "
            + "enabled=false hides the environment's provider in that realm")
    void precedence() {
        try (TestRealm a = TestRealm.create()) {
            String alice = a.alice();
            String envUrl = base + "/realms/upstream/protocol/openid-connect/auth?";
            String realmUrl = base + "/realms/" + up2 + "/protocol/openid-connect/auth?";
            assertTrue(authorizeUrl(a, alice, "keycloak").startsWith(envUrl));

            assertEquals(201, put(a, "keycloak", keycloakAt(up2, TestServer.UPSTREAM_SECRET)).status());
            assertTrue(authorizeUrl(a, alice, "keycloak").startsWith(realmUrl));

            Http.Resp del = admin.delete("/" + a.name + "/connect/providers/keycloak");
            assertEquals(204, del.status(), del::toString);
            assertTrue(authorizeUrl(a, alice, "keycloak").startsWith(envUrl), "the environment's configuration applies again");
            assertEquals("env", admin.get("/" + a.name + "/connect/providers/keycloak").json().get("source").asText());
            assertEquals(404, admin.delete("/" + a.name + "/connect/providers/keycloak").status(), "nothing left to delete");

            Http.Resp off = put(a, "keycloak", Http.JSON.createObjectNode().put("enabled", false));
            assertEquals(201, off.status(), off::toString);
            assertEquals("disabled", off.json().get("status").asText());
            Http.Resp hidden = Connect.authorize(a, alice, Connect.params("provider", "keycloak", "redirect_uri", Connect.APP_REDIRECT));
            assertEquals(400, hidden.status());
            assertEquals("unknown_provider", hidden.json().get("error").asText());
            assertFalse(names(Http.get(a.url("/connect/providers"), alice).json().get("providers")).contains("keycloak"));
            try (TestRealm other = TestRealm.create()) {
                assertTrue(authorizeUrl(other, other.alice(), "keycloak").startsWith(envUrl), "only that realm is affected");
            }
        }
    }

    @Test
    @DisplayName("a ${vault.x} client secret is resolved in the realm's own vault when used, and shown only as the reference")
    void vaultSecret() throws Exception {
        try (TestRealm a = TestRealm.create(); TestRealm b = TestRealm.create()) {
            TestServer.vaultSecret(a.name, "kc_secret", TestServer.UPSTREAM_SECRET);
            for (TestRealm r : List.of(a, b)) {
                Http.Resp p = put(r, "keycloak", keycloakAt(up2, "${vault.kc_secret}"));
                assertEquals(201, p.status(), p::toString);
                assertEquals("${vault.kc_secret}", p.json().get("clientSecret").asText());
            }
            String landed = connect(a, a.alice(), "keycloak", "via-vault", up2User());
            assertEquals("true", Http.queryParam(landed, "success"), landed);

            // Realm b has no such secret in its vault: the reference is not a secret, the upstream refuses the client.
            String failed = connect(b, b.alice(), "keycloak", "no-vault", up2User());
            assertEquals("token_exchange_failed", Http.queryParam(failed, "error"), failed);
            assertEquals(0, Db.count(b.name));
        }
    }

    @Test
    @DisplayName("permissions: no token 401; view-realm reads but cannot write (403); no realm-management role 403; "
            + "secrets never in answers; admin events recorded without secrets")
    void permissionsSecretsAndEvents() {
        try (TestRealm a = TestRealm.create()) {
            String literal = TestServer.UPSTREAM_SECRET;
            String path = base + "/admin/realms/" + a.name + "/connect/providers";
            assertEquals(401, Http.get(path, null).status());
            assertEquals(401, Http.sendJson("PUT", path + "/keycloak", keycloakAt(up2, literal), null).status());

            String viewer = realmAdminToken(a, "view-realm");
            assertEquals(200, Http.get(path, viewer).status());
            assertEquals(403, Http.sendJson("PUT", path + "/keycloak", keycloakAt(up2, literal), viewer).status());
            assertEquals(403, Http.delete(path + "/keycloak", viewer).status());

            String nobody = realmAdminToken(a);
            assertEquals(403, Http.get(path, nobody).status());
            assertEquals(403, Http.get(path + "/keycloak", nobody).status());

            String manager = realmAdminToken(a, "manage-realm");
            Http.Resp created = Http.sendJson("PUT", path + "/keycloak", keycloakAt(up2, literal), manager);
            assertEquals(201, created.status(), created::toString);
            assertTrue(created.header("Location").endsWith("/connect/providers/keycloak"));
            for (Http.Resp r : List.of(created, Http.get(path, viewer), Http.get(path + "/keycloak", viewer),
                    admin.get("/" + a.name + "/components?type=" + TYPE))) {
                assertFalse(r.body().contains(literal), "a secret in an answer: " + r);
            }
            JsonNode one = Http.get(path + "/keycloak", viewer).json();
            assertEquals("**********", one.get("clientSecret").asText());
            assertTrue(one.get("clientSecretSet").asBoolean());

            // ********** sent back keeps the stored secret (a GET-edit-PUT round trip loses nothing).
            ObjectNode edit = (ObjectNode) one.deepCopy();
            ((ArrayNode) edit.get("scopes")).add("email");
            Http.Resp updated = Http.sendJson("PUT", path + "/keycloak", edit, manager);
            assertEquals(200, updated.status(), updated::toString);
            String landed = connect(a, a.alice(), "keycloak", "kept-secret", up2User());
            assertEquals("true", Http.queryParam(landed, "success"), "the stored secret was kept: " + landed);

            assertEquals(204, Http.delete(path + "/keycloak", manager).status());

            JsonNode events = admin.get("/" + a.name + "/admin-events?max=100").json();
            List<String> ops = new ArrayList<>();
            for (JsonNode e : events) {
                if ("CONNECT_PROVIDER".equals(e.path("resourceType").asText())) {
                    assertEquals("connect/providers/keycloak", e.get("resourcePath").asText());
                    assertFalse(e.toString().contains(literal), "an admin event holds the secret: " + e);
                    ops.add(e.get("operationType").asText());
                }
            }
            assertTrue(ops.containsAll(List.of("CREATE", "UPDATE", "DELETE")), "admin events: " + ops);
            assertEquals(3, ops.size(), "refused calls leave no event: " + ops);
        }
    }

    @Test
    @DisplayName("invalid configurations are refused with 400 and their problems, nothing is stored; "
            + "Keycloak's own components API refuses them too")
    void invalidConfigurations() {
        try (TestRealm a = TestRealm.create()) {
            ObjectNode missing = keycloakAt(up2, "s3cret-value-x");
            ((ObjectNode) missing.get("values")).remove("base_url");
            ObjectNode hostileRealm = keycloakAt(up2, "s3cret-value-x");
            ((ObjectNode) hostileRealm.get("values")).put("realm", "../master");
            ObjectNode badUrl = keycloakAt(up2, "s3cret-value-x").put("tokenUrl", "javascript:alert(1)");
            ObjectNode unknownField = keycloakAt(up2, "s3cret-value-x").put("clientSecrett", "x");
            ObjectNode shopEvil = Http.JSON.createObjectNode().put("clientId", "id").put("clientSecret", "s3cret-value-x");
            shopEvil.putObject("values").put("shop", "evil.com/..");
            ObjectNode shopIp = shopEvil.deepCopy();
            ((ObjectNode) shopIp.get("values")).put("shop", "127.0.0.1");
            ObjectNode pkceOff = Http.JSON.createObjectNode().put("clientId", "id").put("pkce", false);
            record Case(String provider, Object body, String expected) {
            }
            for (Case c : List.of(
                    new Case("nosuch", keycloakAt(up2, "x"), "unknown provider 'nosuch'"),
                    new Case("keycloak", missing, "base_url is required"),
                    new Case("keycloak", hostileRealm, "realm (realm) is refused"),
                    new Case("keycloak", badUrl, "token URL is refused"),
                    new Case("keycloak", unknownField, "unknown field 'clientSecrett'"),
                    new Case("keycloak", "{not json", "not valid JSON"),
                    new Case("shopify", shopEvil, "shop (shop) is refused"),
                    new Case("shopify", shopIp, "shop (shop) is refused"),
                    new Case("twitter", pkceOff, "pkce=false is refused"),
                    new Case("Bad_Name", keycloakAt(up2, "x"), "is not a provider name"))) {
                Http.Resp r = put(a, c.provider(), c.body());
                assertEquals(400, r.status(), c + " -> " + r);
                assertTrue(r.json().get("error_description").asText().contains(c.expected()), c + " -> " + r);
            }
            assertEquals(0, admin.get("/" + a.name + "/components?type=" + TYPE).json().size(), "nothing stored");
            assertTrue(admin.get("/" + a.name + "/connect/providers/keycloak").json().get("source").asText().equals("env"));

            ObjectNode comp = Http.JSON.createObjectNode().put("name", "keycloak").put("providerId", "connect-provider")
                    .put("providerType", TYPE).put("parentId", admin.get("/" + a.name).json().get("id").asText());
            comp.putObject("config").putArray("clientId").add("x");
            Http.Resp viaComponents = admin.post("/" + a.name + "/components", comp);
            assertEquals(400, viaComponents.status(), viaComponents::toString);
            assertTrue(viaComponents.body().contains("base_url is required"), viaComponents::toString);

            // Two configurations of one provider (only possible through the components API or realm JSON) are refused.
            assertEquals(201, put(a, "gitlab", Http.JSON.createObjectNode().put("clientId", "g").put("clientSecret", "s3cret-value-x")).status());
            comp.put("name", "gitlab");
            ((ObjectNode) comp.get("config")).putArray("clientSecret").add("s3cret-value-x");
            Http.Resp twice = admin.post("/" + a.name + "/components", comp);
            assertEquals(400, twice.status(), twice::toString);
            assertTrue(twice.body().contains("configures gitlab 2 times"), twice::toString);
        }
    }

    @Test
    @DisplayName("a realm imported with provider configurations this server refuses: the import succeeds, they are "
            + "listed with their problems and skipped, requests answer cleanly")
    void importedInvalidConfigurationIsReportedAndSkipped() {
        String name = "t-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode rep = TestRealm.demoRealm(name);
        ObjectNode comps = rep.putObject("components");
        ArrayNode list = comps.putArray(TYPE);
        ObjectNode bad = list.addObject().put("name", "keycloak").put("providerId", "connect-provider");
        bad.putObject("config").putArray("clientId").add("x");
        ((ObjectNode) bad.get("config")).putArray("clientSecret").add("y-secret-value");
        ((ObjectNode) bad.get("config")).putArray("base_url").add("https://evil.example.com/..?x");
        ObjectNode unknown = list.addObject().put("name", "nosuch").put("providerId", "connect-provider");
        unknown.putObject("config").putArray("clientId").add("x");
        admin.createRealm(rep);
        try {
            JsonNode all = admin.get("/" + name + "/connect/providers").json();
            JsonNode kc = null;
            JsonNode ns = null;
            for (JsonNode p : all) {
                if (p.get("name").asText().equals("keycloak")) {
                    kc = p;
                } else if (p.get("name").asText().equals("nosuch")) {
                    ns = p;
                }
            }
            assertEquals("problems", kc.get("status").asText(), all::toString);
            assertEquals("realm", kc.get("source").asText());
            assertTrue(kc.get("problems").toString().contains("base_url"), kc::toString);
            assertTrue(ns.get("problems").toString().contains("unknown provider 'nosuch'"), ns::toString);

            Http.Resp r = Http.postForm(base + "/realms/" + name + "/protocol/openid-connect/token", Map.of("grant_type", "password",
                    "client_id", "demo-app", "client_secret", "demo-app-secret", "username", "alice", "password", "alice"), null);
            String alice = SecretLedger.note(r.json().get("access_token").asText());
            Http.Resp listed = Http.get(base + "/realms/" + name + "/connect/providers", alice);
            assertEquals(200, listed.status(), listed::toString);
            assertFalse(names(listed.json().get("providers")).contains("keycloak"), "not usable, not offered (no fallback)");
            Http.Resp auth = Http.get(base + "/realms/" + name + "/connect/authorize?provider=keycloak&redirect_uri="
                    + Http.enc(Connect.APP_REDIRECT), alice);
            assertEquals(400, auth.status(), auth::toString);
            assertEquals("unknown_provider", auth.json().get("error").asText());
        } finally {
            admin.deleteRealm(name);
        }
    }

    @Test
    @DisplayName("GET /connect/providers lists exactly the realm's usable providers with what the app must pass, "
            + "never a secret; 401 without a token")
    void appView() {
        try (TestRealm a = TestRealm.create()) {
            String literal = SecretLedger.note("gitlab-secret-" + UUID.randomUUID());
            Http.Resp noToken = Http.get(a.url("/connect/providers"), null);
            assertEquals(401, noToken.status());
            assertEquals("invalid_token", noToken.json().get("error").asText());

            String alice = a.alice();
            assertEquals(List.of("acme", "keycloak", "tenanted"), names(Http.get(a.url("/connect/providers"), alice).json().get("providers")));

            assertEquals(201, put(a, "gitlab", Http.JSON.createObjectNode().put("clientId", "gl").put("clientSecret", literal)).status());
            assertEquals(201, put(a, "acme", Http.JSON.createObjectNode().put("enabled", false)).status());
            ObjectNode broken = Http.JSON.createObjectNode().put("clientId", "x");
            assertEquals(400, put(a, "github", broken).status());
            Http.Resp r = Http.get(a.url("/connect/providers"), a.serviceToken("demo-backend", "demo-backend-secret"));
            assertEquals(200, r.status(), r::toString);
            JsonNode providers = r.json().get("providers");
            assertEquals(List.of("gitlab", "keycloak", "tenanted"), names(providers));
            assertFalse(r.body().contains(literal));
            assertFalse(r.body().contains(TestServer.UPSTREAM_SECRET));
            assertFalse(r.body().toLowerCase().contains("secret"), r::toString);
            for (JsonNode p : providers) {
                if (p.get("name").asText().equals("gitlab")) {
                    assertEquals("GitLab", p.get("display_name").asText());
                    assertTrue(p.get("default_scopes").toString().contains("read_user"), p::toString);
                    assertEquals(0, p.get("connection_params").size());
                }
                if (p.get("name").asText().equals("tenanted")) {
                    JsonNode cp = p.get("connection_params").get(0);
                    assertEquals("realm", cp.get("name").asText());
                    assertTrue(cp.get("required").asBoolean());
                    assertEquals("segment", cp.get("kind").asText());
                }
            }
        }
    }

    @Test
    @DisplayName("per-connection values: bad or missing values are refused (400, nothing stored); a good one connects, "
            + "is stored with the connection and used again by the refresh")
    void perConnectionValues() throws Exception {
        try (TestRealm a = TestRealm.create()) {
            String alice = a.alice();
            Map<String, String> missing = Connect.params("provider", "tenanted", "connection_id", "pc", "redirect_uri", Connect.APP_REDIRECT);
            for (String[] bad : new String[][]{{}, {"realm", "../master"}, {"realm", ".."}, {"realm", "a b"},
                    {"realm", "x".repeat(200)}}) {
                Map<String, String> p = new java.util.LinkedHashMap<>(missing);
                if (bad.length > 0) {
                    p.put(bad[0], bad[1]);
                }
                Http.Resp r = Connect.authorize(a, alice, p);
                assertEquals(400, r.status(), r::toString);
                assertEquals("invalid_request", r.json().get("error").asText());
                assertTrue(r.json().get("error_description").asText().startsWith("realm "), r::toString);
            }
            Http.Resp twice = Http.get(a.url("/connect/authorize?provider=tenanted&redirect_uri=" + Http.enc(Connect.APP_REDIRECT)
                    + "&realm=" + up2 + "&realm=upstream"), alice);
            assertEquals(400, twice.status(), twice::toString);
            assertEquals(0, Db.count(a.name), "nothing stored");

            String landed = connect(a, alice, "tenanted", "pc", up2User(), "realm", up2);
            assertEquals("true", Http.queryParam(landed, "success"), landed);
            Map<String, Object> row = Db.row(a.name, "pc");
            assertTrue(String.valueOf(row.get("METADATA")).contains("param.realm"), () -> "stored with the connection: " + row.get("METADATA"));
            Http.Resp first = Connect.token(a, alice, "pc", "tenanted");
            assertEquals(200, first.status(), first::toString);
            assertEquals(up2, first.json().get("metadata").get("param.realm").asText());
            String token1 = first.json().get("token").asText();
            assertEquals(base + "/realms/" + up2, issuer(token1));

            // The refresh must go to the same upstream realm: the refresh token is worthless anywhere else.
            Db.expireIn(a.name, "pc", 5);
            Http.Resp second = Connect.token(a, alice, "pc", "tenanted");
            assertEquals(200, second.status(), second::toString);
            String token2 = second.json().get("token").asText();
            assertNotEquals(token1, token2, "refreshed");
            assertEquals(base + "/realms/" + up2, issuer(token2));
            assertTrue(Db.row(a.name, "pc").get("LAST_REFRESH_AT") != null, "the refresh is recorded");
        }
    }

    @Test
    @DisplayName("export and import: a full export (kc.sh export) keeps the configuration with its secret and it works "
            + "after re-import; a partial export masks literal secrets, keeps vault references, and such an import is "
            + "reported, not broken")
    void exportImportRoundTrip() throws Exception {
        TestRealm a = TestRealm.create();
        try {
            assertEquals(201, put(a, "keycloak", keycloakAt(up2, TestServer.UPSTREAM_SECRET)).status());
            ObjectNode gitlab = Http.JSON.createObjectNode().put("clientId", "gl").put("clientSecret", "${vault.gitlab_secret}");
            gitlab.putObject("values").put("base_url", "https://gitlab.example.com");
            assertEquals(201, put(a, "gitlab", gitlab).status());

            // Partial export (admin API): literal secrets masked, vault references and template values kept.
            Http.Resp partial = admin.post("/" + a.name + "/partial-export", "");
            assertEquals(200, partial.status(), partial::toString);
            assertFalse(partial.body().contains(TestServer.UPSTREAM_SECRET));
            JsonNode exported = partial.json().get("components").get(TYPE);
            assertEquals(2, exported.size(), partial::toString);
            for (JsonNode c : exported) {
                if (c.get("name").asText().equals("keycloak")) {
                    assertEquals("**********", c.get("config").get("clientSecret").get(0).asText());
                    assertEquals(up2, c.get("config").get("realm").get(0).asText(), "template values survive the export");
                } else {
                    assertEquals("${vault.gitlab_secret}", c.get("config").get("clientSecret").get(0).asText());
                }
            }
            // Imported elsewhere, the masked secret is reported (not sent to the provider); the vault reference works.
            String copy = "t-" + UUID.randomUUID().toString().substring(0, 8);
            ObjectNode rep = (ObjectNode) partial.json();
            ((ObjectNode) rep.get("components")).retain(TYPE); // keys are masked too: let the copy make its own
            stripIds(rep);
            rep.put("realm", copy);
            admin.createRealm(rep);
            try {
                for (JsonNode p : admin.get("/" + copy + "/connect/providers").json()) {
                    if (p.get("name").asText().equals("keycloak") && p.get("source").asText().equals("realm")) {
                        assertEquals("problems", p.get("status").asText(), p::toString);
                        assertTrue(p.get("problems").toString().contains("partial realm export"), p::toString);
                    }
                    if (p.get("name").asText().equals("gitlab")) {
                        assertEquals("ok", p.get("status").asText(), p::toString);
                    }
                }
            } finally {
                admin.deleteRealm(copy);
            }

            // Full export with kc.sh against the server's database: the secret is there; delete, re-import, connect.
            Path file = Path.of(KeycloakServer.prop("kc.work", "target")).resolve("export-" + a.name + ".json").toAbsolutePath();
            Files.deleteIfExists(file);
            TestServer.get().runCommand("export-" + a.name, List.of("export", "--realm", a.name, "--file", file.toString(),
                    "--users", "same_file"));
            String full = Files.readString(file);
            assertTrue(full.contains(TYPE) && full.contains(TestServer.UPSTREAM_SECRET), "the full export keeps the secret");
            admin.deleteRealm(a.name);
            admin.createRealm(Http.JSON.readTree(full));
            JsonNode kc = admin.get("/" + a.name + "/connect/providers/keycloak").json();
            assertEquals("realm", kc.get("source").asText(), kc::toString);
            assertEquals("ok", kc.get("status").asText(), kc::toString);
            String landed = connect(a, a.alice(), "keycloak", "after-import", up2User());
            assertEquals("true", Http.queryParam(landed, "success"), landed);
            Files.deleteIfExists(file);
        } finally {
            a.close();
        }
    }

    /** Removes every "id" member, so a representation can be imported next to the realm it came from. */
    private static void stripIds(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove("id");
            o.remove("containerId");
            o.forEach(ProviderConfigIT::stripIds);
        } else if (n instanceof ArrayNode a) {
            a.forEach(ProviderConfigIT::stripIds);
        }
    }

    @Test
    @DisplayName("the admin API answers 404 for a provider nobody configures; the server info lists our component type "
            + "(and not the declarative UI's, which is off)")
    void notConfiguredAndServerInfo() {
        try (TestRealm a = TestRealm.create()) {
            Http.Resp r = admin.get("/" + a.name + "/connect/providers/github");
            assertEquals(404, r.status(), r::toString);
            assertEquals("not_found", r.json().get("error").asText());
            JsonNode types = admin.getAdmin("/serverinfo").json().get("componentTypes").get(TYPE);
            assertEquals("connect-provider", types.get(0).get("id").asText());
            boolean secret = false;
            for (JsonNode p : types.get(0).get("properties")) {
                if (p.get("name").asText().equals("clientSecret")) {
                    secret = p.get("secret").asBoolean();
                }
            }
            assertTrue(secret, "the client secret is declared secret");
            // The admin console's declarative UI stores its pages' data as components of its own type, whose SPI is
            // off without --features=declarative-ui: such components cannot even be created (nor imported) then.
            String uiPage = "org.keycloak.services.ui.extend.UiPageProvider";
            assertNull(admin.getAdmin("/serverinfo").json().get("componentTypes").get(uiPage));
            ObjectNode page = Http.JSON.createObjectNode().put("name", "keycloak").put("providerId", "connect-providers")
                    .put("providerType", uiPage).put("parentId", admin.get("/" + a.name).json().get("id").asText());
            Http.Resp refused = admin.post("/" + a.name + "/components", page);
            assertEquals(400, refused.status(), refused::toString);
        }
    }
}
