package io.kcconnections.it.connect;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import io.kcconnections.it.harness.Vault;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upstream realm rotates refresh tokens (max reuse 0) and issues 120 s access tokens; the test server refreshes
 * within 30 s of expiry. Time passing is simulated by moving the stored expiry.
 */
class RefreshOnReadIT {

    @FreshRealm
    private TestRealm realm;

    @Test
    @DisplayName("a fresh token is served as is; near expiry a read refreshes once and stores the rotated refresh token")
    void refreshOnRead() throws Exception {
        String alice = realm.alice();
        String[] person = realm.upstreamUser();
        assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "keycloak", "c1", person), "success"));
        String upstreamUserId = realm.admin().get("/upstream/users?exact=true&username=" + person[0]).json().get(0).get("id").asText();

        JsonNode first = Connect.token(realm, alice, "c1", "keycloak").json();
        JsonNode again = Connect.token(realm, alice, "c1", "keycloak").json();
        assertEquals(first.get("token").asText(), again.get("token").asText(), "a fresh token must not be refreshed");
        assertEquals(0, refreshEvents(upstreamUserId));
        Map<String, Object> before = Db.row(realm.name, "c1");
        String refresh1 = Vault.decrypt(before, "REFRESH_TOKEN");

        // Keycloak's stale-refresh-token check compares issue times in whole seconds: keep the steps a second apart.
        Thread.sleep(1100);
        Db.expireIn(realm.name, "c1", 10);
        JsonNode refreshed = Connect.token(realm, alice, "c1", "keycloak").json();
        assertNotEquals(first.get("token").asText(), refreshed.get("token").asText());
        assertTrue(Instant.parse(refreshed.get("expires_at").asText()).isAfter(Instant.now().plusSeconds(60)));
        assertEquals(1, refreshEvents(upstreamUserId), "exactly one refresh at the upstream");
        Map<String, Object> after = Db.row(realm.name, "c1");
        String refresh2 = Vault.decrypt(after, "REFRESH_TOKEN");
        assertNotEquals(refresh1, refresh2, "the rotated refresh token is stored");
        assertEquals("active", after.get("STATUS"));
        assertTrue(((Number) after.get("LAST_REFRESH_AT")).longValue() > ((Number) before.get("LAST_REFRESH_AT")).longValue());

        // The stored (rotated) refresh token keeps working: a second expiry refreshes again.
        Thread.sleep(1100);
        Db.expireIn(realm.name, "c1", 5);
        JsonNode third = Connect.token(realm, alice, "c1", "keycloak").json();
        assertNotEquals(refreshed.get("token").asText(), third.get("token").asText());
        assertEquals(2, refreshEvents(upstreamUserId));
        Http.Resp userinfo = Http.get(TestServer.baseUrl() + "/realms/upstream/protocol/openid-connect/userinfo",
                third.get("token").asText());
        assertEquals(200, userinfo.status());

        // And the first refresh token is dead at the upstream: the rotation really happened.
        Http.Resp reuse = Http.postForm(TestServer.baseUrl() + "/realms/upstream/protocol/openid-connect/token",
                Map.of("grant_type", "refresh_token", "refresh_token", refresh1, "client_id", TestServer.UPSTREAM_CLIENT,
                        "client_secret", TestServer.UPSTREAM_SECRET), null);
        assertEquals(400, reuse.status(), reuse::toString);
        assertEquals("invalid_grant", reuse.json().get("error").asText());
    }

    private int refreshEvents(String upstreamUserId) {
        return realm.admin().get("/upstream/events?type=REFRESH_TOKEN&user=" + upstreamUserId + "&max=100").json().size();
    }
}
