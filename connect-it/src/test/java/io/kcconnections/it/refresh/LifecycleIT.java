package io.kcconnections.it.refresh;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import io.kcconnections.it.harness.Vault;
import io.kcconnections.it.fakes.FaultProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection's life under a misbehaving provider: provider {@code flaky} is the upstream realm with a
 * fault-injecting proxy in front of its token endpoint. The background timer is off here; passes are run through
 * the admin API so that the test decides when.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleIT {

    private FaultProxy proxy;
    private TestRealm realm;
    private String[] person;
    private String alice;
    private String t0;

    @BeforeAll
    void setUp() throws Exception {
        String base = TestServer.baseUrl();
        String oidc = base + "/realms/upstream/protocol/openid-connect";
        proxy = new FaultProxy(oidc + "/token");
        TestServer.restartWith(Map.ofEntries(
                Map.entry("CONNECT_PROVIDERS", "acme,flaky"),
                Map.entry("CONNECT_FLAKY_AUTHORIZE_URL", oidc + "/auth"),
                Map.entry("CONNECT_FLAKY_TOKEN_URL", proxy.url()),
                Map.entry("CONNECT_FLAKY_USERINFO_URL", oidc + "/userinfo"),
                Map.entry("CONNECT_FLAKY_REVOKE_URL", oidc + "/revoke"),
                Map.entry("CONNECT_FLAKY_CLIENT_ID", TestServer.UPSTREAM_CLIENT),
                Map.entry("CONNECT_FLAKY_CLIENT_SECRET", TestServer.UPSTREAM_SECRET),
                Map.entry("CONNECT_FLAKY_SCOPES", "openid profile"),
                Map.entry("CONNECT_REFRESH_INTERVAL_SECONDS", "0"),
                Map.entry("CONNECT_CLEANUP_INTERVAL_SECONDS", "5")));
        realm = TestRealm.create();
        alice = realm.alice();
        person = realm.upstreamUser();
        assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "flaky", "f1", person), "success"));
        t0 = Connect.token(realm, alice, "f1", "flaky").json().get("token").asText();
    }

    @AfterAll
    void tearDown() throws Exception {
        proxy.close();
        realm.close();
        TestServer.restoreDefaults();
    }

    private JsonNode state(String cid) {
        Http.Resp r = Http.get(realm.url("/connect/connections/" + cid + "?provider=flaky"), realm.alice());
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    /** Due (within the 30 s margin) but still valid, and outside any backoff. */
    private void makeDue(String cid) throws Exception {
        Map<String, Object> row = Db.row(realm.name, cid);
        long now = System.currentTimeMillis();
        Db.update("update CONNECT_CONNECTION set EXPIRES_AT = ?, REFRESH_AT = ? where ID = ?", now + 20_000, now - 1000, row.get("ID"));
    }

    @Test
    @Order(1)
    @DisplayName("5xx, silence, garbage and 429: tokens kept, status degraded with the reason, backoff honoured (Retry-After too)")
    void transientFaults() throws Exception {
        String refreshBefore = Vault.decrypt(Db.row(realm.name, "f1"), "REFRESH_TOKEN");
        Object[][] faults = {{FaultProxy.Mode.ERROR_500, "http_500"}, {FaultProxy.Mode.TIMEOUT, "timeout"},
                {FaultProxy.Mode.GARBAGE, "invalid_response"}, {FaultProxy.Mode.RATE_LIMIT, "rate_limited"}};
        int k = 0;
        for (Object[] f : faults) {
            k++;
            proxy.mode = (FaultProxy.Mode) f[0];
            makeDue("f1");
            int hits = proxy.hits.get();
            Http.Resp r = Connect.token(realm, alice, "f1", "flaky");
            assertEquals(200, r.status(), () -> f[0] + ": " + r);
            assertEquals(t0, r.json().get("token").asText(), "the still-valid token is served");
            assertEquals("degraded", r.json().get("status").asText());
            assertEquals(hits + 1, proxy.hits.get(), "one provider call");
            JsonNode st = state("f1");
            assertEquals("degraded", st.get("status").asText());
            assertEquals(f[1], st.get("status_reason").asText());
            assertEquals(k, st.get("failure_count").asInt());
            assertFalse(st.toString().contains(t0), "no token in the connection view");

            Map<String, Object> row = Db.row(realm.name, "f1");
            assertEquals(t0, Vault.decrypt(row, "ACCESS_TOKEN"), "access token kept");
            assertEquals(refreshBefore, Vault.decrypt(row, "REFRESH_TOKEN"), "refresh token kept");
            long wait = ((Number) row.get("REFRESH_AT")).longValue() - System.currentTimeMillis();
            if (f[0] == FaultProxy.Mode.RATE_LIMIT) {
                assertTrue(wait > 110_000, "Retry-After: 120 honoured, next try in " + wait);
            } else {
                long base = 30_000L << (k - 1);
                assertTrue(wait > base * 0.75 && wait < base * 1.25, "exponential backoff " + wait + " for attempt " + k);
            }
            // Within the backoff, reads do not call the provider again.
            assertEquals(200, Connect.token(realm, alice, "f1", "flaky").status());
            assertEquals(hits + 1, proxy.hits.get(), "backoff: no call while it lasts");
        }
        // Expired and in backoff: a clear 502 with Retry-After, still no provider call.
        int hits = proxy.hits.get();
        Db.update("update CONNECT_CONNECTION set EXPIRES_AT = ? where ID = ?", System.currentTimeMillis() - 1000, Db.row(realm.name, "f1").get("ID"));
        Http.Resp expired = Connect.token(realm, alice, "f1", "flaky");
        assertEquals(502, expired.status(), expired::toString);
        assertEquals("refresh_failed", expired.json().get("error").asText());
        assertNotNull(expired.header("Retry-After"));
        assertEquals(hits, proxy.hits.get());
        List<JsonNode> events = realm.admin().events(realm.name, "FEDERATED_IDENTITY_LINK_ERROR");
        assertEquals(4, events.stream().filter(e -> "refresh_failed".equals(e.at("/details/connect_event").asText())).count(), events.toString());
    }

    @Test
    @Order(2)
    @DisplayName("when the provider recovers, the next refresh brings the connection back to active, with an event")
    void recovery() throws Exception {
        proxy.mode = FaultProxy.Mode.PASS;
        makeDue("f1");
        Http.Resp r = Connect.token(realm, alice, "f1", "flaky");
        assertEquals(200, r.status(), r::toString);
        assertNotEquals(t0, r.json().get("token").asText());
        JsonNode st = state("f1");
        assertEquals("active", st.get("status").asText());
        assertEquals(0, st.get("failure_count").asInt());
        assertTrue(realm.admin().events(realm.name, "FEDERATED_IDENTITY_LINK").stream()
                .anyMatch(e -> "recovered".equals(e.at("/details/connect_event").asText())), "recovered event");
    }

    @Test
    @Order(3)
    @DisplayName("a background pass refreshes what is due, and only that; failures there degrade the same way")
    void backgroundPass() throws Exception {
        assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "flaky", "f2", realm.upstreamUser()), "success"));
        String fresh = Connect.token(realm, alice, "f2", "flaky").json().get("token").asText();
        Thread.sleep(1100);
        proxy.mode = FaultProxy.Mode.ERROR_500;
        makeDue("f1");
        JsonNode pass = realm.admin().post("/" + realm.name + "/connect/refresh", Map.of()).json();
        assertEquals(1, pass.get("claimed").asInt(), pass.toString());
        assertEquals(1, pass.get("failed").asInt(), pass.toString());
        assertEquals("degraded", state("f1").get("status").asText());

        proxy.mode = FaultProxy.Mode.PASS;
        makeDue("f1");
        pass = realm.admin().post("/" + realm.name + "/connect/refresh", Map.of()).json();
        assertEquals(1, pass.get("refreshed").asInt(), pass.toString());
        assertEquals("active", state("f1").get("status").asText());
        assertEquals(fresh, Connect.token(realm, alice, "f2", "flaky").json().get("token").asText(), "f2 was not due: untouched");
        Map<String, Object> row = Db.row(realm.name, "f1");
        assertEquals(null, row.get("LEASE_OWNER"), "no lease left behind");
    }

    @Test
    @Order(4)
    @DisplayName("invalid_grant after the upstream revoked the grant: needs_reauth (409) and an event; reconnect keeps the id")
    void invalidGrantThenReconnect() throws Exception {
        String rowId = (String) Db.row(realm.name, "f1").get("ID");
        String upstreamUser = realm.admin().get("/upstream/users?exact=true&username=" + person[0]).json().get(0).get("id").asText();
        assertEquals(204, realm.admin().post("/upstream/users/" + upstreamUser + "/logout", Map.of()).status());
        Thread.sleep(1100);
        makeDue("f1");
        Http.Resp r = Connect.token(realm, alice, "f1", "flaky");
        assertEquals(409, r.status(), r::toString);
        assertEquals("needs_reauth", r.json().get("error").asText());
        assertEquals("needs_reauth", state("f1").get("status").asText());
        int hits = proxy.hits.get();
        assertEquals(409, Connect.token(realm, alice, "f1", "flaky").status());
        assertEquals(hits, proxy.hits.get(), "a dead grant is not retried");
        assertTrue(realm.admin().events(realm.name, "FEDERATED_IDENTITY_LINK_ERROR").stream()
                .anyMatch(e -> "needs_reauth".equals(e.get("error").asText())), "needs_reauth event");

        assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "flaky", "f1", person), "success"));
        assertEquals("active", state("f1").get("status").asText());
        assertEquals(rowId, Db.row(realm.name, "f1").get("ID"), "same connection after reconnect");
        assertEquals(200, Connect.token(realm, alice, "f1", "flaky").status());
    }

    @Test
    @Order(5)
    @DisplayName("DELETE revokes at the provider (the token fails introspection there) and removes the row")
    void revokeOnDelete() throws Exception {
        assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "keycloak", "rv", realm.upstreamUser()), "success"));
        String token = Connect.token(realm, alice, "rv", "keycloak").json().get("token").asText();
        assertTrue(introspect(token), "active before");
        Http.Resp d = Http.delete(realm.url("/connect/connections/rv?provider=keycloak"), alice);
        assertEquals(204, d.status(), d::toString);
        assertFalse(introspect(token), "revoked at the upstream");
        assertEquals(null, Db.row(realm.name, "rv"));
        assertEquals(404, Http.delete(realm.url("/connect/connections/rv?provider=keycloak"), alice).status());
        assertTrue(realm.admin().events(realm.name, "REMOVE_FEDERATED_IDENTITY").stream()
                .anyMatch(e -> "revoked".equals(e.at("/details/revoked").asText())));
    }

    private boolean introspect(String token) {
        Http.Resp r = Http.postForm(TestServer.baseUrl() + "/realms/upstream/protocol/openid-connect/token/introspect",
                Map.of("token", token, "client_id", "upstream-api", "client_secret", "upstream-api-secret"), null);
        assertEquals(200, r.status(), r::toString);
        return r.json().get("active").asBoolean();
    }

    @Test
    @Order(6)
    @DisplayName("listing shows state, never a token; bob cannot list, read or delete alice's; readers may list")
    void listingAndUsers() {
        String aliceNow = realm.alice();
        Http.Resp list = Http.get(realm.url("/connect/connections"), aliceNow);
        assertEquals(200, list.status());
        JsonNode conns = list.json().get("connections");
        assertTrue(conns.size() >= 2, list.toString());
        String token = Connect.token(realm, aliceNow, "f1", "flaky").json().get("token").asText();
        assertFalse(list.body().contains(token));
        assertFalse(list.body().contains("\"token\""));
        for (JsonNode c : conns) {
            assertNotNull(c.get("status"));
        }
        String bob = realm.bob();
        assertEquals(0, Http.get(realm.url("/connect/connections"), bob).json().get("connections").size());
        assertEquals(404, Http.get(realm.url("/connect/connections/f1?provider=flaky"), bob).status(), "not bob's: as if missing");
        assertEquals(404, Http.delete(realm.url("/connect/connections/f1?provider=flaky"), bob).status());
        assertNotNull(Db.rowQuiet(realm.name, "f1"), "still there");
        assertEquals(401, Http.get(realm.url("/connect/connections"), null).status());
        assertEquals(403, Http.get(realm.url("/connect/connections?user_id=" + userId("alice")), bob).status());
        String reader = realm.serviceToken("demo-backend", "demo-backend-secret");
        assertEquals(200, Http.get(realm.url("/connect/connections?user_id=" + userId("alice")), reader).status());
        assertEquals(403, Http.get(realm.url("/connect/connections?user_id=" + userId("alice")),
                realm.serviceToken("demo-other", "demo-other-secret")).status());
        assertEquals(403, Http.delete(realm.url("/connect/connections/f1?provider=flaky"), reader).status(), "readers read, never delete");
    }

    private String userId(String username) {
        return realm.admin().get("/" + realm.name + "/users?exact=true&username=" + username).json().get(0).get("id").asText();
    }

    /** A person of the test realm holding some realm-management roles; returns an admin-cli token of theirs. */
    private String realmAdmin(String username, String... roles) {
        String id = realm.admin().createUser(realm.name, username, "pw-" + username);
        JsonNode rm = realm.admin().client(realm.name, "realm-management");
        ArrayNode reps = Http.JSON.createArrayNode();
        for (String role : roles) {
            reps.add(realm.admin().get("/" + realm.name + "/clients/" + rm.get("id").asText() + "/roles/" + role).json());
        }
        assertEquals(204, realm.admin().post("/" + realm.name + "/users/" + id + "/role-mappings/clients/" + rm.get("id").asText(), reps).status());
        Http.Resp t = Http.postForm(realm.url("/protocol/openid-connect/token"), Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", username, "password", "pw-" + username), null);
        assertEquals(200, t.status(), t::toString);
        return SecretLedger.note(t.json().get("access_token").asText());
    }

    @Test
    @Order(7)
    @DisplayName("admin API: Keycloak's user permissions decide (view-realm alone: 403; view-users: read; manage-users: delete)")
    void adminPermissions() {
        String base = TestServer.baseUrl() + "/admin/realms/" + realm.name + "/connect";
        String alice = userId("alice");
        String viewRealm = realmAdmin("ops-realm", "view-realm");
        String viewUsers = realmAdmin("ops-view", "view-users");
        String manageUsers = realmAdmin("ops-manage", "manage-users", "view-users");
        assertEquals(401, Http.get(base + "/users/" + alice + "/connections", null).status());
        assertEquals(403, Http.get(base + "/users/" + alice + "/connections", viewRealm).status());
        assertEquals(403, Http.get(base + "/connections", viewRealm).status());
        Http.Resp seen = Http.get(base + "/users/" + alice + "/connections", viewUsers);
        assertEquals(200, seen.status(), seen::toString);
        assertTrue(seen.body().contains("\"f1\""));
        assertFalse(seen.body().contains("\"token\""));
        assertEquals(200, Http.get(base + "/connections?status=active", viewUsers).status());
        assertEquals(400, Http.get(base + "/connections?status=bogus", viewUsers).status());
        assertEquals(403, Http.delete(base + "/users/" + alice + "/connections/f2?provider=flaky", viewUsers).status());
        assertEquals(403, Http.postForm(base + "/refresh", Map.of(), viewUsers).status());
        assertEquals(204, Http.delete(base + "/users/" + alice + "/connections/f2?provider=flaky", manageUsers).status());
        assertEquals(null, Db.rowQuiet(realm.name, "f2"));
        assertEquals(404, Http.get(base + "/users/nobody/connections", viewUsers).status());
    }

    @Test
    @Order(8)
    @DisplayName("cleanup removes connections left unusable past the retention period, and only those")
    void cleanup() throws Exception {
        assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "flaky", "dead", realm.upstreamUser()), "success"));
        assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "flaky", "recently-dead", realm.upstreamUser()), "success"));
        long longAgo = System.currentTimeMillis() - 31L * 86_400_000;
        Db.update("update CONNECT_CONNECTION set STATUS = 'needs_reauth', LAST_ERROR_AT = ? where ID = ?", longAgo,
                Db.row(realm.name, "dead").get("ID"));
        Db.update("update CONNECT_CONNECTION set STATUS = 'needs_reauth', LAST_ERROR_AT = ? where ID = ?",
                System.currentTimeMillis(), Db.row(realm.name, "recently-dead").get("ID"));
        long deadline = System.currentTimeMillis() + 30_000;
        while (Db.row(realm.name, "dead") != null && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
        }
        assertEquals(null, Db.row(realm.name, "dead"), "removed by the cleanup task");
        assertNotNull(Db.row(realm.name, "recently-dead"), "kept within the retention period");
        assertNotNull(Db.row(realm.name, "f1"), "healthy connections untouched");
    }

    @Test
    @Order(9)
    @DisplayName("metrics on the management port: refresh outcomes per provider, token reads, connections per status")
    void metrics() {
        Http.Resp m = Http.get(TestServer.get().managementUrl() + "/metrics", null);
        assertEquals(200, m.status());
        String text = m.body();
        assertTrue(text.lines().anyMatch(l -> l.startsWith("kc_connect_refresh_total") && l.contains("provider=\"flaky\"")
                && l.contains("outcome=\"transient_failure\"")), "refresh outcomes");
        assertTrue(text.lines().anyMatch(l -> l.startsWith("kc_connect_refresh_total") && l.contains("outcome=\"success\"")));
        assertTrue(text.contains("kc_connect_refresh_duration_seconds_bucket"), "latency histogram");
        assertTrue(text.lines().anyMatch(l -> l.startsWith("kc_connect_token_reads_total") && l.contains("outcome=\"served\"")));
        assertTrue(text.lines().anyMatch(l -> l.startsWith("kc_connect_connections") && l.contains("status=\"active\"")));
    }

    @Test
    @Order(10)
    @DisplayName("a background refresh whose lease another node took over meanwhile writes nothing back")
    void leaseTakenOverMeanwhile() throws Exception {
        makeDue("f1");
        Map<String, Object> before = Db.row(realm.name, "f1");
        int heldBefore = proxy.held.get();
        proxy.mode = FaultProxy.Mode.HOLD;
        CompletableFuture<JsonNode> pass = CompletableFuture.supplyAsync(
                () -> realm.admin().post("/" + realm.name + "/connect/refresh", Map.of()).json());
        long deadline = System.currentTimeMillis() + 20_000;
        while (proxy.held.get() == heldBefore && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(heldBefore + 1, proxy.held.get(), "the pass is waiting for the provider");
        // Meanwhile its lease ended and another node claimed the row (as after a long stall).
        Db.update("update CONNECT_CONNECTION set LEASE_OWNER = ?, LEASE_UNTIL = ? where ID = ?", "other-node",
                System.currentTimeMillis() + 60_000, before.get("ID"));
        proxy.forwardHeld();
        JsonNode r = pass.get(30, TimeUnit.SECONDS);
        assertEquals(1, r.get("claimed").asInt(), r.toString());
        assertEquals(0, r.get("refreshed").asInt(), r.toString());
        assertEquals(1, r.get("skipped").asInt(), "counted as left for later: " + r);
        Map<String, Object> after = Db.row(realm.name, "f1");
        assertEquals("other-node", after.get("LEASE_OWNER"), "the other node's lease stands");
        assertEquals(before.get("ACCESS_TOKEN"), after.get("ACCESS_TOKEN"), "the discarded result was not written");
        assertEquals(before.get("REFRESH_TOKEN"), after.get("REFRESH_TOKEN"));
        assertEquals(before.get("LAST_REFRESH_AT"), after.get("LAST_REFRESH_AT"));
    }
}
