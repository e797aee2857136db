package io.kcconnections.it.harness;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keycloak admin REST through plain HTTP, as the master realm's bootstrap admin. */
public final class Admin {

    private final String base;
    private String token;
    private long tokenAt;

    public Admin(String base) {
        this.base = base;
    }

    public synchronized String token() {
        if (token == null || System.currentTimeMillis() - tokenAt > 30_000) {
            Http.Resp r = Http.postForm(base + "/realms/master/protocol/openid-connect/token",
                    Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", "admin"), null);
            assertEquals(200, r.status(), () -> "admin login: " + r);
            token = SecretLedger.note(r.json().get("access_token").asText());
            tokenAt = System.currentTimeMillis();
        }
        return token;
    }

    public Http.Resp get(String path) {
        return Http.get(base + "/admin/realms" + path, token());
    }

    /** A path under /admin (not under /admin/realms), e.g. /serverinfo. */
    public Http.Resp getAdmin(String path) {
        return Http.get(base + "/admin" + path, token());
    }

    public Http.Resp post(String path, Object body) {
        return Http.sendJson("POST", base + "/admin/realms" + path, body, token());
    }

    public Http.Resp put(String path, Object body) {
        return Http.sendJson("PUT", base + "/admin/realms" + path, body, token());
    }

    public Http.Resp delete(String path) {
        return Http.delete(base + "/admin/realms" + path, token());
    }

    /** Creates a realm from a representation; 201 expected. */
    public void createRealm(JsonNode rep) {
        Http.Resp r = Http.sendJson("POST", base + "/admin/realms", rep, token());
        assertEquals(201, r.status(), () -> "create realm: " + r);
    }

    public void deleteRealm(String realm) {
        Http.Resp r = delete("/" + realm);
        assertTrue(r.status() == 204 || r.status() == 404, () -> "delete realm: " + r);
    }

    /** Creates an enabled user with a password; returns the user id. */
    public String createUser(String realm, String username, String password) {
        ObjectNode u = Http.JSON.createObjectNode();
        u.put("username", username).put("enabled", true).put("email", username + "@example.test")
                .put("emailVerified", true).put("firstName", username).put("lastName", "Test");
        ArrayNode creds = u.putArray("credentials");
        creds.addObject().put("type", "password").put("value", password).put("temporary", false);
        Http.Resp r = post("/" + realm + "/users", u);
        assertEquals(201, r.status(), () -> "create user: " + r);
        String loc = r.header("Location");
        return loc.substring(loc.lastIndexOf('/') + 1);
    }

    public JsonNode client(String realm, String clientId) {
        JsonNode list = get("/" + realm + "/clients?clientId=" + Http.enc(clientId)).json();
        assertEquals(1, list.size(), "client " + clientId);
        return list.get(0);
    }

    public List<JsonNode> events(String realm, String type) {
        JsonNode list = get("/" + realm + "/events?type=" + type + "&max=1000").json();
        List<JsonNode> out = new java.util.ArrayList<>();
        list.forEach(out::add);
        return out;
    }
}
