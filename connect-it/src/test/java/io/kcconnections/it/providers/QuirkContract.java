package io.kcconnections.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Provider quirks, proven against contract fakes: each {@link FakeProvider} holds clients to one provider's
 * documented rules and refuses anything else; the real connect flow runs on the real server with the real catalog
 * entry of that provider, only its URLs pointed at the fake ({@code CONNECT_<NAME>_*_URL}). Each test also shows the
 * negative: what the fake refuses, and what the server does when the provider refuses.
 * One server restart for all providers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuirkContractIT {

    private static final String APPLE_TEAM = "TEAM123456";
    private static final String APPLE_KEY_ID = "KEY1234567";
    private static final String APPLE_CLIENT = "com.example.connect";
    private static final String APPLE_USER = "{\"name\":{\"firstName\":\"Alice\",\"lastName\":\"Demo\"},\"email\":\"alice@privaterelay.appleid.com\"}";
    private static final String QB_REALM_ID = "9130357766900";
    private static final String SF_INSTANCE = "https://acme.my.salesforce.com";

    private FakeProvider.Server fakes;
    private final Map<String, FakeProvider> fake = new LinkedHashMap<>();
    private KeyPair appleKey;
    private volatile PublicKey appleTrusted;
    private TestRealm realm;

    @BeforeAll
    void start() throws Exception {
        fakes = new FakeProvider.Server();
        defineProviders();
        Map<String, String> env = new LinkedHashMap<>();
        for (FakeProvider f : fake.values()) {
            String p = "CONNECT_" + f.name.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
            env.put(p + "CLIENT_ID", f.clientId);
            env.put(p + "CLIENT_SECRET", f.clientSecret);
            env.put(p + "AUTHORIZE_URL", f.url("authorize"));
            env.put(p + "TOKEN_URL", f.url("token"));
            env.put(p + "USERINFO_URL", f.url("userinfo"));
            env.put(p + "REVOKE_URL", f.url("revoke"));
        }
        // Required template values. Zendesk's subdomain is not in any URL here (they are overridden) but must be set.
        env.put("CONNECT_ZENDESK_SUBDOMAIN", "acme");
        env.put("CONNECT_APPLE_TEAM_ID", APPLE_TEAM);
        env.put("CONNECT_APPLE_KEY_ID", APPLE_KEY_ID); // its client secret is the .p8 key (see defineProviders)
        TestServer.restartWith(env);
        realm = TestRealm.create();
        for (FakeProvider f : fake.values()) {
            f.registeredRedirect = TestServer.baseUrl() + "/realms/" + realm.name + "/connect/callback/" + f.name;
        }
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (realm != null) {
                realm.close();
            }
            TestServer.restoreDefaults();
        } finally {
            fakes.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The providers' rules.

    private FakeProvider define(String name, String clientId) {
        FakeProvider f = fakes.add(new FakeProvider(name, clientId, name + "-secret-" + FakeProvider.token(12)));
        fake.put(name, f);
        return f;
    }

    private void defineProviders() throws Exception {
        FakeProvider gh = define("github", "gh-client-1");
        gh.expectedScopes = List.of("read:user", "user:email");
        gh.expiresIn = null;
        gh.grantsRefreshToken = q -> false; // OAuth-App tokens: no expiry, no refresh token
        gh.errors = FakeProvider.Errors.GITHUB;
        gh.formUnlessAcceptJson = true;
        gh.userinfo = g -> obj().put("id", 583231).put("login", "octocat").put("email", "octo@example.com");

        FakeProvider notion = define("notion", "notion-client-1");
        notion.auth = FakeProvider.Auth.BASIC;
        notion.jsonBody = true;
        notion.requiredHeaders = Map.of("Notion-Version", "2025-09-03");
        notion.requiredAuthorizeParams = Map.of("owner", "user");
        notion.pkce = FakeProvider.Pkce.FORBIDDEN;
        notion.expiresIn = null;
        notion.answer = (s, a) -> {
            a.put("bot_id", "bot-1").put("workspace_id", "ws-1").put("workspace_name", "Acme HQ");
            a.putObject("owner").put("type", "user").putObject("user").put("id", "notion-user-1").put("name", "Alice")
                    .putObject("person").put("email", "alice@example.com");
        };

        FakeProvider reddit = define("reddit", "reddit-client-1");
        reddit.auth = FakeProvider.Auth.BASIC;
        reddit.requiredHeaders = Map.of("User-Agent", "web:reddit-client-1:v1.0 (Keycloak Connections)");
        reddit.expectedScopes = List.of("identity");
        reddit.requiredAuthorizeParams = Map.of("duration", "permanent");
        reddit.pkce = FakeProvider.Pkce.FORBIDDEN;
        reddit.refresh = FakeProvider.Refresh.KEEP;
        reddit.userinfo = g -> obj().put("id", "t2_abc").put("name", "spez");

        FakeProvider airtable = define("airtable", "airtable-client-1");
        airtable.auth = FakeProvider.Auth.BASIC;
        airtable.pkce = FakeProvider.Pkce.REQUIRED;
        airtable.expectedScopes = List.of("user.email:read", "data.records:read", "schema.bases:read");
        airtable.userinfo = g -> obj().put("id", "usrAbc").put("email", "alice@example.com");

        FakeProvider x = define("twitter", "x-client-1");
        x.auth = FakeProvider.Auth.BASIC;
        x.pkce = FakeProvider.Pkce.REQUIRED;
        x.expectedScopes = List.of("users.read", "tweet.read", "offline.access");
        x.grantsRefreshToken = q -> List.of(q.get("scope").split(" ")).contains("offline.access");
        x.expiresIn = 7200L;
        x.userinfo = g -> {
            ObjectNode o = obj();
            o.putObject("data").put("id", "2244994945").put("username", "XDevelopers");
            return o;
        };

        FakeProvider slack = define("slack", "slack-client-1");
        slack.auth = FakeProvider.Auth.BASIC;
        slack.errors = FakeProvider.Errors.SLACK;
        slack.scopeParam = "user_scope";
        slack.scopeSeparator = ",";
        slack.expectedScopes = List.of("users:read", "search:read");
        slack.pkce = FakeProvider.Pkce.FORBIDDEN;
        slack.expiresIn = 43200L;
        slack.answer = (s, a) -> {
            if (s.endpoint().equals("refresh")) {
                // A refreshed user token comes back at the top level.
                a.put("ok", true).put("token_type", "user");
                a.putObject("team").put("id", "T123").put("name", "Acme");
                return;
            }
            ObjectNode user = obj().put("id", "U123");
            a.fields().forEachRemaining(e -> user.set(e.getKey(), e.getValue()));
            user.put("token_type", "user");
            a.removeAll();
            a.put("ok", true).put("app_id", "A123");
            a.set("authed_user", user);
            a.putObject("team").put("id", "T123").put("name", "Acme");
            a.putNull("enterprise");
        };

        FakeProvider zendesk = define("zendesk", "zendesk-client-1");
        zendesk.expectedScopes = List.of("read");
        zendesk.expiresIn = null;
        zendesk.tokenCheck = s -> {
            String e = s.params().get("expires_in");
            String r = s.params().get("refresh_token_expires_in");
            if (e != null && !inRange(e, 300, 172800)) {
                return FakeProvider.Refusal.invalidRequest("expires_in must be 300-172800");
            }
            if (r != null && !inRange(r, 604800, 7776000)) {
                return FakeProvider.Refusal.invalidRequest("refresh_token_expires_in must be 604800-7776000");
            }
            return null;
        };
        // Zendesk states an expiry only when the request asked for one.
        zendesk.answer = (s, a) -> {
            if (s.params().get("expires_in") != null) {
                a.put("expires_in", Long.parseLong(s.params().get("expires_in")));
                a.put("refresh_token_expires_in", Long.parseLong(s.params().getOrDefault("refresh_token_expires_in", "2592000")));
            }
        };
        zendesk.userinfo = g -> {
            ObjectNode o = obj();
            o.putObject("user").put("id", 35436).put("name", "Alice").put("email", "alice@example.com");
            return o;
        };

        FakeProvider dropbox = define("dropbox", "dropbox-client-1");
        dropbox.expectedScopes = List.of("account_info.read");
        dropbox.expiresIn = 14400L;
        dropbox.grantsRefreshToken = q -> "offline".equals(q.get("token_access_type"));
        dropbox.refresh = FakeProvider.Refresh.KEEP;
        dropbox.userinfoMethod = "POST";
        dropbox.userinfo = g -> {
            ObjectNode o = obj().put("account_id", "dbid:AAH4f99").put("email", "alice@example.com");
            o.putObject("name").put("display_name", "Alice Demo");
            return o;
        };

        FakeProvider google = define("google", "google-client-1.apps.googleusercontent.com");
        google.expectedScopes = List.of("openid", "email", "profile");
        google.requiredAuthorizeParams = Map.of("include_granted_scopes", "true");
        google.expiresIn = 3599L;
        google.grantsRefreshToken = q -> "offline".equals(q.get("access_type")) && "consent".equals(q.get("prompt"));
        google.refresh = FakeProvider.Refresh.KEEP;
        google.userinfo = g -> obj().put("sub", "110169484474386276334").put("name", "Alice").put("email", "alice@example.com");

        appleKey = ecKey();
        appleTrusted = appleKey.getPublic();
        FakeProvider apple = define("apple", APPLE_CLIENT);
        apple.clientSecret = applePem();
        apple.secretCheck = this::appleSecretProblem;
        apple.expectedScopes = List.of("name", "email");
        apple.pkce = FakeProvider.Pkce.FORBIDDEN;
        apple.formPost = true;
        apple.requiredAuthorizeParams = Map.of("response_mode", "form_post");
        apple.callbackExtras = Map.of("user", APPLE_USER);
        apple.refresh = FakeProvider.Refresh.KEEP;
        apple.answer = (s, a) -> a.put("id_token", unsignedJwt(obj().put("iss", "https://appleid.apple.com")
                .put("aud", APPLE_CLIENT).put("sub", "001234.apple-user").put("email", "alice@privaterelay.appleid.com")));

        FakeProvider qb = define("quickbooks", "qb-client-1");
        qb.auth = FakeProvider.Auth.BASIC;
        qb.expectedScopes = List.of("com.intuit.quickbooks.accounting", "openid", "email", "profile");
        qb.pkce = FakeProvider.Pkce.FORBIDDEN;
        qb.callbackExtras = Map.of("realmId", QB_REALM_ID);
        qb.answer = (s, a) -> a.put("x_refresh_token_expires_in", 8726400);
        qb.userinfo = g -> obj().put("sub", "qb-user-1").put("givenName", "Alice").put("email", "alice@example.com");

        FakeProvider sf = define("salesforce", "sf-client-1");
        sf.expectedScopes = List.of("api", "refresh_token", "openid");
        sf.expiresIn = null; // Salesforce states no lifetime
        sf.refresh = FakeProvider.Refresh.KEEP;
        sf.answer = (s, a) -> a.put("instance_url", SF_INSTANCE).put("id", "https://login.salesforce.com/id/00Dxx/005xx")
                .put("issued_at", String.valueOf(System.currentTimeMillis())).put("signature", "c2lnbmF0dXJl");
        sf.userinfo = g -> obj().put("user_id", "005xx").put("name", "Alice").put("email", "alice@example.com");

        FakeProvider gusto = define("gusto", "gusto-client-1");
        gusto.pkce = FakeProvider.Pkce.FORBIDDEN;
        gusto.expiresIn = 7200L;
        gusto.requiredRefreshParams = Map.of("redirect_uri", v -> v.equals(gusto.registeredRedirect));
        gusto.userinfo = g -> {
            ObjectNode o = obj();
            o.putObject("resource").put("type", "Company").put("uuid", "c-1");
            return o;
        };

        FakeProvider withings = define("withings", "withings-client-1");
        withings.scopeSeparator = ",";
        withings.expectedScopes = List.of("user.info", "user.metrics");
        withings.pkce = FakeProvider.Pkce.FORBIDDEN;
        withings.errors = FakeProvider.Errors.WITHINGS;
        withings.expiresIn = 10800L;
        withings.requiredTokenParams = Map.of("action", "requesttoken"::equals);
        withings.requiredRefreshParams = Map.of("action", "requesttoken"::equals);
        withings.answer = (s, a) -> {
            ObjectNode body = a.deepCopy().put("userid", "363");
            a.removeAll();
            a.put("status", 0).set("body", body);
        };
    }

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
        appleTrusted = ecKey().getPublic();
        try {
            assertError(connect("apple", "apple-refused"), "token_exchange_failed");
            assertNull(Db.row(realm.name, "apple-refused"));
            assertEquals("token:401:invalid_client", apple.lastRefusal());
            assertEquals("signature does not verify", appleSecretProblem(apple.last("token").params().get("client_secret")));
        } finally {
            appleTrusted = appleKey.getPublic();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Values the connection keeps: QuickBooks realmId, Salesforce instance_url

    @Test
    @DisplayName("QuickBooks: realmId from the callback is stored and returned in metadata, also after a refresh")
    void quickbooks() throws Exception {
        FakeProvider qb = fake.get("quickbooks");
        String landed = connect("quickbooks", "qb-1");
        assertSuccess(landed);
        assertNull(Http.queryParam(landed, "realmId"), "the app learns it from the token answer, not the redirect");
        JsonNode t = token("qb-1", "quickbooks");
        assertEquals(QB_REALM_ID, t.at("/metadata/realmId").asText(), t.toString());
        assertEquals("qb-user-1", t.get("account_id").asText());
        assertTrue(qb.last("token").header("authorization").startsWith("Basic "));
        Db.expireIn(realm.name, "qb-1", 10);
        JsonNode refreshed = token("qb-1", "quickbooks");
        assertNotEquals(t.get("token").asText(), refreshed.get("token").asText());
        assertEquals(QB_REALM_ID, refreshed.at("/metadata/realmId").asText());
        // Credentials in the body are refused.
        assertRefused(Http.postForm(qb.url("token"), Map.of("grant_type", "authorization_code", "code", "nope",
                "client_id", qb.clientId, "client_secret", qb.clientSecret), null), 401, "invalid_client");
    }

    @Test
    @DisplayName("Salesforce: instance_url is kept; no stated lifetime means 15 minutes; a refresh without refresh token keeps the old one")
    void salesforce() throws Exception {
        FakeProvider sf = fake.get("salesforce");
        assertSuccess(connect("salesforce", "sf-1"));
        JsonNode t = token("sf-1", "salesforce");
        assertEquals(SF_INSTANCE, t.at("/metadata/instance_url").asText());
        long expiresIn = t.get("expires_in").asLong();
        assertTrue(expiresIn > 850 && expiresIn <= 900, "defaultExpiresIn 900: " + expiresIn);
        assertEquals("005xx", t.get("account_id").asText());
        String rt = Vault.decrypt(Db.row(realm.name, "sf-1"), "REFRESH_TOKEN");
        Db.expireIn(realm.name, "sf-1", 10);
        JsonNode refreshed = token("sf-1", "salesforce");
        assertNotEquals(t.get("token").asText(), refreshed.get("token").asText());
        assertEquals(SF_INSTANCE, refreshed.at("/metadata/instance_url").asText());
        assertEquals(rt, Vault.decrypt(Db.row(realm.name, "sf-1"), "REFRESH_TOKEN"));
        assertTrue(sf.refreshTokenValid(rt));
        // An unknown refresh token is invalid_grant.
        assertRefused(Http.postForm(sf.url("token"), Map.of("grant_type", "refresh_token", "refresh_token", "unknown-refresh-token",
                "client_id", sf.clientId, "client_secret", sf.clientSecret), null), 400, "invalid_grant");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Gusto, Withings

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

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers

    /** Runs a whole connect through a fake provider; returns where the browser lands at the app. */
    private String connect(String provider, String cid, String... extra) {
        Map<String, String> params = Connect.params("provider", provider, "connection_id", cid, "redirect_uri", Connect.APP_REDIRECT);
        for (int i = 0; i < extra.length; i += 2) {
            params.put(extra[i], extra[i + 1]);
        }
        Http.Resp a = Connect.authorize(realm, realm.alice(), params);
        assertEquals(200, a.status(), () -> "authorize: " + a);
        Browser b = new Browser(TestServer.baseUrl());
        Browser.Page atProvider = b.get(a.json().get("authorize_url").asText());
        Browser.Page callback;
        if (atProvider.status() == 302) {
            callback = b.get(URI.create(atProvider.url()).resolve(atProvider.location()).toString());
        } else if (atProvider.status() == 200 && atProvider.body().contains("<form method=\"post\"")) {
            // response_mode=form_post: the page's script submits the form to the callback; the test does what it does.
            Matcher action = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"").matcher(atProvider.body());
            assertTrue(action.find());
            Map<String, String> form = new LinkedHashMap<>();
            Matcher input = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"/>").matcher(atProvider.body());
            while (input.find()) {
                form.put(unescape(input.group(1)), unescape(input.group(2)));
            }
            callback = b.postForm(unescape(action.group(1)), form);
        } else {
            throw new AssertionError("the provider refused the authorization request: HTTP " + atProvider.status() + " "
                    + atProvider.body());
        }
        Browser.Page end = b.follow(callback);
        assertNotNull(end.location(), () -> "the callback did not send the browser to the app: HTTP " + end.status() + " " + end.body());
        assertTrue(end.location().startsWith(Connect.APP_REDIRECT), end.location());
        return end.location();
    }

    /** An authorization code obtained straight from the fake (no server), with the registered redirect and no PKCE. */
    private static String directCode(FakeProvider f, Map<String, String> extra) {
        StringBuilder url = new StringBuilder(f.url("authorize")).append("?response_type=code&client_id=").append(Http.enc(f.clientId))
                .append("&redirect_uri=").append(Http.enc(f.registeredRedirect)).append("&state=").append(FakeProvider.token(24));
        extra.forEach((k, v) -> url.append('&').append(Http.enc(k)).append('=').append(Http.enc(v)));
        Http.Resp r = Http.get(url.toString(), null);
        assertEquals(302, r.status(), r::toString);
        return FakeProvider.queryOf(r.header("Location")).get("code");
    }

    private JsonNode token(String cid, String provider) {
        Http.Resp r = Connect.token(realm, realm.alice(), cid, provider);
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    private static void assertSuccess(String landed) {
        assertEquals("true", Http.queryParam(landed, "success"), landed);
    }

    private static void assertError(String landed, String error) {
        assertEquals(error, Http.queryParam(landed, "error"), landed);
        assertNull(Http.queryParam(landed, "success"));
    }

    private static void assertRefused(Http.Resp r, int status, String error) {
        assertEquals(status, r.status(), r::toString);
        assertEquals(error, r.json().get("error").asText(), r::toString);
    }

    private static Http.Resp post(String url, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return Http.send(b);
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((Http.enc(id) + ":" + Http.enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode obj() {
        return Http.JSON.createObjectNode();
    }

    private static List<String> list(JsonNode array) {
        List<String> l = new java.util.ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l;
    }

    private static boolean inRange(String v, long min, long max) {
        try {
            long n = Long.parseLong(v);
            return n >= min && n <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** The test team's .p8 key, as Apple hands it out (PKCS#8 PEM); noted as a secret, line by line too. */
    private String applePem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(appleKey.getPrivate().getEncoded());
        for (String line : body.split("\n")) {
            SecretLedger.note(line);
        }
        return SecretLedger.note("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----");
    }

    /** What Apple checks in a client secret: an ES256 JWT from the team's key, for this client, not too long-lived. */
    private String appleSecretProblem(String jwt) {
        if (jwt == null) {
            return "client_secret is missing";
        }
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return "client_secret is not a signed JWT";
        }
        SecretLedger.note(jwt);
        try {
            JsonNode header = Http.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = Http.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            long now = System.currentTimeMillis() / 1000;
            if (!"ES256".equals(header.path("alg").asText()) || !APPLE_KEY_ID.equals(header.path("kid").asText())) {
                return "alg must be ES256 and kid the key id";
            }
            if (!APPLE_TEAM.equals(claims.path("iss").asText()) || !APPLE_CLIENT.equals(claims.path("sub").asText())
                    || !"https://appleid.apple.com".equals(claims.path("aud").asText())) {
                return "iss, sub or aud is wrong";
            }
            long iat = claims.path("iat").asLong(-1);
            long exp = claims.path("exp").asLong(-1);
            if (iat < 0 || iat > now + 60 || exp <= now || exp - iat > 15_777_000) {
                return "iat/exp out of bounds";
            }
            Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
            v.initVerify(appleTrusted);
            v.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return v.verify(Base64.getUrlDecoder().decode(parts[2])) ? null : "signature does not verify";
        } catch (Exception e) {
            return "client_secret is malformed: " + e.getClass().getSimpleName();
        }
    }

    private static String unsignedJwt(ObjectNode claims) {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        try {
            return b.encodeToString("{\"alg\":\"ES256\",\"kid\":\"apple-kid\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + b.encodeToString(Http.JSON.writeValueAsBytes(claims)) + "." + b.encodeToString("not-verified".getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
