package io.kcconnections.it.connect;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import io.kcconnections.migrate.Fernet;
import io.kcconnections.migrate.SvcInfraImport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The migration from svc-infra: a sample {@code connection_tokens} database whose tokens are Fernet-encrypted with the
 * reference format, moved into a running Keycloak by the migrate tool (dry run, import, resumed run), and the admin
 * import route it calls, with its refusals.
 */
class SvcInfraImportIT {

    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    @FreshRealm
    private TestRealm realm;

    @Test
    @DisplayName("svc-infra rows move into Keycloak: the dry run writes nothing, the import serves the tokens, a second"
            + " run finds them there; unknown users and rows of another key are reported, never a token printed")
    void migratesASampleDatabase() throws Exception {
        String db = "jdbc:h2:mem:svcinfra-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Fernet fernet = new Fernet(KEY);
        List.of("svc-at-alice", "svc-rt-alice", "svc-at-bob", "svc-at-nobody", "svc-at-x", KEY).forEach(SecretLedger::note);
        long inAnHour = System.currentTimeMillis() + 3_600_000L;
        try (Connection c = DriverManager.getConnection(db, "sa", "")) {
            c.createStatement().execute("create table connection_tokens (connection_id varchar(128), user_id varchar(64),"
                    + " provider varchar(64), access_token varchar(4000), refresh_token varchar(4000), expires_at timestamp,"
                    + " scopes varchar(512))");
            insert(c, "gh-1", "u-1001", fernet.encrypt("svc-at-alice", 1_700_000_000L), fernet.encrypt("svc-rt-alice", 1L), inAnHour);
            insert(c, "up-bob", "bob", fernet.encrypt("svc-at-bob", 1L), null, inAnHour);
            insert(c, "gone", "nobody@example.com", fernet.encrypt("svc-at-nobody", 1L), null, inAnHour);
            insert(c, "rotated", "alice", new Fernet("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").encrypt("svc-at-x", 1L), null, inAnHour);
        }
        Path userMap = Files.writeString(Files.createTempFile("users", ".csv"), "# svc-infra user,keycloak user\nu-1001,alice@example.com\n");
        Path keyFile = Files.writeString(Files.createTempFile("fernet", ".key"), KEY + "\n");
        realm.realmAdmin("migrator", "manage-users", "view-users");
        List<String> args = new ArrayList<>(List.of("--source-url", db, "--source-user", "sa", "--source-password", "",
                "--fernet-key-file", keyFile.toString(), "--keycloak", TestServer.baseUrl(), "--realm", realm.name,
                "--auth-realm", realm.name, "--username", "migrator", "--password", "migrator",
                "--user-map", userMap.toString()));

        String dry = run(args, 2);
        assertTrue(dry.contains("would_import"), dry);
        assertTrue(dry.contains("dry run"), dry);
        assertEquals(0, Http.get(realm.url("/connect/connections"), realm.alice()).json().get("connections").size(), "nothing written");

        args.add("--apply");
        Path report = Files.createTempFile("report", ".json");
        args.addAll(List.of("--report", report.toString()));
        String applied = run(args, 2);
        JsonNode counts = Http.JSON.readTree(report.toFile()).get("counts");
        assertEquals(2, counts.get("imported").asInt(), applied);
        assertEquals(1, counts.get("unknown_user").asInt(), applied);
        assertEquals(1, counts.get("undecryptable").asInt(), applied);
        for (String secret : List.of("svc-at-alice", "svc-rt-alice", "svc-at-bob", "svc-at-nobody", KEY)) {
            assertFalse(dry.contains(secret) || applied.contains(secret) || Files.readString(report).contains(secret),
                    "no token or key in the output");
        }

        Http.Resp alice = Connect.token(realm, realm.alice(), "gh-1", "keycloak");
        assertEquals(200, alice.status(), alice::toString);
        assertEquals("svc-at-alice", alice.json().get("token").asText(), "the migrated connection serves its token");
        assertEquals("svc-at-bob", Connect.token(realm, realm.bob(), "up-bob", "keycloak").json().get("token").asText());
        JsonNode listed = Http.get(realm.url("/connect/connections"), realm.alice()).json().get("connections");
        assertEquals(1, listed.size(), listed::toString);
        assertEquals("svc-infra", listed.get(0).get("metadata").get("migrated_from").asText(), listed::toString);

        String again = run(args, 2);
        counts = Http.JSON.readTree(report.toFile()).get("counts");
        assertEquals(2, counts.get("exists").asInt(), "a second run resumes: " + again);
        assertFalse(counts.has("imported"), again);
    }

    @Test
    @DisplayName("POST /connect/import: 401 without a token, 403 without manage-users, 400 for a body that is not"
            + " {connections: [...]} or over 500 rows; a row missing fields or naming another person's id is refused")
    void importRouteRefusals() {
        String url = TestServer.baseUrl() + "/admin/realms/" + realm.name + "/connect/import";
        ObjectNode one = Http.JSON.createObjectNode();
        one.putArray("connections").addObject().put("user", "alice").put("provider", "keycloak")
                .put("connection_id", "x-1").put("access_token", "at");
        assertEquals(401, Http.sendJson("POST", url, one, null).status());
        realm.realmAdmin("viewer", "view-users");
        assertEquals(403, Http.sendJson("POST", url, one, token("viewer")).status());
        realm.realmAdmin("ops", "manage-users", "view-users");
        String ops = token("ops");
        Http.Resp bad = Http.sendJson("POST", url, Http.JSON.createObjectNode().put("connections", "nope"), ops);
        assertEquals(400, bad.status(), bad::toString);
        ObjectNode many = Http.JSON.createObjectNode();
        var arr = many.putArray("connections");
        for (int i = 0; i < 501; i++) {
            arr.addObject().put("user", "alice");
        }
        assertEquals(400, Http.sendJson("POST", url, many, ops).status());

        ObjectNode rows = Http.JSON.createObjectNode();
        var list = rows.putArray("connections");
        list.addObject().put("user", "alice").put("provider", "keycloak").put("connection_id", "a-1").put("access_token", "at-a");
        list.addObject().put("user", "alice").put("provider", "keycloak").put("connection_id", "bad id!").put("access_token", "t");
        list.addObject().put("user", "bob").put("provider", "keycloak").put("connection_id", "a-1").put("access_token", "at-b");
        list.addObject().put("user", "alice").put("provider", "no-such").put("connection_id", "n-1").put("access_token", "t");
        list.addObject().put("user", "alice").put("provider", "keycloak").put("connection_id", "n-2");
        JsonNode r = Http.sendJson("POST", url, rows, ops).json();
        List<String> results = new ArrayList<>();
        r.get("results").forEach(x -> results.add(x.get("result").asText()));
        assertEquals(List.of("imported", "invalid", "connection_id_in_use", "unknown_provider", "invalid"), results, r::toString);
        assertFalse(r.toString().contains("at-a") || r.toString().contains("at-b"), "no token answered");
        assertEquals("at-a", Connect.token(realm, realm.alice(), "a-1", "keycloak").json().get("token").asText());
    }

    private static void insert(Connection c, String cid, String user, String at, String rt, long expires) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("insert into connection_tokens values (?, ?, 'keycloak', ?, ?, ?, ?)")) {
            ps.setString(1, cid);
            ps.setString(2, user);
            ps.setString(3, at);
            ps.setString(4, rt);
            ps.setTimestamp(5, new Timestamp(expires));
            ps.setString(6, "openid profile");
            ps.executeUpdate();
        }
    }

    private static String run(List<String> args, int expectedExit) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = SvcInfraImport.run(args.toArray(String[]::new), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, code, out);
        return out;
    }

    private String token(String user) {
        Http.Resp t = Http.postForm(realm.url("/protocol/openid-connect/token"), Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", user, "password", user), null);
        assertEquals(200, t.status(), t::toString);
        return SecretLedger.note(t.json().get("access_token").asText());
    }
}
