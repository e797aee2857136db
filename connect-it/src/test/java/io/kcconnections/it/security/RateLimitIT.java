package io.kcconnections.it.security;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.TestRealm;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rate limits (token buckets per node): per connection, per user and per client, connect starts; set per realm and
 * per provider with realm attributes; 429 {@code rate_limited} with {@code Retry-After}, nothing done. The per-node
 * semantics on two nodes: {@code ClusterIT.rateLimitsArePerNode}.
 */
class RateLimitIT {

    @FreshRealm
    private TestRealm realm;

    private void limit(Map<String, String> attributes) {
        ObjectNode rep = Http.JSON.createObjectNode();
        ObjectNode a = rep.putObject("attributes");
        attributes.forEach(a::put);
        assertEquals(204, realm.admin().put("/" + realm.name, rep).status());
    }

    private static void assertLimited(Http.Resp r) {
        assertEquals(429, r.status(), r::toString);
        assertEquals("rate_limited", r.json().get("error").asText(), r::toString);
        assertTrue(Integer.parseInt(r.header("Retry-After")) >= 1, r::toString);
        assertEquals(null, r.json().get("token"), "no token with a refusal");
    }

    @Test
    @DisplayName("per connection, per provider: 3 reads a minute of each keycloak connection; the 4th is 429 with"
            + " Retry-After; another connection has its own allowance")
    void perConnection() {
        String alice = realm.alice();
        Connect.connect(realm, alice, "keycloak", "one", realm.upstreamUser());
        Connect.connect(realm, alice, "keycloak", "two", realm.upstreamUser());
        limit(Map.of("connect.rate-limit.connection-reads.keycloak", "3"));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, Connect.token(realm, alice, "one", "keycloak").status());
        }
        assertLimited(Connect.token(realm, alice, "one", "keycloak"));
        assertEquals(200, Connect.token(realm, alice, "two", "keycloak").status(), "its own bucket");
    }

    @Test
    @DisplayName("per user and per client: with 4 token reads a minute alice's 5th is refused, bob through the same app"
            + " too (the app's allowance is spent), a reader service account of another client is not; 0 is no limit")
    void perUserAndClient() {
        String alice = realm.alice();
        String bob = realm.bob();
        Connect.connect(realm, alice, "keycloak", "a", realm.upstreamUser());
        Connect.connect(realm, bob, "keycloak", "b", realm.upstreamUser());
        limit(Map.of("connect.rate-limit.token-reads", "4"));
        for (int i = 0; i < 4; i++) {
            assertEquals(200, Connect.token(realm, alice, "a", "keycloak").status());
        }
        assertLimited(Connect.token(realm, alice, "a", "keycloak"));
        assertLimited(Connect.token(realm, bob, "b", "keycloak"));
        String reader = realm.serviceToken("demo-backend", "demo-backend-secret");
        assertEquals(200, Connect.token(realm, reader, "b", "keycloak").status(), "another client, another user");

        limit(Map.of("connect.rate-limit.token-reads", "0"));
        for (int i = 0; i < 20; i++) {
            assertEquals(200, Connect.token(realm, alice, "a", "keycloak").status(), "no limit");
        }
    }

    @Test
    @DisplayName("connect starts: with 2 a minute, alice's third /authorize is 429 and makes no start URL")
    void connectStarts() {
        String alice = realm.alice();
        limit(Map.of("connect.rate-limit.connect-starts", "2"));
        String url = realm.url("/connect/authorize?provider=keycloak&redirect_uri=" + Http.enc(Connect.APP_REDIRECT));
        assertEquals(200, Http.get(url, alice).status());
        assertEquals(200, Http.get(url, alice).status());
        Http.Resp third = Http.get(url, alice);
        assertLimited(third);
        assertEquals(null, third.json().get("authorize_url"));
    }
}
