package io.kcconnections.it.webhooks;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhook deliveries signed as each sender documents it (GitHub, Slack v0, Stripe, a generic HMAC): verified ones are
 * accepted (202) and recorded; tampered, expired, replayed, oversized and unrouted ones are refused or acknowledged
 * without being recorded as verified. A replayed delivery id is acknowledged (202 {@code duplicate}) so the sender
 * stops retrying, and recorded as {@code duplicate}, never as {@code verified}. Beyond a route's rate limit an authentic
 * delivery is 429 {@code rate_limited} and its id stays unused, so the sender's retry is taken. A route that names where
 * the provider's account id is routes a delivery to that account's connection. The activity log is for admins only.
 */
class WebhookIT {

    @FreshRealm
    private TestRealm realm;

    private static String secret() {
        return SecretLedger.note("whsec-" + UUID.randomUUID());
    }

    private void route(String provider, String route, Map<String, Object> config) {
        Http.Resp r = realm.admin().put("/" + realm.name + "/connect/webhooks/" + provider + "/" + route, config);
        assertEquals(204, r.status(), r::toString);
    }

    private Http.Resp deliver(String provider, String route, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(realm.url("/connect/webhooks/" + provider + "/" + route)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return Http.send(b);
    }

    private List<JsonNode> activity(String provider, String route) {
        Http.Resp r = realm.admin().get("/" + realm.name + "/connect/webhooks/" + provider + "/" + route + "/activity");
        assertEquals(200, r.status(), r::toString);
        List<JsonNode> out = new ArrayList<>();
        r.json().get("deliveries").forEach(out::add);
        return out;
    }

    private long withVerdict(String provider, String route, String verdict) {
        return activity(provider, route).stream().filter(d -> d.get("verdict").asText().equals(verdict)).count();
    }

    private long verified(String provider, String route) {
        return activity(provider, route).stream().filter(d -> d.get("verdict").asText().equals("verified")).count();
    }

    private static byte[] hmac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String hex(String secret, String data) {
        return HexFormat.of().formatHex(hmac(secret, data));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    @Test
    @DisplayName("GitHub: X-Hub-Signature-256 over the raw body; a re-sent delivery id is acknowledged, not recorded again")
    void github() {
        String secret = secret();
        route("github", "repo", Map.of("scheme", "github", "secret", secret));
        Http.Resp events = realm.admin().put("/" + realm.name + "/events/config",
                Map.of("eventsEnabled", true, "enabledEventTypes", List.of("IDENTITY_PROVIDER_RESPONSE")));
        assertEquals(204, events.status(), events::toString);
        String body = "{\"action\":\"opened\",\"marker\":\"body-" + UUID.randomUUID() + "\"}";
        String sig = "sha256=" + hex(secret, body);
        String delivery = UUID.randomUUID().toString();
        Http.Resp ok = deliver("github", "repo", utf8(body), "X-Hub-Signature-256", sig, "X-GitHub-Delivery", delivery,
                "X-GitHub-Event", "issues");
        assertEquals(202, ok.status(), ok::toString);
        assertEquals("verified", ok.json().get("status").asText());
        Http.Resp again = deliver("github", "repo", utf8(body), "X-Hub-Signature-256", sig, "X-GitHub-Delivery", delivery);
        assertEquals(202, again.status(), again::toString);
        assertEquals("duplicate", again.json().get("status").asText(), "replayed: acknowledged, not verified again");

        String tampered = body.replace("opened", "closed");
        Http.Resp bad = deliver("github", "repo", utf8(tampered), "X-Hub-Signature-256", sig, "X-GitHub-Delivery",
                UUID.randomUUID().toString());
        assertEquals(401, bad.status(), bad::toString);
        assertEquals("bad_signature", bad.json().get("error").asText());
        Http.Resp otherSecret = deliver("github", "repo", utf8(body), "X-Hub-Signature-256", "sha256=" + hex("nope", body),
                "X-GitHub-Delivery", UUID.randomUUID().toString());
        assertEquals(401, otherSecret.status(), otherSecret::toString);
        Http.Resp unsigned = deliver("github", "repo", utf8(body), "X-GitHub-Delivery", UUID.randomUUID().toString());
        assertEquals(400, unsigned.status(), unsigned::toString);

        List<JsonNode> log = activity("github", "repo");
        assertEquals(5, log.size(), log::toString);
        assertEquals(1, verified("github", "repo"), log::toString);
        assertEquals(1, log.stream().filter(d -> d.get("verdict").asText().equals("duplicate")).count());
        JsonNode first = log.stream().filter(d -> d.get("verdict").asText().equals("verified")).findFirst().orElseThrow();
        assertEquals(delivery, first.get("deliveryId").asText());
        assertEquals(body.length(), first.get("size").asInt());
        assertNotNull(first.get("receivedAt").asText());
        assertFalse(log.toString().contains("marker"), "the body is never in the activity log");
        List<JsonNode> stored = realm.admin().events(realm.name, "IDENTITY_PROVIDER_RESPONSE");
        assertEquals(1, stored.size(), "one event, for the verified delivery only: " + stored);
        assertEquals("webhook", stored.get(0).at("/details/connect_event").asText(), stored::toString);
        assertEquals("repo", stored.get(0).at("/details/webhook_route").asText());
        assertEquals(delivery, stored.get(0).at("/details/delivery_id").asText());
        assertFalse(stored.toString().contains("marker"), "never the body in an event");
    }

    @Test
    @DisplayName("Slack v0: signature over v0:timestamp:body; an old timestamp is refused even when signed; a replay is a duplicate")
    void slack() {
        String secret = secret();
        route("slack", "events", Map.of("scheme", "slack", "secret", secret));
        String body = "token=x&team_id=T1&command=%2Fweather&text=94070";
        String ts = String.valueOf(now());
        String sig = "v0=" + hex(secret, "v0:" + ts + ":" + body);
        Http.Resp ok = deliver("slack", "events", utf8(body), "X-Slack-Signature", sig, "X-Slack-Request-Timestamp", ts);
        assertEquals(202, ok.status(), ok::toString);
        assertEquals("verified", ok.json().get("status").asText());
        Http.Resp replay = deliver("slack", "events", utf8(body), "X-Slack-Signature", sig, "X-Slack-Request-Timestamp", ts);
        assertEquals("duplicate", replay.json().get("status").asText(), replay::toString);

        String old = String.valueOf(now() - 600);
        Http.Resp expired = deliver("slack", "events", utf8(body), "X-Slack-Signature", "v0=" + hex(secret, "v0:" + old + ":" + body),
                "X-Slack-Request-Timestamp", old);
        assertEquals(401, expired.status(), expired::toString);
        assertEquals("expired", expired.json().get("error").asText());
        Http.Resp movedTs = deliver("slack", "events", utf8(body), "X-Slack-Signature", sig,
                "X-Slack-Request-Timestamp", String.valueOf(now() + 1));
        assertEquals(401, movedTs.status(), "the timestamp is signed: " + movedTs);
        assertEquals(1, verified("slack", "events"));
    }

    @Test
    @DisplayName("Stripe: t and v1 over t.body within the tolerance; the same event re-sent with a new signature is a duplicate")
    void stripe() {
        String secret = secret();
        route("stripe", "payments", Map.of("scheme", "stripe", "secret", secret, "toleranceSeconds", 300));
        String event = "evt_" + UUID.randomUUID().toString().replace("-", "");
        String body = "{\"id\":\"" + event + "\",\"object\":\"event\",\"type\":\"charge.succeeded\"}";
        long t = now();
        Http.Resp ok = deliver("stripe", "payments", utf8(body), "Stripe-Signature",
                "t=" + t + ",v1=" + hex(secret, t + "." + body) + ",v0=" + hex("test-key", t + "." + body));
        assertEquals(202, ok.status(), ok::toString);
        assertEquals(event, ok.json().get("delivery_id").asText());
        long t2 = t + 1;
        Http.Resp retry = deliver("stripe", "payments", utf8(body), "Stripe-Signature", "t=" + t2 + ",v1=" + hex(secret, t2 + "." + body));
        assertEquals("duplicate", retry.json().get("status").asText(), retry::toString);

        String other = body.replace(event, event + "x");
        long old = now() - 301;
        Http.Resp expired = deliver("stripe", "payments", utf8(other), "Stripe-Signature", "t=" + old + ",v1=" + hex(secret, old + "." + other));
        assertEquals(401, expired.status(), expired::toString);
        assertEquals("expired", expired.json().get("error").asText());
        Http.Resp tampered = deliver("stripe", "payments", utf8(other), "Stripe-Signature", "t=" + t + ",v1=" + hex(secret, t + "." + body));
        assertEquals(401, tampered.status(), tampered::toString);
        assertEquals(1, verified("stripe", "payments"));
    }

    @Test
    @DisplayName("Generic HMAC-SHA256: configured header, prefix and base64; secret from Keycloak's vault; stored encrypted")
    void genericHmacWithVaultSecret() throws Exception {
        String secret = secret();
        TestServer.vaultSecret(realm.name, "shop_webhook", secret);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("scheme", "hmac-sha256");
        cfg.put("secret", "${vault.shop_webhook}");
        cfg.put("header", "X-Shop-Hmac");
        cfg.put("prefix", "sha256=");
        cfg.put("encoding", "base64");
        cfg.put("deliveryIdHeader", "X-Shop-Delivery");
        route("shop", "orders", cfg);
        String body = "{\"order\":42}";
        String sig = "sha256=" + Base64.getEncoder().encodeToString(hmac(secret, body));
        Http.Resp ok = deliver("shop", "orders", utf8(body), "X-Shop-Hmac", sig, "X-Shop-Delivery", "d-1");
        assertEquals(202, ok.status(), ok::toString);
        assertEquals("verified", ok.json().get("status").asText());
        Http.Resp hexInstead = deliver("shop", "orders", utf8(body), "X-Shop-Hmac", "sha256=" + hex(secret, body),
                "X-Shop-Delivery", "d-2");
        assertEquals(401, hexInstead.status(), "the configured encoding only: " + hexInstead);

        String literal = secret();
        route("shop", "refunds", Map.of("scheme", "hmac-sha256", "secret", literal, "header", "X-Sig"));
        Http.Resp view = realm.admin().get("/" + realm.name + "/connect/webhooks/shop/refunds");
        assertEquals(200, view.status(), view::toString);
        assertEquals("hex", view.json().get("encoding").asText());
        assertFalse(view.body().contains(literal), "the secret is never answered");
        try (java.sql.Connection c = TestServer.get().jdbc();
             PreparedStatement ps = c.prepareStatement("select w.SECRET from CONNECT_WEBHOOK_ROUTE w join REALM r on r.ID = w.REALM_ID where r.NAME = ?")) {
            ps.setString(1, realm.name);
            try (ResultSet rs = ps.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    n++;
                    assertFalse(rs.getString(1).contains(literal) || rs.getString(1).contains("vault"), "stored encrypted");
                }
                assertEquals(2, n);
            }
        }
        Http.Resp enc = realm.admin().get("/" + realm.name + "/connect/encryption");
        assertEquals(200, enc.status(), enc::toString);
        assertEquals(0, enc.json().get("webhook_routes_on_older_keys").asInt(), "route secrets are under the primary key");
    }

    @Test
    @DisplayName("Oversized bodies: 413 by Content-Length or while reading a chunked body; nothing recorded as verified")
    void oversized() {
        String secret = secret();
        route("github", "small", Map.of("scheme", "github", "secret", secret, "maxBytes", 1024));
        byte[] big = new byte[64 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        String sig = "sha256=" + hex(secret, new String(big, StandardCharsets.UTF_8));
        Http.Resp declared = deliver("github", "small", big, "X-Hub-Signature-256", sig, "X-GitHub-Delivery", "big-1");
        assertEquals(413, declared.status(), declared::toString);
        assertEquals("payload_too_large", declared.json().get("error").asText());
        HttpRequest.Builder chunked = HttpRequest.newBuilder(URI.create(realm.url("/connect/webhooks/github/small")))
                .header("X-Hub-Signature-256", sig).header("X-GitHub-Delivery", "big-2")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
        Http.Resp streamed = Http.send(chunked);
        assertEquals(413, streamed.status(), streamed::toString);

        route("github", "default", Map.of("scheme", "github", "secret", secret));
        byte[] overMb = new byte[1024 * 1024 + 1];
        Http.Resp defaultCap = deliver("github", "default", overMb, "X-Hub-Signature-256", "sha256=00", "X-GitHub-Delivery", "big-3");
        assertEquals(413, defaultCap.status(), "the default cap is 1 MB: " + defaultCap);
        assertEquals(0, verified("github", "small"));
        assertEquals(0, verified("github", "default"));
        assertTrue(activity("github", "small").stream().allMatch(d -> d.get("verdict").asText().equals("too_large")));
    }

    @Test
    @DisplayName("Unknown provider or route: 404 and nothing recorded; the activity needs an admin with view-realm")
    void unknownRoutesAndAdminOnly() {
        String secret = secret();
        route("github", "repo", Map.of("scheme", "github", "secret", secret));
        String body = "{}";
        Http.Resp unknown = deliver("github", "other", utf8(body), "X-Hub-Signature-256", "sha256=" + hex(secret, body));
        assertEquals(404, unknown.status(), unknown::toString);
        Http.Resp unknownProvider = deliver("gitlab", "repo", utf8(body), "X-Hub-Signature-256", "sha256=" + hex(secret, body));
        assertEquals(404, unknownProvider.status(), unknownProvider::toString);
        assertEquals(0, activity("github", "repo").size(), "nothing recorded for unrouted deliveries");

        String path = TestServer.baseUrl() + "/admin/realms/" + realm.name + "/connect/webhooks/github/repo/activity";
        assertEquals(401, Http.get(path, null).status());
        Http.Resp user = Http.get(path, realm.alice());
        assertEquals(403, user.status(), "a user without view-realm: " + user);
        Http.Resp userPut = Http.sendJson("PUT", TestServer.baseUrl() + "/admin/realms/" + realm.name
                + "/connect/webhooks/github/repo", Map.of("scheme", "github", "secret", "x"), realm.alice());
        assertEquals(403, userPut.status(), userPut::toString);
        Http.Resp badScheme = realm.admin().put("/" + realm.name + "/connect/webhooks/github/repo",
                Map.of("scheme", "md5", "secret", "x"));
        assertEquals(400, badScheme.status(), badScheme::toString);
        assertEquals(204, realm.admin().delete("/" + realm.name + "/connect/webhooks/github/repo").status());
        assertEquals(404, deliver("github", "repo", utf8(body), "X-Hub-Signature-256", "sha256=" + hex(secret, body)).status(),
                "a removed route is unknown");
    }

    @Test
    @DisplayName("Rate limit per route: beyond rateLimitPerMinute an authentic delivery is 429 rate_limited with Retry-After, "
            + "logged as such, its id unused (the retry is verified, not a duplicate); forged ones do not count")
    void rateLimitPerRoute() {
        String secret = secret();
        route("github", "limited", Map.of("scheme", "github", "secret", secret, "rateLimitPerMinute", 2));
        route("github", "defaults", Map.of("scheme", "github", "secret", secret));
        assertEquals(100, realm.admin().get("/" + realm.name + "/connect/webhooks/github/defaults").json()
                .get("rateLimitPerMinute").asInt(), "100 a minute unless the route says otherwise");
        assertEquals(2, realm.admin().get("/" + realm.name + "/connect/webhooks/github/limited").json()
                .get("rateLimitPerMinute").asInt());
        String body = "{\"action\":\"limited\"}";
        String sig = "sha256=" + hex(secret, body);
        for (int i = 0; i < 3; i++) {
            Http.Resp forged = deliver("github", "limited", utf8(body), "X-Hub-Signature-256", "sha256=" + hex("nope", body),
                    "X-GitHub-Delivery", "forged-" + i);
            assertEquals(401, forged.status(), forged::toString);
        }
        for (String id : List.of("d-1", "d-2")) {
            Http.Resp ok = deliver("github", "limited", utf8(body), "X-Hub-Signature-256", sig, "X-GitHub-Delivery", id);
            assertEquals(202, ok.status(), () -> "forged deliveries use none of the allowance: " + ok);
        }
        Http.Resp limited = deliver("github", "limited", utf8(body), "X-Hub-Signature-256", sig, "X-GitHub-Delivery", "d-3");
        assertEquals(429, limited.status(), limited::toString);
        assertEquals("rate_limited", limited.json().get("error").asText());
        long retryAfter = Long.parseLong(limited.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 30, "two a minute: one every 30 s, Retry-After " + retryAfter);
        assertEquals(1, withVerdict("github", "limited", "rate_limited"));
        assertEquals("d-3", activity("github", "limited").get(0).get("deliveryId").asText());
        assertEquals(2, verified("github", "limited"), "a limited delivery is not recorded as verified");
        assertEquals(202, deliver("github", "defaults", utf8(body), "X-Hub-Signature-256", sig, "X-GitHub-Delivery", "d-3")
                .status(), "each route has its own allowance");

        Http.Resp bad = realm.admin().put("/" + realm.name + "/connect/webhooks/github/limited",
                Map.of("scheme", "github", "secret", secret, "rateLimitPerMinute", -1));
        assertEquals(400, bad.status(), bad::toString);
        route("github", "limited", Map.of("scheme", "github", "secret", secret, "rateLimitPerMinute", 0));
        Http.Resp retried = deliver("github", "limited", utf8(body), "X-Hub-Signature-256", sig, "X-GitHub-Delivery", "d-3");
        assertEquals(202, retried.status(), () -> "0 is no limit: " + retried);
        assertEquals("verified", retried.json().get("status").asText(), "the limited delivery's id was not used up");
        assertEquals(3, verified("github", "limited"));
    }

    @Test
    @DisplayName("Routing by account id: the route's accountIdPointer names the provider account; a delivery for a connected "
            + "account carries its connection id (event and activity), an unknown account none and is still 202")
    void routesToTheAccountsConnection() {
        String alice = realm.alice();
        String landed = Connect.connect(realm, alice, "keycloak", "wh-acct", realm.upstreamUser());
        assertTrue(landed.contains("success=true"), landed);
        Http.Resp token = Connect.token(realm, alice, "wh-acct", "keycloak");
        assertEquals(200, token.status(), token::toString);
        String account = token.json().get("account_id").asText();
        assertFalse(account.isBlank(), token::toString);
        assertEquals(204, realm.admin().put("/" + realm.name + "/events/config", Map.of("eventsEnabled", true,
                "enabledEventTypes", List.of("IDENTITY_PROVIDER_RESPONSE"))).status());
        String secret = secret();
        route("keycloak", "installs", Map.of("scheme", "github", "secret", secret,
                "accountIdPointer", "/installation/account/id"));
        assertEquals("/installation/account/id", realm.admin().get("/" + realm.name
                + "/connect/webhooks/keycloak/installs").json().get("accountIdPointer").asText());
        Http.Resp badPointer = realm.admin().put("/" + realm.name + "/connect/webhooks/keycloak/other",
                Map.of("scheme", "github", "secret", secret, "accountIdPointer", "installation.account.id"));
        assertEquals(400, badPointer.status(), badPointer::toString);

        String body = "{\"action\":\"created\",\"installation\":{\"account\":{\"id\":\"" + account + "\"}},\"marker\":\"m\"}";
        Http.Resp ok = deliver("keycloak", "installs", utf8(body), "X-Hub-Signature-256", "sha256=" + hex(secret, body),
                "X-GitHub-Delivery", "known");
        assertEquals(202, ok.status(), ok::toString);
        String unknown = "{\"installation\":{\"account\":{\"id\":\"no-such-account\"}}}";
        Http.Resp none = deliver("keycloak", "installs", utf8(unknown), "X-Hub-Signature-256", "sha256=" + hex(secret, unknown),
                "X-GitHub-Delivery", "unknown");
        assertEquals(202, none.status(), "an unknown account is still accepted: " + none);
        assertEquals("verified", none.json().get("status").asText());

        String aliceId = realm.admin().get("/" + realm.name + "/users?username=alice&exact=true").json().get(0).get("id").asText();
        List<JsonNode> events = realm.admin().events(realm.name, "IDENTITY_PROVIDER_RESPONSE");
        JsonNode known = events.stream().filter(e -> "known".equals(e.at("/details/delivery_id").asText())).findFirst().orElseThrow();
        assertEquals("wh-acct", known.at("/details/connection_id").asText(), known::toString);
        assertEquals(aliceId, known.path("userId").asText(), "the one connection's person: " + known);
        JsonNode other = events.stream().filter(e -> "unknown".equals(e.at("/details/delivery_id").asText())).findFirst().orElseThrow();
        assertTrue(other.at("/details/connection_id").isMissingNode(), other::toString);
        assertFalse(events.toString().contains("marker"), "never the body in an event");

        List<JsonNode> log = activity("keycloak", "installs");
        assertEquals(List.of("wh-acct"), ids(log, "known"));
        assertEquals(List.of(), ids(log, "unknown"));
        assertFalse(log.toString().contains(account), "the activity log keeps connection ids, not the payload");
    }

    private static List<String> ids(List<JsonNode> log, String deliveryId) {
        List<String> out = new ArrayList<>();
        log.stream().filter(d -> deliveryId.equals(d.get("deliveryId").asText())).findFirst().orElseThrow()
                .get("connectionIds").forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    @DisplayName("Key rotation: a route's secret under the old key still verifies; the re-wrap moves it; then the old key can go")
    void keyRotationMovesRouteSecrets() throws Exception {
        String newKey = SecretLedger.note(Base64.getEncoder().encodeToString(utf8("webhook-rotation-key-32-bytes-xx")));
        String secret = secret();
        route("github", "rotated", Map.of("scheme", "github", "secret", secret));
        String body = "{\"rotation\":true}";
        try {
            TestServer.restartWith(Map.of("CONNECT_TOKEN_ENCRYPTION_KEY", newKey,
                    "CONNECT_TOKEN_ENCRYPTION_OLD_KEYS", TestServer.ENCRYPTION_KEY));
            assertEquals(202, deliver("github", "rotated", utf8(body), "X-Hub-Signature-256", "sha256=" + hex(secret, body),
                    "X-GitHub-Delivery", UUID.randomUUID().toString()).status(), "the old key still decrypts the secret");
            JsonNode status = realm.admin().get("/" + realm.name + "/connect/encryption").json();
            assertEquals(1, status.get("webhook_routes_on_older_keys").asInt(), status::toString);
            assertFalse(status.get("done").asBoolean(), status::toString);
            Http.Resp moved = realm.admin().post("/" + realm.name + "/connect/encryption/rewrap", Map.of());
            assertEquals(200, moved.status(), moved::toString);
            assertTrue(moved.json().get("done").asBoolean(), moved::toString);
            TestServer.restartWith(Map.of("CONNECT_TOKEN_ENCRYPTION_KEY", newKey));
            Http.Resp after = deliver("github", "rotated", utf8(body), "X-Hub-Signature-256", "sha256=" + hex(secret, body),
                    "X-GitHub-Delivery", UUID.randomUUID().toString());
            assertEquals(202, after.status(), "verified with the new key alone: " + after);
        } finally {
            TestServer.restoreDefaults();
        }
    }
}
