package io.kcconnections.it.providers;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.Vault;
import io.kcconnections.it.fakes.FakeProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.kcconnections.it.providers.QuirkFakes.APPLE_CLIENT;
import static io.kcconnections.it.providers.QuirkFakes.APPLE_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quirks of how the client authenticates and what its requests carry: HTTP Basic, a JSON body, required headers and
 * parameters, PKCE required or forbidden, a client secret that is a signed JWT.
 */
class ClientAuthQuirksIT extends QuirkContract {

    // ---------------------------------------------------------------------------------------------------------------
    // HTTP Basic client authentication

    @Test
    @DisplayName("Notion: HTTP Basic, a JSON body and the Notion-Version header; workspace values are kept; the token never expires")
    void notion() throws Exception {
        FakeProvider notion = fake.get("notion");
        assertSuccess(connect("notion", "notion-1"));
        FakeProvider.Seen exchange = notion.last("token");
        assertTrue(exchange.contentType().startsWith("application/json"), exchange.contentType());
        assertEquals("2025-09-03", exchange.header("Notion-Version"));
        assertTrue(exchange.header("authorization").startsWith("Basic "));
        assertNull(exchange.params().get("client_secret"), "no secret in the body");
        assertNull(notion.last("authorize").params().get("code_challenge"), "no PKCE for Notion");

        JsonNode t = token("notion-1", "notion");
        assertEquals("notion-user-1", t.get("account_id").asText());
        assertEquals("ws-1", t.at("/metadata/workspace_id").asText());
        assertEquals("Acme HQ", t.at("/metadata/workspace_name").asText());
        assertEquals("bot-1", t.at("/metadata/bot_id").asText());
        assertFalse(t.hasNonNull("expires_at"));
        token("notion-1", "notion");
        assertTrue(notion.seen("refresh").isEmpty());

        // The fake refuses a form body, credentials in the body, and a request without Notion-Version.
        String basic = basic(notion.clientId, notion.clientSecret);
        String json = "{\"grant_type\":\"authorization_code\",\"code\":\"nope\",\"redirect_uri\":\"" + notion.registeredRedirect + "\"}";
        Http.Resp form = post(notion.url("token"), "application/x-www-form-urlencoded", "grant_type=authorization_code&code=nope",
                Map.of("Authorization", basic, "Notion-Version", "2025-09-03"));
        assertRefused(form, 400, "invalid_request");
        Http.Resp inBody = post(notion.url("token"), "application/json", "{\"grant_type\":\"authorization_code\",\"code\":\"nope\","
                + "\"client_id\":\"" + notion.clientId + "\",\"client_secret\":\"" + notion.clientSecret + "\"}", Map.of("Notion-Version", "2025-09-03"));
        assertRefused(inBody, 401, "invalid_client");
        assertRefused(post(notion.url("token"), "application/json", json, Map.of("Authorization", basic)), 400, "missing_version");

        // When the provider refuses the client (a rotated secret), the exchange fails and nothing is stored.
        String real = notion.clientSecret;
        notion.clientSecret = "rotated-at-notion-" + FakeProvider.token(8);
        try {
            assertError(connect("notion", "notion-refused"), "token_exchange_failed");
            assertNull(Db.row(realm.name, "notion-refused"));
            assertEquals("token:401:invalid_client", notion.lastRefusal());
        } finally {
            notion.clientSecret = real;
        }
    }

    @Test
    @DisplayName("Reddit: HTTP Basic, its User-Agent and duration=permanent; a refresh answer without a refresh token keeps the stored one")
    void reddit() throws Exception {
        FakeProvider reddit = fake.get("reddit");
        assertSuccess(connect("reddit", "reddit-1"));
        assertTrue(reddit.last("token").header("authorization").startsWith("Basic "));
        assertEquals("t2_abc", token("reddit-1", "reddit").get("account_id").asText());
        String storedRefresh = Vault.decrypt(Db.row(realm.name, "reddit-1"), "REFRESH_TOKEN");

        String before = token("reddit-1", "reddit").get("token").asText();
        Db.expireIn(realm.name, "reddit-1", 10);
        JsonNode after = token("reddit-1", "reddit");
        assertNotEquals(before, after.get("token").asText());
        FakeProvider.Seen refresh = reddit.last("refresh");
        assertTrue(refresh.header("authorization").startsWith("Basic "), "Basic on refresh too");
        assertEquals("web:reddit-client-1:v1.0 (Keycloak Connections)", refresh.header("User-Agent"));
        assertEquals(storedRefresh, Vault.decrypt(Db.row(realm.name, "reddit-1"), "REFRESH_TOKEN"),
                "Reddit's refresh answer has no refresh token: the stored one is kept");
        assertTrue(reddit.refreshTokenValid(storedRefresh));

        // The fake refuses a generic User-Agent (429, as Reddit throttles them) and credentials in the body.
        assertRefused(post(reddit.url("token"), "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=x",
                Map.of("Authorization", basic(reddit.clientId, reddit.clientSecret))), 429, "invalid_request");
        assertRefused(post(reddit.url("token"), "application/x-www-form-urlencoded", Http.form(Map.of("grant_type", "refresh_token",
                "refresh_token", storedRefresh, "client_id", reddit.clientId, "client_secret", reddit.clientSecret)),
                Map.of("User-Agent", "web:reddit-client-1:v1.0 (Keycloak Connections)")), 401, "invalid_client");
        // ... and an authorization request without duration=permanent.
        Http.Resp noDuration = Http.get(reddit.url("authorize") + "?response_type=code&client_id=" + reddit.clientId
                + "&redirect_uri=" + Http.enc(reddit.registeredRedirect) + "&scope=identity&state=" + FakeProvider.token(24), null);
        assertEquals(400, noDuration.status());
    }

    @Test
    @DisplayName("Airtable and X: HTTP Basic with PKCE required; refresh tokens rotate, the old one dies; a revoked grant needs reauth")
    void basicWithPkceAndRotation() throws Exception {
        for (String name : List.of("airtable", "twitter")) {
            FakeProvider f = fake.get(name);
            String cid = name + "-1";
            assertSuccess(connect(name, cid));
            assertEquals("S256", f.last("authorize").params().get("code_challenge_method"));
            assertNotNull(f.last("token").params().get("code_verifier"));
            assertTrue(f.last("token").header("authorization").startsWith("Basic "));
            String rt1 = Vault.decrypt(Db.row(realm.name, cid), "REFRESH_TOKEN");

            Db.expireIn(realm.name, cid, 10);
            assertEquals(200, Connect.token(realm, realm.alice(), cid, name).status());
            String rt2 = Vault.decrypt(Db.row(realm.name, cid), "REFRESH_TOKEN");
            assertNotEquals(rt1, rt2, name + ": the rotated refresh token is stored");
            assertFalse(f.refreshTokenValid(rt1), name + ": the old one is dead at the provider");
            assertRefused(post(f.url("token"), "application/x-www-form-urlencoded",
                    Http.form(Map.of("grant_type", "refresh_token", "refresh_token", rt1)),
                    Map.of("Authorization", basic(f.clientId, f.clientSecret))), 400, "invalid_grant");

            // The fake refuses an authorization request without PKCE.
            Http.Resp noPkce = Http.get(f.url("authorize") + "?response_type=code&client_id=" + f.clientId + "&redirect_uri="
                    + Http.enc(f.registeredRedirect) + "&scope=" + Http.enc(String.join(" ", f.expectedScopes))
                    + "&state=" + FakeProvider.token(24), null);
            assertEquals(400, noPkce.status(), noPkce::toString);

            // The person revokes the app at the provider: the next refresh is refused and the connection needs a new consent.
            f.revokeAll();
            Db.expireIn(realm.name, cid, 10);
            Http.Resp gone = Connect.token(realm, realm.alice(), cid, name);
            assertEquals(409, gone.status(), gone::toString);
            assertEquals("needs_reauth", gone.json().get("error").asText());
            assertEquals("needs_reauth", Db.row(realm.name, cid).get("STATUS"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Apple

    @Test
    @DisplayName("Apple: the callback arrives as a form_post; the client secret is an ES256 JWT the fake verifies; a bad signature is refused")
    void apple() throws Exception {
        FakeProvider apple = fake.get("apple");
        assertSuccess(connect("apple", "apple-1"));
        assertEquals("form_post", apple.last("authorize").params().get("response_mode"));
        assertEquals("name email", apple.last("authorize").params().get("scope"));
        String secret = apple.last("token").params().get("client_secret");
        assertEquals(3, secret.split("\\.").length, "a JWT, not the configured .p8 key");
        JsonNode t = token("apple-1", "apple");
        assertEquals("001234.apple-user", t.get("account_id").asText(), "identity from the ID token");
        assertEquals(APPLE_USER, t.at("/metadata/user").asText(), "the user's name, sent once in the form post, is kept");

        Db.expireIn(realm.name, "apple-1", 10);
        assertNotEquals(t.get("token").asText(), token("apple-1", "apple").get("token").asText());
        String refreshSecret = apple.last("refresh").params().get("client_secret");
        assertNotNull(refreshSecret);
        assertNull(appleSecretProblem(refreshSecret), "the refresh carries a valid client secret JWT as well");

        // The fake refuses the .p8 key itself and a JWT signed by another key.
        Http.Resp pem = Http.postForm(apple.url("token"), Map.of("grant_type", "authorization_code", "code", "nope",
                "client_id", APPLE_CLIENT, "client_secret", applePem(), "redirect_uri", apple.registeredRedirect), null);
        assertRefused(pem, 401, "invalid_client");
        // Apple no longer trusts the key (revoked in the developer account): the exchange fails, nothing is stored.
        fakes.appleTrusted = QuirkFakes.ecKey().getPublic();
        try {
            assertError(connect("apple", "apple-refused"), "token_exchange_failed");
            assertNull(Db.row(realm.name, "apple-refused"));
            assertEquals("token:401:invalid_client", apple.lastRefusal());
            assertEquals("signature does not verify", appleSecretProblem(apple.last("token").params().get("client_secret")));
        } finally {
            fakes.appleTrusted = fakes.appleKey.getPublic();
        }
    }

    private String applePem() {
        return fakes.applePem();
    }

    private String appleSecretProblem(String jwt) {
        return fakes.appleSecretProblem(jwt);
    }
}
