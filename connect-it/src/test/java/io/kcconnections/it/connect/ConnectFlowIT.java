package io.kcconnections.it.connect;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connect flow end to end against the upstream realm: a real code exchange with PKCE, then the token endpoint. */
class ConnectFlowIT {

    @FreshRealm
    private TestRealm realm;

    @Test
    @DisplayName("alice connects her upstream account; the token endpoint returns a token the upstream accepts")
    void aliceConnectsAndReadsAToken() {
        String alice = realm.alice();
        String[] person = realm.upstreamUser();

        String landed = Connect.connect(realm, alice, "keycloak", "alice-upstream", person);
        assertTrue(landed.startsWith(Connect.APP_REDIRECT), landed);
        assertEquals("true", Http.queryParam(landed, "success"), landed);
        assertEquals("alice-upstream", Http.queryParam(landed, "connection_id"));

        Http.Resp t = Connect.token(realm, alice, "alice-upstream", "keycloak");
        assertEquals(200, t.status(), t::toString);
        JsonNode body = t.json();
        assertEquals("keycloak", body.get("provider").asText());
        assertNotNull(body.get("expires_at").asText(null));
        assertTrue(body.get("scopes").toString().contains("openid"), body.toString());

        Http.Resp userinfo = Http.get(TestServer.baseUrl() + "/realms/upstream/protocol/openid-connect/userinfo",
                body.get("token").asText());
        assertEquals(200, userinfo.status(), userinfo::toString);
        assertEquals(person[0], userinfo.json().get("preferred_username").asText());
        assertEquals(userinfo.json().get("sub").asText(), body.get("account_id").asText());
    }
}
