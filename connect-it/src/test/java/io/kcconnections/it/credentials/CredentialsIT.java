package io.kcconnections.it.credentials;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.fakes.ApiKeyServer;
import io.kcconnections.it.fakes.SmtpTestServer;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Typed credentials on the real server: each type stored through the API, one field rotated, one field revealed
 * (audited; every refusal the same 404), hostile input refused with nothing stored, health checks against real servers
 * (an HTTP API that takes one key, an SMTP server, PostgreSQL and MariaDB) and the smoothing of the prober.
 */
class CredentialsIT {

    @FreshRealm
    private TestRealm realm;

    private String url(String path) {
        return realm.url("/connect/credentials" + path);
    }

    private Http.Resp create(String bearer, Map<String, Object> body) {
        return Http.sendJson("POST", url(""), body, bearer);
    }

    private static Map<String, Object> body(String id, String provider, String type, Map<String, String> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connection_id", id);
        if (provider != null) {
            m.put("provider", provider);
        }
        m.put("type", type);
        m.put("fields", fields);
        return m;
    }

    private String key() {
        return SecretLedger.note("key-" + UUID.randomUUID());
    }

    private void enableEvents(String... types) {
        assertEquals(204, realm.admin().put("/" + realm.name, Map.of("eventsEnabled", true,
                "enabledEventTypes", List.of(types))).status());
    }

    private JsonNode probe() {
        Http.Resp r = realm.admin().post("/" + realm.name + "/connect/health/probe", Map.of());
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    private JsonNode health(String bearer, String id) {
        Http.Resp r = Http.get(url("/" + id), bearer);
        assertEquals(200, r.status(), r::toString);
        return r.json().get("health");
    }

    @Test
    @DisplayName("api_key: stored without its value in any answer or in the clear at rest; PATCH rotates the key alone;"
            + " the check sends the new key; reveal (both routes) answers it and is an event; bob, unknown ids and"
            + " unknown fields get one 404; no token 401; delete")
    void apiKeyLifecycle() throws Exception {
        String first = key();
        String second = key();
        try (ApiKeyServer api = new ApiKeyServer("X-Api-Key", second)) {
            enableEvents("IDENTITY_PROVIDER_RETRIEVE_TOKEN", "IDENTITY_PROVIDER_RETRIEVE_TOKEN_ERROR");
            String alice = realm.alice();
            Http.Resp made = create(alice, body("ai", null, "api_key",
                    Map.of("api_key", first, "base_url", api.url(), "header", "X-Api-Key")));
            assertEquals(201, made.status(), made::toString);
            assertFalse(made.body().contains(first), "no secret in the answer");
            assertEquals("[\"api_key\"]", made.json().get("secret_fields").toString());
            assertEquals("X-Api-Key", made.json().get("fields").get("header").asText());
            String secrets = column(realm.name, "ai", "SECRETS");
            assertFalse(secrets.contains(first), "encrypted at rest");
            assertTrue(secrets.contains("api_key"), secrets);

            Http.Resp listed = Http.get(url(""), alice);
            assertEquals(1, listed.json().get("credentials").size(), listed::toString);
            assertFalse(listed.body().contains(first));

            Http.Resp rotated = Http.sendJson("PATCH", url("/ai"), Map.of("fields", Map.of("api_key", second)), alice);
            assertEquals(200, rotated.status(), rotated::toString);
            assertEquals(api.url(), rotated.json().get("fields").get("base_url").asText(), "other fields kept");
            Http.Resp checked = Http.get(url("/ai/health"), alice);
            assertEquals("healthy", checked.json().get("status").asText(), checked::toString);
            assertEquals(second, api.seen.get(api.seen.size() - 1), "the check sent the rotated key");

            Http.Resp revealed = Http.get(url("/ai/secrets/api_key"), alice);
            assertEquals(200, revealed.status(), revealed::toString);
            assertEquals(second, revealed.json().get("value").asText());
            Http.Resp viaToken = Http.get(realm.url("/connect/token/ai?field=api_key"), alice);
            assertEquals(second, viaToken.json().get("value").asText(), viaToken::toString);
            long reveals = realm.admin().events(realm.name, "IDENTITY_PROVIDER_RETRIEVE_TOKEN").stream()
                    .filter(e -> "secret_reveal".equals(e.path("details").path("connect_event").asText())
                            && "api_key".equals(e.path("details").path("field").asText())).count();
            assertEquals(2, reveals, "every reveal is an event");

            String bob = realm.bob();
            Http.Resp notBobs = Http.get(url("/ai/secrets/api_key"), bob);
            Http.Resp noField = Http.get(url("/ai/secrets/nope"), alice);
            Http.Resp noSuch = Http.get(url("/missing/secrets/api_key"), alice);
            for (Http.Resp r : List.of(notBobs, noField, noSuch)) {
                assertEquals(404, r.status(), r::toString);
                assertEquals(notBobs.body(), r.body(), "one answer for every refusal");
                assertFalse(r.body().contains(second));
            }
            assertFalse(realm.admin().events(realm.name, "IDENTITY_PROVIDER_RETRIEVE_TOKEN_ERROR").isEmpty(), "refusals too");
            assertEquals(404, Http.get(url("/ai"), bob).status(), "bob does not see alice's credential");
            assertEquals(401, Http.get(url("/ai/secrets/api_key"), null).status());

            assertEquals(204, Http.delete(url("/ai"), alice).status());
            assertEquals(404, Http.get(url("/ai"), alice).status());
        }
    }

    @Test
    @DisplayName("every type stores: basic (jira-server), bearer, generic_http, smtp (checked against an SMTP server), oauth_app;"
            + " render and freshdesk are in the catalog")
    void everyType() throws Exception {
        String alice = realm.alice();
        String password = key();
        try (ApiKeyServer api = new ApiKeyServer("Authorization", "Basic "
                + java.util.Base64.getEncoder().encodeToString(("jane:" + password).getBytes()));
             SmtpTestServer smtp = new SmtpTestServer("mailer", password)) {
            assertEquals(201, create(alice, body("jira", "jira-server", "basic",
                    Map.of("username", "jane", "password", password, "base_url", api.url()))).status());
            assertEquals("healthy", Http.get(url("/jira/health"), alice).json().get("status").asText());
            assertEquals(201, create(alice, body("tok", null, "bearer", Map.of("token", key(), "base_url", api.url()))).status());
            assertEquals(201, create(alice, body("gen", null, "generic_http", Map.of("base_url", api.url(), "token", key()))).status());
            Http.Resp mail = create(alice, body("mail", null, "smtp", Map.of("host", "127.0.0.1",
                    "port", String.valueOf(smtp.port()), "tls", "none", "username", "mailer", "password", password)));
            assertEquals(201, mail.status(), mail::toString);
            Http.Resp smtpOk = Http.get(url("/mail/health"), alice);
            assertEquals("healthy", smtpOk.json().get("status").asText(), smtpOk::toString);
            assertTrue(smtp.commands.contains("AUTH PLAIN"), smtp.commands::toString);
            smtp.password = key();
            Http.Resp smtpBad = Http.get(url("/mail/health"), alice);
            assertTrue(smtpBad.json().get("last_error").asText().startsWith("auth_failed"), smtpBad::toString);
            assertEquals(201, create(alice, body("starttls", null, "smtp", Map.of("host", "127.0.0.1",
                    "port", String.valueOf(smtp.port())))).status());
            Http.Resp noTls = Http.get(url("/starttls/health"), alice);
            assertTrue(noTls.json().get("last_error").asText().startsWith("tls_failed"), noTls::toString);
            Http.Resp app = create(alice, body("gh-app", "github", "oauth_app", Map.of("client_id", "Iv1.abc", "client_secret", key())));
            assertEquals(201, app.status(), app::toString);
            assertEquals(400, Http.get(url("/gh-app/health"), alice).status(), "an app's client has no check");
            Http.Resp types = Http.get(realm.url("/connect/credential-types"), alice);
            assertEquals(200, types.status());
            List<String> names = types.json().get("providers").findValuesAsText("name");
            assertTrue(names.containsAll(List.of("render", "freshdesk")), names::toString);
            assertEquals(7, types.json().get("types").size());
        }
    }

    @Test
    @DisplayName("database: PostgreSQL and MariaDB (where they run) answer SELECT 1 for the right database and fail for"
            + " a missing one")
    void databases() {
        boolean pg = reachable(5432);
        boolean maria = reachable(3306);
        Assumptions.assumeTrue(pg || maria, "no PostgreSQL or MariaDB on 127.0.0.1");
        String alice = realm.alice();
        if (pg) {
            assertDatabase(alice, "pg", Map.of("dialect", "postgresql", "port", "5432", "database", "postgres",
                    "username", "postgres"), "nonexistent_db");
        }
        if (maria) {
            assertDatabase(alice, "maria", Map.of("dialect", "mariadb", "port", "3306", "database", "mysql",
                    "username", "root"), "nonexistent_db");
        }
    }

    private void assertDatabase(String alice, String id, Map<String, String> fields, String missing) {
        Map<String, String> f = new LinkedHashMap<>(fields);
        f.put("host", "127.0.0.1");
        f.put("tls", "disable");
        Http.Resp made = create(alice, body(id, null, "database", f));
        assertEquals(201, made.status(), made::toString);
        Http.Resp ok = Http.get(url("/" + id + "/health"), alice);
        assertEquals("healthy", ok.json().get("status").asText(), ok::toString);
        assertEquals(200, Http.sendJson("PATCH", url("/" + id), Map.of("fields", Map.of("database", missing)), alice).status());
        Http.Resp bad = Http.get(url("/" + id + "/health"), alice);
        assertEquals(1, bad.json().get("consecutive_failures").asInt(), bad::toString);
        assertNotNull(bad.json().get("last_error").asText());
    }

    @Test
    @DisplayName("hostile input: 400 naming the field (missing, control characters, oversized, bad port, unknown type,"
            + " provider or field, a type the provider does not take, non-strings), 413 past 64 KiB; nothing stored")
    void hostileInput() {
        String alice = realm.alice();
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("api_key", body("h1", "render", "api_key", Map.of()));
        cases.put("password", body("h2", null, "smtp", Map.of("host", "mail.example.com", "port", "587",
                "username", "u", "password", "bad\u0007value")));
        cases.put("port", body("h3", null, "smtp", Map.of("host", "mail.example.com", "port", "70000")));
        cases.put("token", body("h4", null, "bearer", Map.of("token", "x".repeat(9000), "base_url", "https://api.example.com")));
        cases.put("type", body("h5", null, "ftp", Map.of()));
        cases.put("provider", body("h6", "no-such", "api_key", Map.of("api_key", "k")));
        cases.put("bogus", body("h7", null, "bearer", Map.of("token", "t", "base_url", "https://api.example.com", "bogus", "x")));
        cases.put("type: render takes", body("h8", "render", "basic", Map.of("username", "u", "password", "p")));
        cases.put("connection_id", body("../etc", null, "bearer", Map.of("token", "t", "base_url", "https://api.example.com")));
        cases.put("domain", body("h9", "freshdesk", "api_key", Map.of("api_key", "k", "domain", "evil.example/x")));
        cases.forEach((field, b) -> {
            Http.Resp r = create(alice, b);
            assertEquals(400, r.status(), () -> field + ": " + r);
            assertTrue(r.json().get("error_description").asText().contains(field), () -> field + ": " + r);
            assertFalse(r.body().contains("bad\u0007value"));
        });
        Http.Resp nonString = Http.sendJson("POST", url(""), "{\"connection_id\":\"n\",\"type\":\"bearer\",\"fields\":{\"token\":[1]}}", alice);
        assertEquals(400, nonString.status(), nonString::toString);
        assertEquals(400, Http.sendJson("POST", url(""), "{not json", alice).status());
        assertEquals(413, Http.sendJson("POST", url(""), "{\"x\":\"" + "a".repeat(70_000) + "\"}", alice).status());
        assertEquals(0, Http.get(url(""), alice).json().get("credentials").size(), "nothing stored");
        assertEquals(401, Http.sendJson("POST", url(""), body("x", null, "bearer", Map.of()), null).status());
    }

    @Test
    @DisplayName("the prober: healthy, then unhealthy only after three failing probes, healthy again after one success;"
            + " each change an event; OAuth connections probed too; the realm summary counts them")
    void healthFlips() throws Exception {
        String apiKey = key();
        try (ApiKeyServer api = new ApiKeyServer("X-Key", apiKey)) {
            enableEvents("FEDERATED_IDENTITY_LINK", "FEDERATED_IDENTITY_LINK_ERROR");
            String alice = realm.alice();
            assertEquals(201, create(alice, body("svc", null, "api_key", Map.of("api_key", apiKey, "base_url", api.url(),
                    "header", "X-Key"))).status());
            assertEquals("unknown", health(alice, "svc").get("status").asText());
            Connect.connect(realm, alice, "keycloak", "kc", realm.upstreamUser());
            probe();
            assertEquals("healthy", health(alice, "svc").get("status").asText());
            JsonNode first = realm.admin().get("/" + realm.name + "/connect/health").json();
            assertEquals(1, first.get("summary").get("connection").get("healthy").asInt(), () -> "the OAuth connection: " + first);
            JsonNode listed = Http.get(realm.url("/connect/connections"), alice).json().get("connections").get(0);
            assertEquals("healthy", listed.get("health").get("status").asText(), listed::toString);
            api.failing = true;
            probe();
            probe();
            JsonNode two = health(alice, "svc");
            assertEquals("healthy", two.get("status").asText(), "two failures are not yet unhealthy");
            assertEquals(2, two.get("consecutive_failures").asInt());
            assertEquals("http_503: HTTP 503", two.get("last_error").asText());
            probe();
            assertEquals("unhealthy", health(alice, "svc").get("status").asText());
            JsonNode summary = realm.admin().get("/" + realm.name + "/connect/health").json();
            assertEquals(1, summary.get("summary").get("credential").get("unhealthy").asInt(), summary::toString);
            assertEquals("svc", summary.get("unhealthy").get(0).get("connection_id").asText());
            api.failing = false;
            probe();
            assertEquals("healthy", health(alice, "svc").get("status").asText(), "one success is enough");
            List<String> transitions = realm.admin().events(realm.name, "FEDERATED_IDENTITY_LINK").stream()
                    .map(e -> e.path("details").path("connect_event").asText()).filter(s -> s.startsWith("health_")).toList();
            List<String> errors = realm.admin().events(realm.name, "FEDERATED_IDENTITY_LINK_ERROR").stream()
                    .map(e -> e.path("details").path("connect_event").asText()).filter(s -> s.startsWith("health_")).toList();
            assertEquals(3, transitions.size(), () -> "svc twice, the OAuth connection once: " + transitions);
            assertEquals(List.of("health_unhealthy"), errors);
            assertEquals(403, Http.get(TestServer.get().baseUrl() + "/admin/realms/" + realm.name + "/connect/health", alice)
                    .status(), "the summary is for admins");
        }
    }

    @Test
    @DisplayName("admin API: an admin stores a credential for alice (her apps may reveal it) and for a client's service"
            + " account (that client reads it); a view-only admin reads but cannot write")
    void adminApi() {
        String aliceId = realm.admin().get("/" + realm.name + "/users?username=alice&exact=true").json().get(0).get("id").asText();
        String secret = key();
        Http.Resp made = realm.admin().post("/" + realm.name + "/connect/users/" + aliceId + "/credentials",
                body("ops-key", null, "bearer", Map.of("token", secret, "base_url", "https://api.example.com")));
        assertEquals(201, made.status(), made::toString);
        assertFalse(made.body().contains(secret));
        assertEquals(secret, Http.get(url("/ops-key/secrets/token"), realm.alice()).json().get("value").asText());

        String backend = realm.admin().client(realm.name, "demo-other").get("id").asText();
        Http.Resp forClient = realm.admin().post("/" + realm.name + "/connect/clients/" + backend + "/credentials",
                body("smtp-relay", null, "smtp", Map.of("host", "smtp.example.com", "port", "587")));
        assertEquals(201, forClient.status(), forClient::toString);
        String other = realm.serviceToken("demo-other", "demo-other-secret");
        assertEquals(1, Http.get(url(""), other).json().get("credentials").size());
        assertEquals("smtp.example.com", Http.get(url("/smtp-relay/secrets/host"), other).json().get("value").asText());
        assertEquals(404, Http.get(url("/smtp-relay"), realm.alice()).status());

        realm.realmAdmin("viewer", "view-users");
        String viewer = realm.userToken("viewer", "viewer");
        String base = TestServer.get().baseUrl() + "/admin/realms/" + realm.name + "/connect/users/" + aliceId + "/credentials";
        assertEquals(200, Http.get(base, viewer).status());
        assertEquals(403, Http.sendJson("POST", base, body("v", null, "bearer", Map.of("token", "t",
                "base_url", "https://api.example.com")), viewer).status());
        assertEquals(403, Http.delete(base + "/ops-key", viewer).status());
    }

    @Test
    @DisplayName("max-connections-per-type: the 101st api_key of one person is refused (connection_limit); another type is not")
    void perTypeCap() {
        String alice = realm.alice();
        for (int i = 0; i < 100; i++) {
            assertEquals(201, create(alice, body("k" + i, "openai", "api_key", Map.of("api_key", "sk-" + i))).status());
        }
        Http.Resp over = create(alice, body("k100", "openai", "api_key", Map.of("api_key", "sk-x")));
        assertEquals(403, over.status(), over::toString);
        assertEquals("connection_limit", over.json().get("error").asText());
        assertEquals(201, create(alice, body("b1", null, "bearer", Map.of("token", "t", "base_url", "https://api.example.com"))).status());
    }

    @Test
    @DisplayName("key rotation: a credential under the old key still reveals; the re-wrap moves its secret fields;"
            + " then the old key can go")
    void keyRotation() throws Exception {
        String newKey = SecretLedger.note(java.util.Base64.getEncoder().encodeToString(
                "credential-rotation-key-32-bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String secret = key();
        assertEquals(201, create(realm.alice(), body("rot", null, "basic", Map.of("username", "u", "password", secret,
                "base_url", "https://api.example.com"))).status());
        try {
            TestServer.restartWith(Map.of("CONNECT_TOKEN_ENCRYPTION_KEY", newKey,
                    "CONNECT_TOKEN_ENCRYPTION_OLD_KEYS", TestServer.ENCRYPTION_KEY));
            assertEquals(secret, Http.get(url("/rot/secrets/password"), realm.alice()).json().get("value").asText());
            JsonNode status = realm.admin().get("/" + realm.name + "/connect/encryption").json();
            assertEquals(1, status.get("credentials_on_older_keys").asInt(), status::toString);
            assertFalse(status.get("done").asBoolean(), status::toString);
            Http.Resp moved = realm.admin().post("/" + realm.name + "/connect/encryption/rewrap", Map.of());
            assertTrue(moved.json().get("done").asBoolean(), moved::toString);
            TestServer.restartWith(Map.of("CONNECT_TOKEN_ENCRYPTION_KEY", newKey));
            assertEquals(secret, Http.get(url("/rot/secrets/password"), realm.alice()).json().get("value").asText(),
                    "read with the new key alone");
        } finally {
            TestServer.restoreDefaults();
        }
    }

    private static boolean reachable(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String column(String realmName, String connectionId, String column) throws Exception {
        try (Connection c = TestServer.get().jdbc();
             PreparedStatement ps = c.prepareStatement("select cc." + column + " from CONNECT_CREDENTIAL cc join REALM r"
                     + " on r.ID = cc.REALM_ID where r.NAME = ? and cc.CONNECTION_ID = ?")) {
            ps.setString(1, realmName);
            ps.setString(2, connectionId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "row stored");
                return rs.getString(1);
            }
        }
    }
}
