package io.kcconnections.it.providers;

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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import io.kcconnections.it.fakes.FakeProvider;

/**
 * The contract fakes of the quirk tests: one {@link FakeProvider} per catalog provider with a quirk, each holding
 * clients to that provider's documented rules, all on one local server. {@link #env()} points the real catalog
 * entries at them ({@code CONNECT_<NAME>_*_URL}).
 */
final class QuirkFakes implements AutoCloseable {

    static final String APPLE_TEAM = "TEAM123456";
    static final String APPLE_KEY_ID = "KEY1234567";
    static final String APPLE_CLIENT = "com.example.connect";
    static final String APPLE_USER = "{\"name\":{\"firstName\":\"Alice\",\"lastName\":\"Demo\"},\"email\":\"alice@privaterelay.appleid.com\"}";
    static final String QB_REALM_ID = "9130357766900";
    static final String SF_INSTANCE = "https://acme.my.salesforce.com";
    static final String SHOP = "acme.myshopify.com";
    /** Instagram's long-lived tokens (the short-lived ones are the fake's ordinary access tokens). */
    final java.util.Set<String> igLongLived = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final FakeProvider.Server fakes;
    /** The fakes by provider name. */
    final Map<String, FakeProvider> fake = new LinkedHashMap<>();
    /** The team's key: the .p8 key the server is configured with. */
    KeyPair appleKey;
    /** The key Apple trusts for the team's client secrets (a test swaps it to make Apple refuse the client). */
    volatile PublicKey appleTrusted;

    QuirkFakes() throws Exception {
        fakes = new FakeProvider.Server();
        defineProviders();
    }

    /** The server environment for every fake: its credentials and URLs, plus the catalog's required template values. */
    Map<String, String> env() {
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
        String ig = fake.get("instagram").url("x");
        env.put("CONNECT_INSTAGRAM_GRAPH_URL", ig.substring(0, ig.length() - 2)); // both graph calls go to the fake
        return env;
    }

    /** Registers the realm's callback URL at every fake (the exact redirect URI each provider accepts). */
    void registerRedirects(TestRealm realm) {
        for (FakeProvider f : fake.values()) {
            f.registeredRedirect = TestServer.baseUrl() + "/realms/" + realm.name + "/connect/callback/" + f.name;
        }
    }

    @Override
    public void close() {
        fakes.close();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The providers' rules.

    private FakeProvider define(String name, String clientId) {
        FakeProvider f = fakes.add(new FakeProvider(name, clientId, name + "-secret-" + FakeProvider.token(12)));
        fake.put(name, f);
        return f;
    }

    private void defineProviders() throws Exception {
        defineFidelityProviders();
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
        dropbox.userinfoRefusesBody = true;
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
                .put("aud", APPLE_CLIENT).put("sub", "001234.apple-user").put("email", "alice@privaterelay.appleid.com")
                .put("email_verified", "true")));

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

    /** Providers whose entries were corrected against their documentation (tracker issue 20). */
    private void defineFidelityProviders() {
        FakeProvider atl = define("atlassian", "atl-client-1");
        atl.jsonBody = true;
        atl.expectedScopes = List.of("read:me", "offline_access");
        atl.requiredAuthorizeParams = Map.of("audience", "api.atlassian.com", "prompt", "consent");
        atl.grantsRefreshToken = q -> List.of(q.get("scope").split(" ")).contains("offline_access");
        atl.deadRefreshStatus = 403; // {"error": "invalid_grant", "error_description": "Unknown or invalid refresh token."}
        atl.userinfo = g -> obj().put("account_id", "5b10ac8d82e05b22cc7d4ef5").put("name", "Alice").put("email", "alice@example.com");

        FakeProvider hub = define("hubspot", "hub-client-1");
        hub.expectedScopes = List.of("oauth");
        hub.expiresIn = 1800L;
        hub.refresh = FakeProvider.Refresh.KEEP;
        hub.revokeTokenInPath = true;
        hub.userinfo = g -> obj().put("portalId", 62515).put("accountType", "STANDARD");

        FakeProvider mc = define("mailchimp", "mc-client-1");
        mc.expiresIn = 0L; // "expires_in": 0, no refresh token: the token never expires
        mc.grantsRefreshToken = q -> false;
        mc.pkce = FakeProvider.Pkce.FORBIDDEN;
        mc.userinfoScheme = "OAuth";
        mc.userinfo = g -> {
            ObjectNode o = obj().put("dc", "us19").put("api_endpoint", "https://us19.api.mailchimp.com").put("user_id", 41981)
                    .put("accountname", "Acme");
            o.putObject("login").put("email", "alice@example.com");
            return o;
        };

        FakeProvider bc = define("basecamp", "bc-client-1");
        bc.expiresIn = 1209600L;
        bc.pkce = FakeProvider.Pkce.FORBIDDEN;
        bc.userinfo = g -> {
            ObjectNode o = obj().put("expires_at", "2026-12-21T07:00:00Z");
            o.putObject("identity").put("id", 9999999).put("first_name", "Alice").put("email_address", "alice@example.com");
            var accounts = o.putArray("accounts");
            accounts.addObject().put("product", "campfire").put("id", 1111).put("href", "https://example.campfirenow.com");
            accounts.addObject().put("product", "bc3").put("id", 99999999).put("href", "https://3.basecampapi.com/99999999");
            return o;
        };

        FakeProvider shop = define("shopify", "shop-client-1");
        shop.scopeSeparator = ",";
        shop.expectedScopes = List.of("read_products");
        shop.pkce = FakeProvider.Pkce.FORBIDDEN;
        shop.requiredTokenParams = Map.of("expiring", "1"::equals);
        shop.callbackExtras = Map.of("shop", SHOP, "timestamp", String.valueOf(System.currentTimeMillis() / 1000),
                "host", "YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvYWNtZQ");
        shop.callbackParams = this::shopifySigned;

        FakeProvider ig = define("instagram", "ig-client-1");
        ig.scopeSeparator = ",";
        ig.expectedScopes = List.of("instagram_business_basic");
        ig.pkce = FakeProvider.Pkce.FORBIDDEN;
        ig.expiresIn = null; // the short-lived token's answer: access_token, user_id, permissions
        ig.grantsRefreshToken = q -> false;
        ig.answer = (s, a) -> {
            a.remove("token_type");
            a.put("user_id", "17841400000000000");
            a.putArray("permissions").add("instagram_business_basic");
        };
        ig.userinfo = g -> obj().put("user_id", "17841400000000000").put("username", "acme.shop");
        ig.endpoints.put("access_token", s -> instagramExchange(ig, s));
        ig.endpoints.put("refresh_access_token", s -> instagramRefresh(ig, s));
    }

    /** Shopify signs the callback: hmac is the hex HMAC-SHA256 (client secret) of the other parameters, sorted. */
    Map<String, String> shopifySigned(Map<String, String> params) {
        Map<String, String> signed = new java.util.TreeMap<>(params);
        signed.remove("hmac");
        StringBuilder msg = new StringBuilder();
        signed.forEach((k, v) -> msg.append(msg.length() == 0 ? "" : "&").append(k).append('=').append(v));
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(fake.get("shopify").clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            Map<String, String> out = new LinkedHashMap<>(params);
            out.put("hmac", java.util.HexFormat.of().formatHex(mac.doFinal(msg.toString().getBytes(StandardCharsets.UTF_8))));
            return out;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** GET access_token?grant_type=ig_exchange_token&client_secret=…&access_token=<short-lived>: a 60-day token. */
    private FakeProvider.Answer instagramExchange(FakeProvider ig, FakeProvider.Seen s) {
        Map<String, String> q = s.params();
        if (!"GET".equals(s.method()) || !s.rawBody().isEmpty()) {
            return graphError(400, 100, "Unsupported request: a GET with its parameters in the query");
        }
        if (!"ig_exchange_token".equals(q.get("grant_type"))) {
            return graphError(400, 100, "grant_type must be ig_exchange_token");
        }
        if (!ig.clientSecret.equals(q.get("client_secret"))) {
            return graphError(400, 101, "Error validating client secret.");
        }
        String shortLived = q.get("access_token");
        FakeProvider.Grant g = ig.grantOf(shortLived);
        if (g == null || igLongLived.contains(shortLived)) {
            return graphError(400, 190, "Invalid OAuth access token - Cannot parse access token");
        }
        return longLived(ig, g);
    }

    /** GET refresh_access_token?grant_type=ig_refresh_token&access_token=<long-lived>: another 60 days. */
    private FakeProvider.Answer instagramRefresh(FakeProvider ig, FakeProvider.Seen s) {
        Map<String, String> q = s.params();
        if (!"GET".equals(s.method()) || !s.rawBody().isEmpty() || !"ig_refresh_token".equals(q.get("grant_type"))) {
            return graphError(400, 100, "a GET with grant_type=ig_refresh_token");
        }
        if (q.containsKey("client_secret")) {
            return graphError(400, 100, "the refresh takes no client secret");
        }
        String token = q.get("access_token");
        FakeProvider.Grant g = ig.grantOf(token);
        if (g == null || !igLongLived.contains(token)) {
            return graphError(400, 190, "Error validating access token: the session is invalid or has expired");
        }
        return longLived(ig, g);
    }

    private FakeProvider.Answer longLived(FakeProvider ig, FakeProvider.Grant g) {
        String at = ig.issueAccessToken(g, "long");
        igLongLived.add(at);
        return new FakeProvider.Answer(200, obj().put("access_token", at).put("token_type", "bearer")
                .put("expires_in", 5183944).toString());
    }

    private static FakeProvider.Answer graphError(int status, int code, String message) {
        ObjectNode e = obj();
        e.putObject("error").put("message", message).put("type", "OAuthException").put("code", code).put("fbtrace_id", "A1b2");
        return new FakeProvider.Answer(status, e.toString());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Apple's signed client secret

    /** The test team's .p8 key, as Apple hands it out (PKCS#8 PEM); noted as a secret, line by line too. */
    String applePem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(appleKey.getPrivate().getEncoded());
        for (String line : body.split("\n")) {
            SecretLedger.note(line);
        }
        return SecretLedger.note("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----");
    }

    /** What Apple checks in a client secret: an ES256 JWT from the team's key, for this client, not too long-lived. */
    String appleSecretProblem(String jwt) {
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

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
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

    private static ObjectNode obj() {
        return Http.JSON.createObjectNode();
    }

    private static boolean inRange(String v, long min, long max) {
        try {
            long n = Long.parseLong(v);
            return n >= min && n <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
