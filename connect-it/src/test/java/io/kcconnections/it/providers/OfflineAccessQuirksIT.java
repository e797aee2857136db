package io.kcconnections.it.providers;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.Vault;
import io.kcconnections.it.fakes.FakeProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Quirks of offline access and refresh: what brings a refresh token, whether refreshes keep it, what a refresh must repeat. */
class OfflineAccessQuirksIT extends QuirkContract {

    // ---------------------------------------------------------------------------------------------------------------
    // Offline access: Dropbox, Google

    @Test
    @DisplayName("Dropbox: token_access_type=offline brings a refresh token; refreshes keep it; the account is read with a POST")
    void dropbox() throws Exception {
        FakeProvider dropbox = fake.get("dropbox");
        assertSuccess(connect("dropbox", "dbx-1"));
        assertEquals("offline", dropbox.last("authorize").params().get("token_access_type"));
        JsonNode t = token("dbx-1", "dropbox");
        assertEquals("dbid:AAH4f99", t.get("account_id").asText());
        String rt = Vault.decrypt(Db.row(realm.name, "dbx-1"), "REFRESH_TOKEN");
        assertNotNull(rt);
        Db.expireIn(realm.name, "dbx-1", 10);
        assertNotEquals(t.get("token").asText(), token("dbx-1", "dropbox").get("token").asText());
        assertEquals(rt, Vault.decrypt(Db.row(realm.name, "dbx-1"), "REFRESH_TOKEN"));

        // Without token_access_type=offline Dropbox gives a short-lived token and no refresh token.
        String code = directCode(dropbox, Map.of("scope", "account_info.read"));
        Http.Resp online = Http.postForm(dropbox.url("token"), Map.of("grant_type", "authorization_code", "code", code,
                "client_id", dropbox.clientId, "client_secret", dropbox.clientSecret, "redirect_uri", dropbox.registeredRedirect), null);
        assertEquals(200, online.status(), online::toString);
        SecretLedger.note(online.json().path("access_token").asText(null));
        assertFalse(online.json().has("refresh_token"));
    }

    @Test
    @DisplayName("Google: access_type=offline and prompt=consent bring a refresh token; refresh answers omit it and the stored one keeps working")
    void google() throws Exception {
        FakeProvider google = fake.get("google");
        assertSuccess(connect("google", "g-1"));
        Map<String, String> q = google.last("authorize").params();
        assertEquals("offline", q.get("access_type"));
        assertEquals("consent", q.get("prompt"));
        assertEquals("openid email profile", q.get("scope"));
        JsonNode t = token("g-1", "google");
        assertEquals("110169484474386276334", t.get("account_id").asText());
        String rt = Vault.decrypt(Db.row(realm.name, "g-1"), "REFRESH_TOKEN");

        String last = t.get("token").asText();
        for (int i = 1; i <= 2; i++) {
            Db.expireIn(realm.name, "g-1", 10);
            String now = token("g-1", "google").get("token").asText();
            assertNotEquals(last, now, "refresh " + i);
            last = now;
            assertEquals(rt, google.last("refresh").params().get("refresh_token"), "refresh " + i + " used the first refresh token");
            assertEquals(rt, Vault.decrypt(Db.row(realm.name, "g-1"), "REFRESH_TOKEN"));
        }
        assertEquals(2, google.seen("refresh").size());

        // Without offline access and consent Google issues no refresh token.
        String code = directCode(google, Map.of("scope", "openid email profile", "include_granted_scopes", "true"));
        Http.Resp online = Http.postForm(google.url("token"), Map.of("grant_type", "authorization_code", "code", code,
                "client_id", google.clientId, "client_secret", google.clientSecret, "redirect_uri", google.registeredRedirect), null);
        SecretLedger.note(online.json().path("access_token").asText(null));
        assertFalse(online.json().has("refresh_token"), online.body());
        // A wrong client secret is invalid_client.
        assertRefused(Http.postForm(google.url("token"), Map.of("grant_type", "refresh_token", "refresh_token", rt,
                "client_id", google.clientId, "client_secret", "wrong-secret-value"), null), 401, "invalid_client");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Gusto

    @Test
    @DisplayName("Gusto: the refresh carries redirect_uri, the callback URL of the code exchange; without it the refresh is refused")
    void gusto() throws Exception {
        FakeProvider gusto = fake.get("gusto");
        assertSuccess(connect("gusto", "gusto-1"));
        JsonNode t = token("gusto-1", "gusto");
        assertEquals("c-1", t.get("account_id").asText());
        Db.expireIn(realm.name, "gusto-1", 10);
        assertNotEquals(t.get("token").asText(), token("gusto-1", "gusto").get("token").asText());
        assertEquals(gusto.registeredRedirect, gusto.last("refresh").params().get("redirect_uri"));
        assertEquals(gusto.last("token").params().get("redirect_uri"), gusto.last("refresh").params().get("redirect_uri"));
        String rt = Vault.decrypt(Db.row(realm.name, "gusto-1"), "REFRESH_TOKEN");
        assertRefused(Http.postForm(gusto.url("token"), Map.of("grant_type", "refresh_token", "refresh_token", rt,
                "client_id", gusto.clientId, "client_secret", gusto.clientSecret), null), 400, "invalid_request");
        assertTrue(gusto.refreshTokenValid(rt), "the refused request did not use up the refresh token");
    }
}
