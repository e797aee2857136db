package io.kcconnections.it.providers;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.harness.Connect;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Quirks of the token answer: form-encoded or JSON, nested or wrapped, an expiry only when asked, refusals as HTTP 200. */
class TokenAnswerQuirksIT extends QuirkContract {

    // ---------------------------------------------------------------------------------------------------------------
    // GitHub

    @Test
    @DisplayName("GitHub: the token request asks for JSON; a form-encoded answer also works; the token never expires and is never refreshed")
    void github() throws Exception {
        FakeProvider gh = fake.get("github");
        assertSuccess(connect("github", "gh-1"));
        FakeProvider.Seen exchange = gh.last("token");
        assertTrue(exchange.header("accept").contains("application/json"), exchange.headers().toString());
        assertEquals("gh-client-1", exchange.params().get("client_id"), "client_secret_post: credentials in the body");
        assertNotNull(exchange.params().get("code_verifier"), "PKCE (supported by GitHub) is used");

        JsonNode t = token("gh-1", "github");
        assertFalse(t.hasNonNull("expires_at"), t.toString());
        assertFalse(t.hasNonNull("expires_in"));
        assertEquals("583231", t.get("account_id").asText());
        assertEquals(List.of("read:user", "user:email"), list(t.get("scopes")));
        Map<String, Object> row = Db.row(realm.name, "gh-1");
        assertNull(row.get("EXPIRES_AT"));
        assertNull(row.get("REFRESH_TOKEN"));
        for (int i = 0; i < 3; i++) {
            assertEquals(t.get("token").asText(), token("gh-1", "github").get("token").asText());
        }
        assertTrue(gh.seen("refresh").isEmpty(), "a token without expiry is never refreshed");

        // The fake's rule: without Accept: application/json GitHub answers form-encoded (here an error, HTTP 200).
        Http.Resp direct = post(gh.url("token"), "application/x-www-form-urlencoded",
                Http.form(Map.of("grant_type", "authorization_code", "client_id", gh.clientId, "client_secret", gh.clientSecret,
                        "code", "nope", "redirect_uri", gh.registeredRedirect)), Map.of());
        assertEquals(200, direct.status());
        assertTrue(direct.body().startsWith("error=bad_verification_code"), direct.body());

        // A GitHub that ignored the Accept header would still be understood.
        gh.alwaysForm = true;
        try {
            assertSuccess(connect("github", "gh-form"));
            assertEquals("583231", token("gh-form", "github").get("account_id").asText());
        } finally {
            gh.alwaysForm = false;
        }

        // GitHub refuses with HTTP 200 and an error member: the server sees the refusal and stores nothing.
        gh.expireCodes = true;
        try {
            assertError(connect("github", "gh-expired"), "token_exchange_failed");
            assertNull(Db.row(realm.name, "gh-expired"));
            assertEquals("token:400:bad_verification_code", gh.lastRefusal());
        } finally {
            gh.expireCodes = false;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Slack

    @Test
    @DisplayName("Slack: user_scope comma-separated, the user token under authed_user, a refresh answered at the top level")
    void slack() throws Exception {
        FakeProvider slack = fake.get("slack");
        assertSuccess(connect("slack", "slack-1", "scopes", "users:read search:read"));
        Map<String, String> q = slack.last("authorize").params();
        assertEquals("users:read,search:read", q.get("user_scope"));
        assertNull(q.get("scope"), "no bot scopes for a user token");
        JsonNode t = token("slack-1", "slack");
        assertEquals("U123", t.get("account_id").asText());
        assertEquals("T123", t.at("/metadata/team_id").asText());
        assertEquals("user", t.get("token_type").asText());
        assertTrue(t.get("expires_in").asLong() > 43000, t.toString());
        String rt1 = Vault.decrypt(Db.row(realm.name, "slack-1"), "REFRESH_TOKEN");

        Db.expireIn(realm.name, "slack-1", 10);
        JsonNode refreshed = token("slack-1", "slack");
        assertNotEquals(t.get("token").asText(), refreshed.get("token").asText(), "the top-level refresh answer is read");
        assertTrue(refreshed.get("expires_in").asLong() > 43000);
        assertNotEquals(rt1, Vault.decrypt(Db.row(realm.name, "slack-1"), "REFRESH_TOKEN"));
        assertTrue(slack.last("refresh").header("authorization").startsWith("Basic "));

        // The fake refuses space-separated user scopes.
        Http.Resp spaces = Http.get(slack.url("authorize") + "?response_type=code&client_id=" + slack.clientId + "&redirect_uri="
                + Http.enc(slack.registeredRedirect) + "&user_scope=" + Http.enc("users:read search:read") + "&state=" + FakeProvider.token(24), null);
        assertEquals(400, spaces.status());
        // A refused refresh is HTTP 200 {"ok":false,"error":"invalid_refresh_token"}: permanent, so the connection needs reauth.
        slack.revokeAll();
        Db.expireIn(realm.name, "slack-1", 10);
        Http.Resp gone = Connect.token(realm, realm.alice(), "slack-1", "slack");
        assertEquals(409, gone.status(), gone::toString);
        assertTrue(gone.body().contains("invalid_refresh_token"), gone.body());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Zendesk

    @Test
    @DisplayName("Zendesk: the token is requested with expires_in, so it expires and refreshes (without it, it would look eternal)")
    void zendesk() throws Exception {
        FakeProvider zendesk = fake.get("zendesk");
        assertSuccess(connect("zendesk", "zd-1"));
        assertEquals("7200", zendesk.last("token").params().get("expires_in"));
        assertEquals("7776000", zendesk.last("token").params().get("refresh_token_expires_in"));
        JsonNode t = token("zd-1", "zendesk");
        assertTrue(t.get("expires_in").asLong() > 7100, t.toString());
        assertEquals("35436", t.get("account_id").asText());

        Db.expireIn(realm.name, "zd-1", 10);
        JsonNode refreshed = token("zd-1", "zendesk");
        assertNotEquals(t.get("token").asText(), refreshed.get("token").asText());
        assertEquals("7200", zendesk.last("refresh").params().get("expires_in"), "the refresh asks for a lifetime too");
        assertTrue(refreshed.get("expires_in").asLong() > 7100);

        // The fake's rule: without expires_in the answer states no expiry (the token would never be refreshed) ...
        String code = directCode(zendesk, Map.of("scope", "read"));
        Http.Resp plain = Http.postForm(zendesk.url("token"), Map.of("grant_type", "authorization_code", "code", code,
                "client_id", zendesk.clientId, "client_secret", zendesk.clientSecret, "redirect_uri", zendesk.registeredRedirect), null);
        assertEquals(200, plain.status(), plain::toString);
        SecretLedger.note(plain.json().path("access_token").asText(null));
        SecretLedger.note(plain.json().path("refresh_token").asText(null));
        assertFalse(plain.json().has("expires_in"), plain.body());
        // ... and a lifetime out of range is refused.
        assertRefused(Http.postForm(zendesk.url("token"), Map.of("grant_type", "authorization_code", "code", "nope",
                "client_id", zendesk.clientId, "client_secret", zendesk.clientSecret, "expires_in", "60"), null), 400, "invalid_request");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Withings

    @Test
    @DisplayName("Withings: comma-separated scopes, action=requesttoken, a wrapped answer, and errors as HTTP 200 with a status")
    void withings() throws Exception {
        FakeProvider withings = fake.get("withings");
        assertSuccess(connect("withings", "wi-1", "scopes", "user.info,user.metrics"));
        assertEquals("user.info,user.metrics", withings.last("authorize").params().get("scope"));
        assertEquals("requesttoken", withings.last("token").params().get("action"));
        JsonNode t = token("wi-1", "withings");
        assertEquals("363", t.get("account_id").asText());
        assertTrue(t.get("expires_in").asLong() > 10700);
        Db.expireIn(realm.name, "wi-1", 10);
        assertNotEquals(t.get("token").asText(), token("wi-1", "withings").get("token").asText());
        assertEquals("requesttoken", withings.last("refresh").params().get("action"));

        // Withings refuses with HTTP 200 {"status": 503, "error": …}: the server sees a failure, stores nothing.
        withings.expireCodes = true;
        try {
            assertError(connect("withings", "wi-refused", "scopes", "user.info,user.metrics"), "token_exchange_failed");
            assertNull(Db.row(realm.name, "wi-refused"));
            assertEquals("token:400:invalid_grant", withings.lastRefusal());
        } finally {
            withings.expireCodes = false;
        }
    }
}
