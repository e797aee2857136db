package io.kcconnections.it.security;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import io.kcconnections.it.harness.Vault;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the database holds, and how keys rotate. Restarts the shared server; puts its settings back at the end. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AtRestIT {

    static final String NEW_KEY = "0fN3s8vQmZr1T6yW2kLx9pA4cE7hJ5uB3dG8iO1qS0w=";
    @FreshRealm
    private TestRealm realm;

    @BeforeAll
    void setUp() {
        String alice = realm.alice();
        for (String cid : new String[]{"r1", "r2", "r3"}) {
            assertEquals("true", Http.queryParam(Connect.connect(realm, alice, "keycloak", cid, realm.upstreamUser()), "success"));
        }
        SecretLedger.note(NEW_KEY);
    }

    @AfterAll
    void tearDown() throws Exception {
        TestServer.restoreDefaults();
    }

    @Test
    @Order(1)
    @DisplayName("a direct SQL read shows ciphertext only, tagged with the key id")
    void noPlaintextInTheDatabase() throws Exception {
        String token = Connect.token(realm, realm.alice(), "r1", "keycloak").json().get("token").asText();
        Map<String, Object> row = Db.row(realm.name, "r1");
        String refresh = Vault.decrypt(row, "REFRESH_TOKEN");
        String raw = Vault.decrypt(row, "RAW_TOKEN");
        assertTrue(raw.contains(token), "the raw response is stored (encrypted) whole");
        for (Map.Entry<String, Object> e : row.entrySet()) {
            String v = String.valueOf(e.getValue());
            assertFalse(v.contains(token), e.getKey() + " holds the access token in plaintext");
            assertFalse(v.contains(refresh), e.getKey() + " holds the refresh token in plaintext");
        }
        assertTrue(((String) row.get("ACCESS_TOKEN")).startsWith("v1." + KeyRing.keyId(KeyRing.parseKey(TestServer.ENCRYPTION_KEY)) + "."));
        assertEquals(KeyRing.keyId(KeyRing.parseKey(TestServer.ENCRYPTION_KEY)), row.get("KEY_ID"));
    }

    @Test
    @Order(2)
    @DisplayName("a ciphertext copied into another row does not decrypt; the server says so and serves nothing")
    void movedCiphertextFails() throws Exception {
        Map<String, Object> r1 = Db.row(realm.name, "r1");
        Map<String, Object> r2 = Db.row(realm.name, "r2");
        Db.update("update CONNECT_CONNECTION set ACCESS_TOKEN = ? where ID = ?", r1.get("ACCESS_TOKEN"), r2.get("ID"));
        Http.Resp r = Connect.token(realm, realm.alice(), "r2", "keycloak");
        assertEquals(500, r.status(), r::toString);
        assertEquals("decryption_failed", r.json().get("error").asText());
        assertFalse(r.body().contains((String) r1.get("ACCESS_TOKEN")));
        assertEquals(200, Connect.token(realm, realm.alice(), "r1", "keycloak").status(), "the original row still reads");
        // put it back
        Db.update("update CONNECT_CONNECTION set ACCESS_TOKEN = ? where ID = ?", r2.get("ACCESS_TOKEN"), r2.get("ID"));
        assertEquals(200, Connect.token(realm, realm.alice(), "r2", "keycloak").status());
    }

    @Test
    @Order(3)
    @DisplayName("rotation: a new primary key with the old one listed as old still serves old rows; refreshes move them to the new key")
    void keyRotation() throws Exception {
        String before = Connect.token(realm, realm.alice(), "r1", "keycloak").json().get("token").asText();
        // A slow restart must not make the token due: the point here is that the old row still decrypts.
        Db.expireIn(realm.name, "r1", 3600);
        TestServer.restartWith(Map.of("CONNECT_TOKEN_ENCRYPTION_KEY", NEW_KEY,
                "CONNECT_TOKEN_ENCRYPTION_OLD_KEYS", TestServer.ENCRYPTION_KEY));
        String alice = realm.alice();
        assertEquals(before, Connect.token(realm, alice, "r1", "keycloak").json().get("token").asText());

        Db.expireIn(realm.name, "r1", 5);
        String refreshed = Connect.token(realm, alice, "r1", "keycloak").json().get("token").asText();
        assertNotEquals(before, refreshed);
        Map<String, Object> row = Db.row(realm.name, "r1");
        String newKid = KeyRing.keyId(KeyRing.parseKey(NEW_KEY));
        assertEquals(newKid, row.get("KEY_ID"), "rewritten rows use the new primary key");
        assertEquals(newKid, KeyRing.keyIdOf((String) row.get("REFRESH_TOKEN")));

        // Without the old key, rows it wrote cannot be read and say why; rows already moved still work.
        TestServer.restartWith(Map.of("CONNECT_TOKEN_ENCRYPTION_KEY", NEW_KEY));
        alice = realm.alice();
        assertEquals(200, Connect.token(realm, alice, "r1", "keycloak").status());
        Http.Resp stale = Connect.token(realm, alice, "r3", "keycloak");
        assertEquals(500, stale.status(), stale::toString);
        assertEquals("decryption_failed", stale.json().get("error").asText());
        String log = Files.readString(TestServer.get().logFile());
        assertTrue(log.contains("no configured key has id"), "the log names the missing key id");

        // The re-wrap moves what is left to the new key, online; then the old key can go.
        TestServer.restartWith(Map.of("CONNECT_TOKEN_ENCRYPTION_KEY", NEW_KEY,
                "CONNECT_TOKEN_ENCRYPTION_OLD_KEYS", TestServer.ENCRYPTION_KEY));
        String r3Token = Connect.token(realm, realm.alice(), "r3", "keycloak").json().get("token").asText();
        String encryption = TestServer.baseUrl() + "/admin/realms/" + realm.name + "/connect/encryption";
        assertEquals(401, Http.get(encryption, null).status(), "not without a token");
        assertEquals(403, Http.get(encryption, realm.alice()).status(), "not for a person");
        assertEquals(403, Http.postForm(encryption + "/rewrap", Map.of(), realm.alice()).status());
        JsonNode status = realm.admin().get("/" + realm.name + "/connect/encryption").json();
        assertEquals(newKid, status.get("primary_key_id").asText(), status::toString);
        assertTrue(status.get("connections_on_older_keys").asLong() >= 1, status::toString);
        assertFalse(status.get("done").asBoolean());
        int badRows = realm.admin().post("/" + realm.name + "/connect/encryption/rewrap?max_rows=lots", Map.of()).status();
        assertTrue(badRows >= 400 && badRows < 500, "a malformed max_rows is refused: " + badRows);
        assertEquals(status.get("connections_on_older_keys").asLong(), realm.admin()
                .get("/" + realm.name + "/connect/encryption").json().get("connections_on_older_keys").asLong(), "nothing moved");
        Http.Resp moved = realm.admin().post("/" + realm.name + "/connect/encryption/rewrap", Map.of());
        assertEquals(200, moved.status(), moved::toString);
        assertTrue(moved.json().get("done").asBoolean(), moved::toString);
        assertEquals(status.get("connections_on_older_keys").asInt(), moved.json().get("moved").asInt(), moved::toString);
        for (String cid : new String[]{"r1", "r2", "r3"}) {
            Map<String, Object> r = Db.row(realm.name, cid);
            assertEquals(newKid, r.get("KEY_ID"), cid);
            for (String col : new String[]{"ACCESS_TOKEN", "REFRESH_TOKEN", "RAW_TOKEN"}) {
                assertEquals(newKid, KeyRing.keyIdOf((String) r.get(col)), cid + " " + col);
            }
        }
        TestServer.restartWith(Map.of("CONNECT_TOKEN_ENCRYPTION_KEY", NEW_KEY));
        Http.Resp after = Connect.token(realm, realm.alice(), "r3", "keycloak");
        assertEquals(200, after.status(), after::toString);
        assertEquals(r3Token, after.json().get("token").asText(), "the same token, now under the new key");
    }

    @Test
    @Order(4)
    @DisplayName("no key at all: the connect endpoints answer 503 and the log says why")
    void noKey() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CONNECT_TOKEN_ENCRYPTION_KEY", null);
        TestServer.restartWith(env);
        String alice = realm.alice();
        Http.Resp r = Connect.authorize(realm, alice, Connect.params("provider", "keycloak", "redirect_uri", Connect.APP_REDIRECT));
        assertEquals(503, r.status(), r::toString);
        assertEquals("encryption_unavailable", r.json().get("error").asText());
        assertEquals(503, Connect.token(realm, alice, "r1", "keycloak").status());
        String log = Files.readString(TestServer.get().logFile());
        assertTrue(log.contains("Token encryption is unavailable: no token encryption key is configured"), "log explains");

        TestServer.restartWith(Map.of("CONNECT_TOKEN_ENCRYPTION_KEY", "not-base64-and-short"));
        assertEquals(503, Connect.token(realm, realm.alice(), "r1", "keycloak").status());
        String log2 = Files.readString(TestServer.get().logFile());
        assertTrue(log2.contains("the token encryption key is unusable"), "log explains a malformed key");
        assertFalse(log2.contains("not-base64-and-short"), "the key itself is never logged");

        // A realm's vault holds that realm's secrets, never the server's key: a reference is refused even when the
        // realm's vault could answer it.
        TestServer.vaultSecret(realm.name, "kek", TestServer.ENCRYPTION_KEY);
        TestServer.restartWith(Map.of("CONNECT_TOKEN_ENCRYPTION_KEY", "${vault.kek}"));
        Http.Resp viaVault = Connect.token(realm, realm.alice(), "r1", "keycloak");
        assertEquals(503, viaVault.status(), viaVault::toString);
        assertEquals("encryption_unavailable", viaVault.json().get("error").asText());
        assertTrue(Files.readString(TestServer.get().logFile()).contains("reference, which is a realm's secret"), "log explains");
    }
}
