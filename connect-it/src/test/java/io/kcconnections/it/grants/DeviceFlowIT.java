package io.kcconnections.it.grants;

import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.harness.Browser;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device authorization grant (RFC 8628) against the upstream realm, which implements it: the app starts it, the
 * person approves the user code on the upstream's real pages, Keycloak's poller (or the app's status reads) picks
 * up the tokens.
 */
class DeviceFlowIT {

    @FreshRealm
    private TestRealm realm;

    private Http.Resp start(String bearer, String provider, String cid) {
        return Http.postForm(realm.url("/connect/device"), Map.of("provider", provider, "connection_id", cid), bearer);
    }

    private JsonNode status(String bearer, String cid) {
        Http.Resp r = Http.get(realm.url("/connect/connections/" + cid), bearer);
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    /** Reads the status (each read may poll the provider) until {@code done} holds, for up to 40 seconds. */
    private JsonNode awaitStatus(String bearer, String cid, Predicate<JsonNode> done) throws InterruptedException {
        long until = System.currentTimeMillis() + 40_000;
        JsonNode s = status(bearer, cid);
        while (!done.test(s) && System.currentTimeMillis() < until) {
            Thread.sleep(1000);
            s = status(bearer, cid);
        }
        return s;
    }

    @Test
    @DisplayName("device flow: user code approved on the upstream's pages; pending, then active; the token works upstream")
    void approved() throws Exception {
        String alice = realm.alice();
        String[] person = realm.upstreamUser();
        Http.Resp started = start(alice, "keycloak", "tv");
        assertEquals(200, started.status(), started::toString);
        JsonNode d = started.json();
        assertEquals("pending", d.get("status").asText());
        assertEquals("tv", d.get("connection_id").asText());
        String userCode = d.get("user_code").asText();
        String verification = d.get("verification_uri").asText();
        assertTrue(verification.startsWith(TestServer.baseUrl() + "/realms/upstream/device"), verification);
        assertTrue(d.get("interval").asInt() >= 1);
        assertFalse(d.has("device_code"), "the device code stays in Keycloak");

        Map<String, Object> row = Db.row(realm.name, "tv");
        assertEquals("pending", row.get("STATUS"));
        assertEquals("device_code", row.get("GRANT_TYPE"));
        assertNotNull(row.get("PENDING_GRANT"), "the device code is stored");
        assertFalse(row.get("PENDING_GRANT").toString().contains(userCode), "encrypted");
        assertNull(row.get("ACCESS_TOKEN"));

        Http.Resp early = Connect.token(realm, alice, "tv", "keycloak");
        assertEquals(409, early.status(), early::toString);
        assertEquals("authorization_pending", early.json().get("error").asText());
        assertEquals("pending", status(alice, "tv").get("status").asText());
        assertEquals(404, Http.get(realm.url("/connect/connections/tv"), realm.bob()).status(), "bob cannot see it");

        Browser b = new Browser(TestServer.baseUrl());
        Browser.Page done = b.answerDevice(verification, userCode, person[0], person[1], true);
        assertEquals(200, done.status(), () -> "device approval ended at " + done.url() + ": " + Browser.text(done));

        JsonNode s = awaitStatus(alice, "tv", n -> !"pending".equals(n.get("status").asText()));
        assertEquals("active", s.get("status").asText(), s::toString);
        assertEquals("device_code", s.get("grant_type").asText());
        Http.Resp t = Connect.token(realm, alice, "tv", "keycloak");
        assertEquals(200, t.status(), t::toString);
        Http.Resp userinfo = Http.get(TestServer.baseUrl() + "/realms/upstream/protocol/openid-connect/userinfo",
                t.json().get("token").asText());
        assertEquals(200, userinfo.status(), userinfo::toString);
        assertEquals(person[0], userinfo.json().get("preferred_username").asText());
        Map<String, Object> after = Db.row(realm.name, "tv");
        assertNull(after.get("PENDING_GRANT"), "the device code is gone once used");
        assertNotNull(after.get("REFRESH_TOKEN"), "refreshable like any connection");

        // It refreshes like any other connection.
        Db.expireIn(realm.name, "tv", 5);
        Http.Resp refreshed = Connect.token(realm, alice, "tv", "keycloak");
        assertEquals(200, refreshed.status(), refreshed::toString);
        assertFalse(refreshed.json().get("token").asText().equals(t.json().get("token").asText()), "a new token");

        // An active connection is not restarted by a device flow; another person cannot take its id.
        Http.Resp again = start(alice, "keycloak", "tv");
        assertEquals(409, again.status(), again::toString);
        assertEquals("connection_active", again.json().get("error").asText());
        Http.Resp bobs = start(realm.bob(), "keycloak", "tv");
        assertEquals(403, bobs.status(), bobs::toString);
        assertEquals("connection_id_in_use", bobs.json().get("error").asText());
        assertEquals("active", Db.row(realm.name, "tv").get("STATUS"), "unchanged");
    }

    @Test
    @DisplayName("device flow: the person says no; the connection fails with access_denied and serves no token")
    void denied() throws Exception {
        String alice = realm.alice();
        String[] person = realm.upstreamUser();
        JsonNode d = start(alice, "keycloak", "no-tv").json();
        new Browser(TestServer.baseUrl()).answerDevice(d.get("verification_uri").asText(), d.get("user_code").asText(),
                person[0], person[1], false);
        JsonNode s = awaitStatus(alice, "no-tv", n -> !"pending".equals(n.get("status").asText()));
        assertEquals("failed", s.get("status").asText(), s::toString);
        assertEquals("access_denied", s.get("status_reason").asText());
        Http.Resp t = Connect.token(realm, alice, "no-tv", "keycloak");
        assertEquals(409, t.status());
        assertEquals("connection_failed", t.json().get("error").asText());
        assertNull(Db.row(realm.name, "no-tv").get("PENDING_GRANT"));
        // Starting again reuses the connection id.
        Http.Resp again = start(alice, "keycloak", "no-tv");
        assertEquals(200, again.status(), again::toString);
        assertEquals("pending", status(alice, "no-tv").get("status").asText());
    }

    @Test
    @DisplayName("device flow: polling faster than the interval earns slow_down, and the poller slows down by 5 s")
    void slowDown() throws Exception {
        String alice = realm.alice();
        start(alice, "keycloak", "slow");
        Object id = Db.row(realm.name, "slow").get("ID");
        int interval = ((Number) Db.row(realm.name, "slow").get("POLL_INTERVAL")).intValue();
        // Polls in quick succession: the upstream answers the second with slow_down. The background poller may take
        // any of them (a leased row is never polled twice at once), so each round waits for the poll in flight.
        long before = System.currentTimeMillis();
        Map<String, Object> row = Db.row(realm.name, "slow");
        for (int round = 0; round < 6 && ((Number) row.get("POLL_INTERVAL")).intValue() == interval; round++) {
            Db.update("update CONNECT_CONNECTION set REFRESH_AT = ? where ID = ?", System.currentTimeMillis() - 1000, id);
            status(alice, "slow");
            row = awaitUnleased();
        }
        assertEquals("pending", row.get("STATUS"));
        assertNull(row.get("LEASE_OWNER"), "the poll in flight finished: " + row);
        int slowed = ((Number) row.get("POLL_INTERVAL")).intValue();
        assertTrue(slowed > interval && (slowed - interval) % 5 == 0, "slowed down in steps of 5 s: " + row);
        assertTrue(((Number) row.get("REFRESH_AT")).longValue() >= before + (slowed - 2) * 1000L,
                "the next poll waits the longer interval");
    }

    private Map<String, Object> awaitUnleased() throws Exception {
        Map<String, Object> row = Db.row(realm.name, "slow");
        for (long until = System.currentTimeMillis() + 20_000; row.get("LEASE_OWNER") != null && System.currentTimeMillis() < until; ) {
            Thread.sleep(100);
            row = Db.row(realm.name, "slow");
        }
        return row;
    }

    @Test
    @DisplayName("device flow: refused without a token, for a service account, for a provider without it; nothing stored")
    void refusals() throws Exception {
        assertEquals(401, start(null, "keycloak", "x1").status());
        Http.Resp svc = start(realm.serviceToken("demo-backend", "demo-backend-secret"), "keycloak", "x2");
        assertEquals(403, svc.status(), svc::toString);
        Http.Resp none = start(realm.alice(), "acme", "x3");
        assertEquals(400, none.status(), none::toString);
        assertEquals("unsupported_grant_type", none.json().get("error").asText());
        Http.Resp bad = start(realm.alice(), "keycloak", "bad id!");
        assertEquals(400, bad.status());
        assertEquals(0, Db.count(realm.name));
    }
}
