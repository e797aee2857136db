package io.kcconnections.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A realm of the test's own, made from {@code realm-config/demo-realm.json} under a fresh name and removed at the
 * end, plus fresh users at the shared upstream realm (the third-party side).
 */
public final class TestRealm implements AutoCloseable {

    public final String name;
    private final Admin admin;
    private final String base;
    private final List<String> upstreamUsers = new ArrayList<>();
    private boolean closed;

    private TestRealm(String name) {
        this.name = name;
        this.admin = TestServer.admin();
        this.base = TestServer.baseUrl();
    }

    public static TestRealm create() {
        TestRealm r = new TestRealm("t-" + UUID.randomUUID().toString().substring(0, 8));
        ObjectNode rep = demoRealm(r.name);
        r.admin.createRealm(rep);
        return r;
    }

    /** The demo realm's representation under another name. */
    public static ObjectNode demoRealm(String name) {
        try {
            ObjectNode rep = (ObjectNode) Http.JSON.readTree(Files.readString(
                    Path.of(KeycloakServer.prop("kc.realm.config", "../realm-config")).resolve("demo-realm.json")));
            rep.put("realm", name);
            for (JsonNode u : rep.get("users")) {
                if (u.has("realmRoles")) {
                    ArrayNode roles = (ArrayNode) u.get("realmRoles");
                    for (int i = 0; i < roles.size(); i++) {
                        if (roles.get(i).asText().equals("default-roles-demo")) {
                            roles.set(i, Http.JSON.getNodeFactory().textNode("default-roles-" + name));
                        }
                    }
                }
            }
            return rep;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url(String path) {
        return base + "/realms/" + name + path;
    }

    /** A user's access token from this realm (password grant on demo-app). */
    public String userToken(String username, String password) {
        Http.Resp r = Http.postForm(url("/protocol/openid-connect/token"), Map.of("grant_type", "password",
                "client_id", "demo-app", "client_secret", "demo-app-secret", "username", username, "password", password), null);
        assertEquals(200, r.status(), () -> "user token: " + r);
        return SecretLedger.note(r.json().get("access_token").asText());
    }

    /** A service account's access token (client credentials). */
    public String serviceToken(String clientId, String secret) {
        Http.Resp r = Http.postForm(url("/protocol/openid-connect/token"), Map.of("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", secret), null);
        assertEquals(200, r.status(), () -> "service token: " + r);
        return SecretLedger.note(r.json().get("access_token").asText());
    }

    public String alice() {
        return userToken("alice", "alice");
    }

    public String bob() {
        return userToken("bob", "bob");
    }

    /** A fresh person at the upstream provider; returns {username, password}. */
    public String[] upstreamUser() {
        String u = "u-" + UUID.randomUUID().toString().substring(0, 8);
        String p = "pw-" + UUID.randomUUID();
        admin.createUser(TestServer.UPSTREAM_REALM, u, p);
        upstreamUsers.add(u);
        return new String[]{u, p};
    }

    /**
     * A person of this realm holding the given roles of its realm-management client (e.g. realm-admin, view-realm);
     * the password is the username. Returns the user id.
     */
    public String realmAdmin(String username, String... roles) {
        String id = admin.createUser(name, username, username);
        String rm = admin.client(name, "realm-management").get("id").asText();
        ArrayNode reps = Http.JSON.createArrayNode();
        for (String role : roles) {
            reps.add(admin.get("/" + name + "/clients/" + rm + "/roles/" + role).json());
        }
        Http.Resp r = admin.post("/" + name + "/users/" + id + "/role-mappings/clients/" + rm, reps);
        assertEquals(204, r.status(), r::toString);
        return id;
    }

    public Admin admin() {
        return admin;
    }

    /** Removes the realm and the upstream people made for it; a second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        admin.deleteRealm(name);
        for (String u : upstreamUsers) {
            JsonNode found = admin.get("/" + TestServer.UPSTREAM_REALM + "/users?exact=true&username=" + u).json();
            if (found.size() == 1) {
                admin.delete("/" + TestServer.UPSTREAM_REALM + "/users/" + found.get(0).get("id").asText());
            }
        }
    }
}
