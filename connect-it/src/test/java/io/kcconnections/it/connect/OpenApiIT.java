package io.kcconnections.it.connect;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API's OpenAPI document, served by every realm without a token, with that realm's URL first in servers. */
class OpenApiIT {

    @FreshRealm
    private TestRealm realm;

    @Test
    @DisplayName("GET /connect/openapi.json without a token: 200, OpenAPI 3.1, servers[0] is the realm's URL")
    void servedWithoutATokenWithTheRealmsUrl() {
        Http.Resp r = Http.get(realm.url("/connect/openapi.json"), null);
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        JsonNode doc = r.json();
        assertTrue(doc.get("openapi").asText().matches("3\\.1\\.\\d+"), doc.get("openapi").asText());
        assertEquals(TestServer.baseUrl() + "/realms/" + realm.name, doc.at("/servers/0/url").asText());
        assertEquals(TestServer.baseUrl(), doc.at("/servers/1/url").asText());
        assertTrue(doc.at("/paths").has("/connect/authorize"), "the connect API's routes");
        assertTrue(doc.at("/paths").has("/admin/realms/{realm}/connect/providers"), "the admin API's routes");
    }
}
