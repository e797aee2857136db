package io.kcconnections.it.login;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.security.MessageDigest;
import java.util.Base64;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.kcconnections.it.harness.Admin;
import io.kcconnections.it.harness.Chromium;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * SSO login through catalog providers: the realm's identity providers generated from provider configurations with
 * login on (Keycloak's social type, {@code oidc} or {@code oauth2}), kept in sync, conflicts with hand-made identity
 * providers left alone, and, in a real browser, a login through the upstream realm that also stores a connection.
 */
class LoginIT {

    private static final String APP = "http://localhost:3000/after-login";

    private final Admin admin = TestServer.admin();
    private final String base = TestServer.baseUrl();

    private ObjectNode upstream(boolean login, boolean connect) {
        ObjectNode b = Http.JSON.createObjectNode();
        b.put("clientId", TestServer.UPSTREAM_CLIENT).put("clientSecret", TestServer.UPSTREAM_SECRET);
        b.putObject("values").put("base_url", base).put("realm", TestServer.UPSTREAM_REALM);
        b.put("loginEnabled", login).put("loginConnect", connect);
        return b;
    }

    private Http.Resp put(TestRealm realm, String provider, Object body) {
        return admin.put("/" + realm.name + "/connect/providers/" + provider, body);
    }

    private Http.Resp idp(TestRealm realm, String alias) {
        return admin.get("/" + realm.name + "/identity-provider/instances/" + alias);
    }

    private List<JsonNode> sync(TestRealm realm) {
        Http.Resp r = admin.post("/" + realm.name + "/connect/login-sync", Map.of());
        assertEquals(200, r.status(), r::toString);
        List<JsonNode> out = new ArrayList<>();
        r.json().forEach(out::add);
        return out;
    }

    private static String action(List<JsonNode> outcomes, String alias) {
        return outcomes.stream().filter(o -> o.get("alias").asText().equals(alias)).map(o -> o.get("action").asText())
                .findFirst().orElse(null);
    }

    @Test
    @DisplayName("each mapping type is generated from the catalog and accepted by Keycloak: github (social), keycloak (oidc"
            + " with discovery), atlassian (oauth2 with userinfo and claims); secrets stay vault references")
    void mappingTypes() throws Exception {
        try (TestRealm realm = TestRealm.create()) {
            assertEquals(201, put(realm, "keycloak", upstream(true, false)).status());
            ObjectNode gh = Http.JSON.createObjectNode().put("clientId", "gh-login").put("clientSecret", "${vault.gh_secret}")
                    .put("loginEnabled", true);
            assertEquals(201, put(realm, "github", gh).status());
            ObjectNode at = Http.JSON.createObjectNode().put("clientId", "at-login").put("clientSecret", "at-secret-x1")
                    .put("loginEnabled", true);
            SecretLedger.note("at-secret-x1");
            assertEquals(201, put(realm, "atlassian", at).status());

            JsonNode kc = idp(realm, "keycloak").json();
            assertEquals("oidc", kc.get("providerId").asText());
            String issuer = base + "/realms/" + TestServer.UPSTREAM_REALM;
            assertEquals(issuer, kc.get("config").path("issuer").asText(), kc::toString);
            assertEquals(issuer + "/protocol/openid-connect/certs", kc.get("config").get("jwksUrl").asText(),
                    "endpoints come from the issuer's discovery document");
            assertEquals("true", kc.get("config").get("validateSignature").asText());
            assertEquals("true", kc.get("config").get("pkceEnabled").asText());
            assertFalse(kc.get("storeToken").asBoolean(), "without connect at login no token is kept");

            JsonNode github = idp(realm, "github").json();
            assertEquals("github", github.get("providerId").asText(), "Keycloak's built-in GitHub type");
            assertEquals("gh-login", github.get("config").get("clientId").asText());
            assertEquals("${vault.gh_secret}", idpConfigValue(realm, "github", "clientSecret"), "the vault reference is kept");

            JsonNode atlassian = idp(realm, "atlassian").json();
            assertEquals("oauth2", atlassian.get("providerId").asText());
            assertEquals("https://api.atlassian.com/me", atlassian.get("config").get("userInfoUrl").asText());
            assertEquals("account_id", atlassian.get("config").get("userIDClaim").asText());

            List<JsonNode> again = sync(realm);
            assertEquals(3, again.size(), again::toString);
            for (JsonNode o : again) {
                assertEquals("unchanged", o.get("action").asText(), () -> "a second sync changes nothing: " + again);
            }
        }
    }

    @Test
    @DisplayName("login off disables the generated identity provider, on brings it back, an admin's switch-off is kept, new credentials update it;"
            + " a hand-made identity provider with the same alias is a conflict and is never touched")
    void toggleUpdateAndConflict() throws Exception {
        try (TestRealm realm = TestRealm.create()) {
            ObjectNode gh = Http.JSON.createObjectNode().put("clientId", "gh-1").put("clientSecret", "gh-secret-1x")
                    .put("loginEnabled", true);
            SecretLedger.note("gh-secret-1x");
            assertEquals(201, put(realm, "github", gh).status());
            assertEquals(200, idp(realm, "github").status());

            gh.put("clientId", "gh-2");
            assertTrue(put(realm, "github", gh).status() / 100 == 2);
            assertEquals("gh-2", idp(realm, "github").json().get("config").get("clientId").asText());

            gh.put("loginEnabled", false);
            assertTrue(put(realm, "github", gh).status() / 100 == 2);
            assertFalse(idp(realm, "github").json().get("enabled").asBoolean(),
                    "login off: the generated identity provider is disabled (its users keep their links)");

            gh.put("loginEnabled", true);
            assertTrue(put(realm, "github", gh).status() / 100 == 2);
            assertTrue(idp(realm, "github").json().get("enabled").asBoolean(), "login on again: it is back");

            // An admin switches it off in the console: the sync respects that.
            ObjectNode off = (ObjectNode) idp(realm, "github").json();
            off.put("enabled", false);
            assertEquals(204, admin.put("/" + realm.name + "/identity-provider/instances/github", off).status());
            assertEquals("unchanged", action(sync(realm), "github"));
            assertFalse(idp(realm, "github").json().get("enabled").asBoolean(), "an admin's choice is kept");

            // Someone made a "keycloak" identity provider by hand.
            ObjectNode hand = Http.JSON.createObjectNode().put("alias", "keycloak").put("providerId", "oidc").put("enabled", true);
            hand.putObject("config").put("clientId", "hand-made").put("clientSecret", "hand-secret-1")
                    .put("authorizationUrl", "https://idp.example.test/auth").put("tokenUrl", "https://idp.example.test/token")
                    .put("clientAuthMethod", "client_secret_post");
            SecretLedger.note("hand-secret-1");
            assertEquals(201, admin.post("/" + realm.name + "/identity-provider/instances", hand).status());
            assertEquals(201, put(realm, "keycloak", upstream(true, true)).status());
            List<JsonNode> outcomes = sync(realm);
            assertEquals("conflict", action(outcomes, "keycloak"), outcomes::toString);
            JsonNode left = idp(realm, "keycloak").json();
            assertEquals("hand-made", left.get("config").get("clientId").asText(), "the hand-made one is untouched");
            assertNull(left.get("config").get("kcConnections.managed"));
            assertEquals(0, admin.get("/" + realm.name + "/identity-provider/instances/keycloak/mappers").json().size(),
                    "no mapper added to a hand-made identity provider");

            assertTrue(put(realm, "keycloak", upstream(false, false)).status() / 100 == 2);
            assertEquals(200, idp(realm, "keycloak").status(), "turning login off never removes what it did not create");
            assertEquals("hand-made", idp(realm, "keycloak").json().get("config").get("clientId").asText());
        }
    }

    @Test
    @DisplayName("login from the environment: every realm but master gets the identity provider at start-up, a new realm"
            + " gets it when created, and a restart without the variable disables it; an environment secret goes into"
            + " realms only as a vault reference (a literal one is needs_vault, nothing copied) and only to the environment's endpoints")
    void fromTheEnvironment() throws Exception {
        String literal = SecretLedger.note("gl-env-literal-secret-1");
        try {
            TestServer.restartWith(Map.of("CONNECT_GITHUB_CLIENT_ID", "gh-env", "CONNECT_GITHUB_CLIENT_SECRET",
                    "${vault.gh_env_secret}", "CONNECT_GITHUB_LOGIN_ENABLED", "true",
                    "CONNECT_GITLAB_CLIENT_ID", "gl-env", "CONNECT_GITLAB_CLIENT_SECRET", literal,
                    "CONNECT_GITLAB_LOGIN_ENABLED", "true",
                    "CONNECT_KEYCLOAK_CLIENT_ID", TestServer.UPSTREAM_CLIENT, "CONNECT_KEYCLOAK_CLIENT_SECRET",
                    "${vault.kc_env_secret}", "CONNECT_KEYCLOAK_BASE_URL", base, "CONNECT_KEYCLOAK_REALM", TestServer.UPSTREAM_REALM));
            JsonNode demo = admin.get("/demo/identity-provider/instances/github").json();
            assertEquals("github", demo.path("providerId").asText(), demo::toString);
            assertEquals("true", demo.get("config").get("kcConnections.managed").asText());
            assertEquals("gh-env", demo.get("config").get("clientId").asText());
            assertEquals("${vault.gh_env_secret}", idpConfigValue("demo", "github", "clientSecret"),
                    "the environment's vault reference is kept a reference, resolved in the realm's vault");
            assertEquals(404, admin.get("/master/identity-provider/instances/github").status(),
                    "deployment-wide login settings leave the administration realm alone");
            try (TestRealm realm = TestRealm.create()) {
                assertEquals(200, idp(realm, "github").status(), "a realm created later gets it too");

                // A literal environment secret is never copied into a realm's identity provider.
                assertEquals(404, idp(realm, "gitlab").status(), "no identity provider made with a literal environment secret");
                List<JsonNode> outcomes = sync(realm);
                assertEquals("needs_vault", action(outcomes, "gitlab"), outcomes::toString);
                String detail = outcomes.stream().filter(o -> o.get("alias").asText().equals("gitlab")).findFirst()
                        .orElseThrow().get("detail").asText();
                assertTrue(detail.contains("CONNECT_GITLAB_CLIENT_SECRET") && detail.contains("${vault."), detail);
                assertFalse(detail.contains(literal));
                assertEquals(0, idpConfigsHolding(literal), "the literal secret is in no identity provider of any realm");

                // The environment's secret serves only the environment's endpoints: a realm admin naming it in the
                // realm's own configuration cannot send it elsewhere.
                ObjectNode repoint = Http.JSON.createObjectNode().put("clientId", TestServer.UPSTREAM_CLIENT)
                        .put("clientSecret", "${vault.kc_env_secret}").put("loginEnabled", true);
                repoint.putObject("values").put("base_url", "http://127.0.0.1:9").put("realm", TestServer.UPSTREAM_REALM);
                Http.Resp refused = put(realm, "keycloak", repoint);
                assertEquals(400, refused.status(), refused::toString);
                assertTrue(refused.body().contains("CONNECT_KEYCLOAK_CLIENT_SECRET"), refused::toString);
                assertEquals(404, idp(realm, "keycloak").status(), "no identity provider pointed elsewhere");
                ObjectNode component = Http.JSON.createObjectNode().put("name", "keycloak").put("providerId", "connect-provider")
                        .put("providerType", "io.kcconnections.connect.realm.ProviderConfigComponent");
                ObjectNode cfg = component.putObject("config");
                cfg.putArray("clientId").add(TestServer.UPSTREAM_CLIENT);
                cfg.putArray("clientSecret").add("${vault.kc_env_secret}");
                cfg.putArray("base_url").add("http://127.0.0.1:9");
                Http.Resp viaComponents = admin.post("/" + realm.name + "/components", component);
                assertEquals(400, viaComponents.status(), "nor through Keycloak's components API: " + viaComponents);

                ObjectNode same = repoint.deepCopy();
                ((ObjectNode) same.get("values")).put("base_url", base);
                assertEquals(201, put(realm, "keycloak", same).status(), "the same secret with the environment's endpoints is fine");
                ObjectNode own = repoint.deepCopy().put("clientSecret", "${vault.kc_realm_secret}");
                assertEquals(200, put(realm, "keycloak", own).status(), "other endpoints with a secret of the realm's own are fine");
            }
        } finally {
            TestServer.restoreDefaults();
        }
        assertFalse(admin.get("/demo/identity-provider/instances/github").json().get("enabled").asBoolean(),
                "started without the variable: the managed identity provider is disabled");
    }

    @Test
    @DisplayName("Sign in with Apple signs in through the extension's kc-connections type (its hook makes the client-secret"
            + " JWT); the .p8 key stays in the provider's configuration and is in no identity provider; a provider that"
            + " cannot identify the person refuses the login flag")
    void appleKeyStaysOut() throws Exception {
        try (TestRealm realm = TestRealm.create()) {
            String p8 = SecretLedger.note("-----BEGIN PRIVATE KEY-----\\nMIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg"
                    + UUID.randomUUID().toString().replace("-", "") + "\\n-----END PRIVATE KEY-----");
            ObjectNode apple = Http.JSON.createObjectNode().put("clientId", "com.example.login").put("clientSecret", p8)
                    .put("loginEnabled", true);
            apple.putObject("values").put("team_id", "ABCDE12345").put("key_id", "KEY1234567");
            Http.Resp r = put(realm, "apple", apple);
            assertEquals(201, r.status(), r::toString);
            List<JsonNode> outcomes = sync(realm);
            assertEquals("unchanged", action(outcomes, "apple"), outcomes::toString);
            assertEquals("kc-connections", idp(realm, "apple").json().get("providerId").asText());
            assertEquals(0, idpConfigsHolding(p8), "the .p8 key is in no identity provider");

            ObjectNode linear = Http.JSON.createObjectNode().put("clientId", "lin").put("clientSecret", "lin-secret")
                    .put("loginEnabled", true);
            Http.Resp refused = put(realm, "linear", linear);
            assertEquals(400, refused.status(), refused::toString);
            assertEquals("invalid_provider_config", refused.json().get("error").asText());
            assertTrue(refused.json().get("error_description").asText().contains("cannot identify the signed-in account"),
                    refused::toString);
        }
    }

    @Test
    @DisplayName("endpoints from an issuer's discovery document pass the host policy: a document naming a refused URL"
            + " makes the identity provider invalid and nothing is created; an oversized or drip-fed document is cut off")
    void discoveryPassesTheHostPolicy() throws Exception {
        HttpServer fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        String fakeBase = "http://127.0.0.1:" + fake.getAddress().getPort();
        fake.createContext("/realms/", ex -> {
            String realm = ex.getRequestURI().getPath().split("/")[2];
            String issuer = fakeBase + "/realms/" + realm;
            String endpoint = issuer + "/protocol/openid-connect";
            ObjectNode doc = Http.JSON.createObjectNode().put("issuer", issuer)
                    .put("authorization_endpoint", endpoint + "/auth").put("jwks_uri", endpoint + "/certs")
                    .put("token_endpoint", realm.equals("userinfo") ? "http://attacker@127.0.0.1:9/token" : endpoint + "/token");
            byte[] body = doc.toString().getBytes(StandardCharsets.UTF_8);
            if (realm.equals("huge")) {
                doc.put("padding", "x".repeat(2 * 1024 * 1024));
                body = doc.toString().getBytes(StandardCharsets.UTF_8);
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            if (realm.equals("slow")) {
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody()) {
                    for (int i = 0; i < 60; i++) {
                        out.write(' ');
                        out.flush();
                        Thread.sleep(500);
                    }
                } catch (Exception ignored) {
                    // the client gave up
                }
                return;
            }
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        fake.setExecutor(Executors.newFixedThreadPool(4));
        fake.start();
        try (TestRealm realm = TestRealm.create()) {
            // A secret of the realm's own: the environment's one is bound to the environment's endpoints.
            ObjectNode kc = upstream(true, false).put("clientSecret", SecretLedger.note("discovery-test-secret-1"));
            ((ObjectNode) kc.get("values")).put("base_url", fakeBase).put("realm", "userinfo");
            assertEquals(201, put(realm, "keycloak", kc).status());
            List<JsonNode> outcomes = sync(realm);
            assertEquals("invalid", action(outcomes, "keycloak"), outcomes::toString);
            assertTrue(outcomes.toString().contains("tokenUrl"), outcomes::toString);
            assertEquals(404, idp(realm, "keycloak").status(), "no identity provider from a refused discovery document");

            ((ObjectNode) kc.get("values")).put("realm", "huge");
            assertEquals(200, put(realm, "keycloak", kc).status());
            outcomes = sync(realm);
            assertTrue(outcomes.toString().contains("discovery failed"), outcomes::toString);
            assertEquals("false", idp(realm, "keycloak").json().get("config").get("validateSignature").asText(),
                    "the oversized document is not used");

            ((ObjectNode) kc.get("values")).put("realm", "slow");
            long t0 = System.nanoTime();
            assertEquals(200, put(realm, "keycloak", kc).status());
            outcomes = sync(realm);
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertTrue(outcomes.toString().contains("discovery failed"), outcomes::toString);
            assertTrue(seconds < 28, "two syncs, each cut off by the discovery deadline, took " + seconds + " s");
        } finally {
            fake.stop(0);
            ((ExecutorService) fake.getExecutor()).shutdownNow();
        }
    }

    @Test
    @DisplayName("in a real browser: the demo realm's login page shows the upstream button, the person logs in at the"
            + " upstream and lands with a session; connect at login stored an encrypted connection the token endpoint serves")
    void browserLoginConnects() throws Exception {
        Chromium.assumeInstalled();
        try (TestRealm realm = TestRealm.create()) {
            assertEquals(201, put(realm, "keycloak", upstream(true, true)).status());
            JsonNode idp = idp(realm, "keycloak").json();
            assertEquals("true", idp.get("config").get("kcConnections.managed").asText());
            JsonNode mappers = admin.get("/" + realm.name + "/identity-provider/instances/keycloak/mappers").json();
            assertEquals(1, mappers.size(), mappers::toString);
            assertEquals("kc-connections-login-connection", mappers.get(0).get("identityProviderMapper").asText());

            String[] person = realm.upstreamUser();
            // demo-app requires PKCE, as a public-facing app should.
            String verifier = SecretLedger.note(UUID.randomUUID() + "-" + UUID.randomUUID());
            String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            String code;
            WebDriver driver = Chromium.start();
            try {
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
                driver.get(realm.url("/protocol/openid-connect/auth?client_id=demo-app&response_type=code&scope=openid"
                        + "&code_challenge_method=S256&code_challenge=" + challenge + "&redirect_uri=" + Http.enc(APP)));
                wait.until(ExpectedConditions.elementToBeClickable(By.id("social-keycloak")));
                Chromium.screenshot(driver, "login-page-with-upstream-button");
                driver.findElement(By.id("social-keycloak")).click();

                wait.until(ExpectedConditions.urlContains("/realms/" + TestServer.UPSTREAM_REALM + "/"));
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(person[0]);
                driver.findElement(By.id("password")).sendKeys(person[1]);
                driver.findElement(By.id("kc-login")).click();

                // Keycloak's first-broker-login flow may ask to review the profile; then the app gets its code.
                wait.until(d -> d.getCurrentUrl().startsWith(APP) || !d.findElements(By.id("kc-update-profile-form")).isEmpty()
                        || !d.findElements(By.cssSelector("form#kc-idp-review-profile-form")).isEmpty());
                if (!driver.getCurrentUrl().startsWith(APP)) {
                    driver.findElement(By.cssSelector("input[type=submit],button[type=submit]")).click();
                    wait.until(d -> d.getCurrentUrl().startsWith(APP));
                }
                code = Http.queryParam(driver.getCurrentUrl(), "code");
            } finally {
                driver.quit();
            }
            assertNotNull(code, "the demo app got an authorization code");
            SecretLedger.note(code);
            Http.Resp tokens = Http.postForm(realm.url("/protocol/openid-connect/token"), Map.of("grant_type",
                    "authorization_code", "code", code, "redirect_uri", APP, "client_id", "demo-app",
                    "client_secret", "demo-app-secret", "code_verifier", verifier), null);
            assertEquals(200, tokens.status(), tokens::toString);
            String bearer = SecretLedger.note(tokens.json().get("access_token").asText());

            // The demo-realm user is the brokered person; connect at login stored their upstream connection.
            JsonNode me = Http.get(realm.url("/protocol/openid-connect/userinfo"), bearer).json();
            assertEquals(person[0].toLowerCase(), me.get("preferred_username").asText().toLowerCase());
            JsonNode list = Http.get(realm.url("/connect/connections"), bearer).json();
            JsonNode conns = list.has("connections") ? list.get("connections") : list;
            assertEquals(1, conns.size(), list::toString);
            String cid = conns.get(0).get("connection_id").asText();
            assertTrue(cid.startsWith("login-keycloak-"), cid);
            assertEquals("active", conns.get(0).get("status").asText());

            Http.Resp t = Connect.token(realm, bearer, cid, "keycloak");
            assertEquals(200, t.status(), t::toString);
            String upstreamToken = SecretLedger.note(t.json().get("token").asText());
            Http.Resp upMe = Http.get(base + "/realms/" + TestServer.UPSTREAM_REALM + "/protocol/openid-connect/userinfo", upstreamToken);
            assertEquals(200, upMe.status(), "the served token is the person's upstream token: " + upMe);
            assertEquals(person[0].toLowerCase(), upMe.json().get("preferred_username").asText().toLowerCase());

            // Stored encrypted, and not in Keycloak's plain-text federated identity token column.
            Map<String, Object> row = Db.row(realm.name, cid);
            assertFalse(String.valueOf(row.get("ACCESS_TOKEN")).contains(upstreamToken));
            assertNotNull(row.get("REFRESH_TOKEN"), "the login's refresh token is kept (encrypted) for the refresher");
            assertEquals(1, federatedTokens(realm).size(), "one federated identity");
            assertNull(federatedTokens(realm).get(0), "FEDERATED_IDENTITY.TOKEN stays empty");

            // Another person cannot read it.
            Http.Resp bob = Connect.token(realm, realm.bob(), cid, "keycloak");
            assertTrue(bob.status() == 403 || bob.status() == 404, bob::toString);
        }
    }

    /** FEDERATED_IDENTITY.TOKEN of the realm's users. */
    private static List<String> federatedTokens(TestRealm realm) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = TestServer.get().jdbc(); PreparedStatement ps = c.prepareStatement(
                "select fi.TOKEN from FEDERATED_IDENTITY fi join REALM r on r.ID = fi.REALM_ID where r.NAME = ?")) {
            ps.setString(1, realm.name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** How many stored identity provider configuration values, in any realm, hold the text. */
    private static int idpConfigsHolding(String text) throws Exception {
        try (Connection c = TestServer.get().jdbc(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from IDENTITY_PROVIDER_CONFIG where VALUE like ?")) {
            ps.setString(1, "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** A stored identity provider configuration value (the admin API masks secrets). */
    private static String idpConfigValue(TestRealm realm, String alias, String name) throws Exception {
        return idpConfigValue(realm.name, alias, name);
    }

    private static String idpConfigValue(String realmName, String alias, String name) throws Exception {
        try (Connection c = TestServer.get().jdbc(); PreparedStatement ps = c.prepareStatement(
                "select cfg.VALUE from IDENTITY_PROVIDER_CONFIG cfg join IDENTITY_PROVIDER ip on ip.INTERNAL_ID = cfg.IDENTITY_PROVIDER_ID"
                        + " join REALM r on r.ID = ip.REALM_ID where r.NAME = ? and ip.PROVIDER_ALIAS = ? and cfg.NAME = ?")) {
            ps.setString(1, realmName);
            ps.setString(2, alias);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
