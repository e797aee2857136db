package io.kcconnections.it.webhooks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks out: an app registers an endpoint (admin API) and receives its connections' lifecycle events, signed per
 * Standard Webhooks, from the database outbox. A local receiver fails the first delivery (500), which is retried with
 * the same webhook-id; signatures verify with the secret answered at creation; payloads carry no token; another app's
 * endpoint hears nothing of connections it may not read; needs_reauth (the upstream ended the grant), recovered (a
 * refresh after a failure) and deleted on the person's removal reach the app too; an endpoint answering 410 Gone is
 * disabled (nothing more queued or sent) until an admin enables it again; a 429 or 503 with Retry-After defers the
 * next attempt that long, at most the largest backoff step; a rotated secret signs beside the previous one (two
 * signatures, the new one first) until the overlap ends, and both follow a key rotation; the admin API refuses without
 * a token (401), without the rights (403) and bad URLs (400).
 */
class WebhooksOutIT {

    @FreshRealm
    private TestRealm realm;

    private HttpServer server;
    private final List<Received> app = new CopyOnWriteArrayList<>();
    private final List<Received> other = new CopyOnWriteArrayList<>();
    private final AtomicInteger appCalls = new AtomicInteger();
    private final List<Received> gone = new CopyOnWriteArrayList<>();
    private final AtomicInteger goneAnswer = new AtomicInteger(410);
    private final List<Received> busy = new CopyOnWriteArrayList<>();
    private final List<Long> busyAt = new CopyOnWriteArrayList<>();
    private final List<Received> rot = new CopyOnWriteArrayList<>();

    /** One request the receiver saw. */
    record Received(String id, String timestamp, String signature, String body, int answered) {
        JsonNode json() {
            try {
                return Http.JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeEach
    void receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook-app", x -> {
            int status = appCalls.incrementAndGet() == 1 ? 500 : 204; // the very first delivery fails
            record(x, app, status);
        });
        server.createContext("/hook-other", x -> record(x, other, 204));
        server.createContext("/hook-rot", x -> record(x, rot, 204));
        server.createContext("/hook-gone", x -> record(x, gone, goneAnswer.get()));
        server.createContext("/hook-busy", x -> { // 429 for 3 s, then 503 for two hours, then delivered
            busyAt.add(System.currentTimeMillis());
            int n = busyAt.size();
            if (n <= 2) {
                x.getResponseHeaders().set("Retry-After", n == 1 ? "3" : DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        ZonedDateTime.now(ZoneOffset.UTC).plusHours(2)));
            }
            record(x, busy, n == 1 ? 429 : n == 2 ? 503 : 204);
        });
        server.start();
    }

    private static void record(com.sun.net.httpserver.HttpExchange x, List<Received> into, int status) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        into.add(new Received(x.getRequestHeaders().getFirst("webhook-id"), x.getRequestHeaders().getFirst("webhook-timestamp"),
                x.getRequestHeaders().getFirst("webhook-signature"), body, status));
        x.sendResponseHeaders(status, -1);
        x.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String hook(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private String endpoints() {
        return "/" + realm.name + "/connect/webhook-endpoints";
    }

    private JsonNode register(String clientId, String url) {
        Http.Resp r = realm.admin().post(endpoints(), Map.of("clientId", clientId, "url", url));
        assertEquals(201, r.status(), r::toString);
        SecretLedger.note(r.json().get("secret").asText());
        return r.json();
    }

    private static String sign(String secret, String id, String ts, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal((id + "." + ts + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Received> await(List<Received> seen, Predicate<List<Received>> done) throws InterruptedException {
        long end = System.currentTimeMillis() + 60_000;
        while (!done.test(seen) && System.currentTimeMillis() < end) {
            Thread.sleep(200);
        }
        assertTrue(done.test(seen), () -> "received: " + seen);
        return new ArrayList<>(seen);
    }

    private static long ofType(List<Received> seen, String type) {
        return seen.stream().filter(r -> r.json().path("type").asText().equals(type)).count();
    }

    @Test
    @DisplayName("Given endpoints of demo-app and demo-other, when alice connects through demo-app and disconnects, then "
            + "only demo-app's endpoint gets signed created/revoked/deleted events, the failed first delivery is retried "
            + "with the same id, and no payload carries a token")
    void signedEventsRetriedOnlyToTheAppsEndpoint() throws Exception {
        JsonNode mine = register("demo-app", hook("/hook-app"));
        String secret = mine.get("secret").asText();
        assertTrue(secret.startsWith("whsec_"), secret);
        JsonNode theirs = register("demo-other", hook("/hook-other"));
        String alice = realm.alice();

        String landed = Connect.connect(realm, alice, "keycloak", "wh-c1", realm.upstreamUser());
        assertTrue(landed.contains("success=true"), landed);
        Http.Resp token = Connect.token(realm, alice, "wh-c1", "keycloak");
        assertEquals(200, token.status(), token::toString);
        String accessToken = token.json().get("token").asText();

        List<Received> got = await(app, s -> s.size() >= 2);
        Received failed = got.get(0);
        Received retried = got.get(1);
        assertEquals(500, failed.answered());
        assertEquals(204, retried.answered());
        assertEquals(failed.id(), retried.id(), "a retry keeps the webhook-id");
        assertEquals(failed.body(), retried.body());
        for (Received r : got) {
            assertEquals(sign(secret, r.id(), r.timestamp(), r.body()), r.signature(), "signature of " + r);
            assertTrue(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(r.timestamp())) < 120);
        }
        JsonNode created = retried.json();
        assertEquals("connection.created", created.get("type").asText());
        assertTrue(created.hasNonNull("timestamp"));
        JsonNode data = created.get("data");
        assertEquals("wh-c1", data.get("connection_id").asText());
        assertEquals("keycloak", data.get("provider").asText());
        assertEquals("active", data.get("status").asText());
        String aliceId = realm.admin().get("/" + realm.name + "/users?username=alice&exact=true").json().get(0).get("id").asText();
        assertEquals(aliceId, data.get("user_id").asText());

        Http.Resp deliveries = realm.admin().get(endpoints() + "/" + mine.get("id").asText() + "/deliveries");
        assertEquals(200, deliveries.status(), deliveries::toString);
        JsonNode d = deliveries.json().get("deliveries").get(0);
        assertEquals("delivered", d.get("status").asText(), d::toString);
        assertEquals(2, d.get("attempts").asInt());
        assertEquals(204, d.get("lastStatus").asInt());
        assertEquals(failed.id(), d.get("id").asText());

        assertEquals(204, Http.delete(realm.url("/connect/connections/wh-c1?provider=keycloak"), alice).status());
        got = await(app, s -> ofType(s, "connection.deleted") >= 1);
        assertEquals(1, ofType(got, "connection.revoked"), () -> "events: " + app);
        JsonNode deleted = got.stream().filter(r -> r.json().get("type").asText().equals("connection.deleted"))
                .findFirst().orElseThrow().json();
        assertEquals("deleted", deleted.get("data").get("status").asText());
        assertEquals("revoked", deleted.get("data").get("revoked").asText());

        for (Received r : got) {
            assertFalse(r.body().contains(accessToken), "a payload carries the access token");
            assertFalse(r.body().contains("token\""), () -> "a payload has a token member: " + r.body());
        }
        assertTrue(other.isEmpty(), () -> "demo-other heard of alice's demo-app connection: " + other);
        Http.Resp none = realm.admin().get(endpoints() + "/" + theirs.get("id").asText() + "/deliveries");
        assertEquals(0, none.json().get("deliveries").size(), none::toString);
    }

    private static List<JsonNode> delivered(List<Received> seen, String type) {
        return seen.stream().filter(r -> r.answered() == 204 && r.json().path("type").asText().equals(type))
                .map(Received::json).toList();
    }

    /** Due for a refresh now, with the token still valid for 20 s (within the token endpoint's margin). */
    private void makeDue(String connectionId) throws Exception {
        long now = System.currentTimeMillis();
        Db.update("update CONNECT_CONNECTION set EXPIRES_AT = ?, REFRESH_AT = ? where ID = ?", now + 20_000, now - 1000,
                Db.row(realm.name, connectionId).get("ID"));
    }

    @Test
    @DisplayName("Given demo-app's endpoint, when one of alice's connections needs a new consent (the upstream ended its "
            + "session), another recovers after a failed refresh, and alice is removed, then signed needs_reauth, "
            + "recovered and deleted (user_removed) events reach it")
    void needsReauthRecoveredAndUserRemoval() throws Exception {
        String secret = register("demo-app", hook("/hook-app")).get("secret").asText();
        String alice = realm.alice();
        String[] person = realm.upstreamUser();
        assertTrue(Connect.connect(realm, alice, "keycloak", "wh-dead", person).contains("success=true"));
        assertTrue(Connect.connect(realm, alice, "keycloak", "wh-back", realm.upstreamUser()).contains("success=true"));
        await(app, s -> delivered(s, "connection.created").size() >= 2);
        Thread.sleep(1100); // a refreshed token differs from the first one

        Db.update("update CONNECT_CONNECTION set STATUS = 'degraded', FAILURE_COUNT = 1 where ID = ?",
                Db.row(realm.name, "wh-back").get("ID"));
        makeDue("wh-back");
        Http.Resp back = Connect.token(realm, alice, "wh-back", "keycloak");
        assertEquals(200, back.status(), back::toString);
        JsonNode recovered = await(app, s -> delivered(s, "connection.recovered").size() >= 1).stream()
                .filter(r -> r.answered() == 204 && r.json().path("type").asText().equals("connection.recovered"))
                .findFirst().orElseThrow().json();
        assertEquals("wh-back", recovered.at("/data/connection_id").asText(), recovered::toString);
        assertEquals("active", recovered.at("/data/status").asText(), recovered::toString);

        String upstreamId = realm.admin().get("/upstream/users?exact=true&username=" + person[0]).json().get(0).get("id").asText();
        assertEquals(204, realm.admin().post("/upstream/users/" + upstreamId + "/logout", Map.of()).status());
        makeDue("wh-dead");
        Http.Resp dead = Connect.token(realm, alice, "wh-dead", "keycloak");
        assertEquals(409, dead.status(), dead::toString);
        assertEquals("needs_reauth", dead.json().get("error").asText());
        JsonNode reauth = delivered(await(app, s -> delivered(s, "connection.needs_reauth").size() >= 1),
                "connection.needs_reauth").get(0);
        assertEquals("wh-dead", reauth.at("/data/connection_id").asText(), reauth::toString);
        assertEquals("needs_reauth", reauth.at("/data/status").asText(), reauth::toString);
        assertEquals("invalid_grant", reauth.at("/data/reason").asText(), reauth::toString);

        String aliceId = realm.admin().get("/" + realm.name + "/users?username=alice&exact=true").json().get(0).get("id").asText();
        assertEquals(204, realm.admin().delete("/" + realm.name + "/users/" + aliceId).status());
        List<Received> got = await(app, s -> delivered(s, "connection.deleted").size() >= 2);
        List<JsonNode> deleted = delivered(got, "connection.deleted");
        assertEquals(List.of("wh-back", "wh-dead"), deleted.stream().map(d -> d.at("/data/connection_id").asText()).sorted().toList());
        for (JsonNode d : deleted) {
            assertEquals("user_removed", d.at("/data/reason").asText(), d::toString);
            assertEquals(aliceId, d.at("/data/user_id").asText(), d::toString);
        }
        for (Received r : got) {
            assertEquals(sign(secret, r.id(), r.timestamp(), r.body()), r.signature(), "signature of " + r);
            assertFalse(r.body().contains("token\""), () -> "a payload has a token member: " + r.body());
        }
        assertEquals(1, delivered(got, "connection.recovered").size(), "one recovery");
        assertEquals(1, delivered(got, "connection.needs_reauth").size(), "one needs_reauth");
    }

    /** The endpoint's deliveries once the newest is {@code status}. */
    private JsonNode awaitDeliveries(String endpointId, String status) throws InterruptedException {
        long end = System.currentTimeMillis() + 60_000;
        JsonNode d;
        do {
            Http.Resp r = realm.admin().get(endpoints() + "/" + endpointId + "/deliveries");
            assertEquals(200, r.status(), r::toString);
            d = r.json().get("deliveries");
            if (d.size() > 0 && d.get(0).get("status").asText().equals(status)) {
                return d;
            }
            Thread.sleep(200);
        } while (System.currentTimeMillis() < end);
        throw new AssertionError("no " + status + " delivery: " + d);
    }

    private JsonNode listed(String endpointId) {
        for (JsonNode e : realm.admin().get(endpoints() + "?clientId=demo-app").json().get("endpoints")) {
            if (e.get("id").asText().equals(endpointId)) {
                return e;
            }
        }
        throw new AssertionError("endpoint " + endpointId + " not listed");
    }

    @Test
    @DisplayName("Given demo-app's endpoint answering 410 Gone, when alice connects, then the delivery fails without a "
            + "retry, the endpoint is listed disabled with the reason, a row still queued fails unsent, a second "
            + "connection's event is neither queued nor sent, and after the admin enables it the next event is delivered")
    void goneDisablesTheEndpointUntilEnabled() throws Exception {
        String id = register("demo-app", hook("/hook-gone")).get("id").asText();
        assertTrue(listed(id).get("enabled").asBoolean());
        String alice = realm.alice();
        assertTrue(Connect.connect(realm, alice, "keycloak", "wh-g1", realm.upstreamUser()).contains("success=true"));
        JsonNode failed = awaitDeliveries(id, "failed").get(0);
        assertEquals(1, failed.get("attempts").asInt(), failed::toString);
        assertEquals(410, failed.get("lastStatus").asInt(), failed::toString);
        assertEquals("endpoint gone (410)", failed.get("lastError").asText(), failed::toString);
        JsonNode disabled = listed(id);
        assertFalse(disabled.get("enabled").asBoolean(), disabled::toString);
        assertEquals("endpoint gone (410)", disabled.get("disabledReason").asText(), disabled::toString);
        assertTrue(disabled.hasNonNull("disabledAt"), disabled::toString);

        Object realmId = Db.row(realm.name, "wh-g1").get("REALM_ID");
        long now = System.currentTimeMillis();
        Db.update("insert into CONNECT_WEBHOOK_OUTBOX (ID, REALM_ID, ENDPOINT_ID, EVENT_TYPE, PAYLOAD, CREATED_AT, STATUS, "
                + "ATTEMPTS, NEXT_ATTEMPT_AT) values (?, ?, ?, ?, ?, ?, 'pending', 1, ?)", java.util.UUID.randomUUID().toString(),
                realmId, id, "connection.recovered", "{\"type\":\"connection.recovered\"}", now + 1, now);
        JsonNode queued = awaitDeliveries(id, "failed").get(0);
        assertEquals("connection.recovered", queued.get("type").asText(), queued::toString);
        assertEquals("endpoint disabled: endpoint gone (410)", queued.get("lastError").asText(), queued::toString);

        assertTrue(Connect.connect(realm, alice, "keycloak", "wh-g2", realm.upstreamUser()).contains("success=true"));
        Thread.sleep(3000); // three passes
        assertEquals(1, gone.size(), () -> "a disabled endpoint got: " + gone);
        assertEquals(2, awaitDeliveries(id, "failed").size(), "an event was queued to a disabled endpoint");

        goneAnswer.set(204);
        Http.Resp enabled = realm.admin().post(endpoints() + "/" + id + "/enable", Map.of());
        assertEquals(200, enabled.status(), enabled::toString);
        assertTrue(enabled.json().get("enabled").asBoolean(), enabled::toString);
        assertFalse(listed(id).hasNonNull("disabledReason"), () -> listed(id).toString());
        assertTrue(Connect.connect(realm, alice, "keycloak", "wh-g3", realm.upstreamUser()).contains("success=true"));
        List<Received> got = await(gone, s -> delivered(s, "connection.created").size() >= 1);
        assertEquals("wh-g3", delivered(got, "connection.created").get(0).at("/data/connection_id").asText());
        assertEquals(3, awaitDeliveries(id, "delivered").size());
        assertTrue(got.stream().noneMatch(r -> r.body().contains("wh-g2")), () -> "wh-g2's event was sent: " + got);
        assertEquals(404, realm.admin().post(endpoints() + "/no-such-endpoint/enable", Map.of()).status());
    }

    @Test
    @DisplayName("Given demo-app's endpoint answering 429 with Retry-After: 3, then 503 with a Retry-After date two "
            + "hours away, when alice connects, then the second attempt comes no earlier than 3 s after the first (the "
            + "backoff is 1 s), the third after the largest backoff step (5 s), not two hours, with the same webhook-id")
    void retryAfterDefersTheNextAttemptUpToTheLargestStep() throws Exception {
        String id = register("demo-app", hook("/hook-busy")).get("id").asText();
        assertTrue(Connect.connect(realm, realm.alice(), "keycloak", "wh-busy", realm.upstreamUser()).contains("success=true"));
        List<Received> got = await(busy, s -> s.size() >= 3);
        assertEquals(List.of(429, 503, 204), got.stream().map(Received::answered).toList());
        assertEquals(1, got.stream().map(Received::id).distinct().count(), () -> "one webhook-id: " + got);
        long first = busyAt.get(1) - busyAt.get(0);
        long second = busyAt.get(2) - busyAt.get(1);
        assertTrue(first >= 3000, () -> "second attempt " + first + " ms after the first, before its Retry-After");
        assertTrue(second >= 5000 && second < 30_000, () -> "third attempt " + second + " ms after the second");
        JsonNode d = awaitDeliveries(id, "delivered").get(0);
        assertEquals(3, d.get("attempts").asInt(), d::toString);
    }

    @Test
    @DisplayName("Given the endpoint admin API, then no token is 401, view-only rights are 403 on writes, bad input is 400, "
            + "the secret is answered only at creation, and a removed endpoint is gone")
    void adminApiRefusals() throws Exception {
        String path = endpoints();
        String url = TestRealmUrls.admin(realm) + path;
        assertEquals(401, Http.sendJson("POST", url, Map.of("clientId", "demo-app", "url", hook("/x")), null).status());
        assertEquals(401, Http.get(url, null).status());

        realm.realmAdmin("hook-viewer", "view-clients");
        String viewer = TestRealmUrls.adminToken(realm, "hook-viewer");
        assertEquals(403, Http.sendJson("POST", url, Map.of("clientId", "demo-app", "url", hook("/x")), viewer).status());
        assertEquals(403, Http.sendJson("POST", url + "/any/enable", Map.of(), viewer).status());
        assertEquals(401, Http.sendJson("POST", url + "/any/enable", Map.of(), null).status());
        assertEquals(403, Http.sendJson("POST", url + "/any/rotate-secret", Map.of(), viewer).status());
        assertEquals(401, Http.sendJson("POST", url + "/any/rotate-secret", Map.of(), null).status());
        assertEquals(200, Http.get(url, viewer).status());
        realm.realmAdmin("nobody", "view-realm");
        assertEquals(403, Http.get(url, TestRealmUrls.adminToken(realm, "nobody")).status());

        for (String bad : List.of("ftp://example.com/hook", "not a url", "http://user:pw@127.0.0.1/x", "")) {
            Http.Resp r = realm.admin().post(path, Map.of("clientId", "demo-app", "url", bad));
            assertEquals(400, r.status(), () -> bad + ": " + r);
            assertEquals("invalid_url", r.json().get("error").asText(), r::toString);
        }
        Http.Resp unknownClient = realm.admin().post(path, Map.of("clientId", "no-such-app", "url", hook("/x")));
        assertEquals(400, unknownClient.status(), unknownClient::toString);
        Http.Resp unknownType = realm.admin().post(path, Map.of("clientId", "demo-app", "url", hook("/x"),
                "events", List.of("connection.exploded")));
        assertEquals(400, unknownType.status(), unknownType::toString);

        Http.Resp created = realm.admin().post(path, Map.of("clientId", "demo-app", "url", hook("/x"),
                "events", List.of("connection.created", "connection.deleted")));
        assertEquals(201, created.status(), created::toString);
        String secret = SecretLedger.note(created.json().get("secret").asText());
        String id = created.json().get("id").asText();
        Http.Resp rotated = realm.admin().post(path + "/" + id + "/rotate-secret", Map.of());
        assertEquals(200, rotated.status(), rotated::toString);
        String next = SecretLedger.note(rotated.json().get("secret").asText());
        assertNotEquals(secret, next);
        for (String bad : List.of("?overlapSeconds=-1", "?overlapSeconds=soon")) {
            Http.Resp r = realm.admin().post(path + "/" + id + "/rotate-secret" + bad, Map.of());
            assertEquals(400, r.status(), () -> bad + ": " + r);
        }
        Http.Resp badBody = realm.admin().post(path + "/" + id + "/rotate-secret", Map.of("overlapSeconds", 1.5));
        assertEquals(400, badBody.status(), badBody::toString);
        assertEquals(404, realm.admin().post(path + "/no-such-endpoint/rotate-secret", Map.of()).status());
        Http.Resp list = realm.admin().get(path + "?clientId=demo-app");
        assertEquals(200, list.status(), list::toString);
        assertFalse(list.body().contains(secret), "the list shows the secret");
        assertFalse(list.body().contains(next), "the list shows the rotated secret");
        assertFalse(list.body().contains("\"secret\""), list.body());
        assertTrue(list.json().get("endpoints").get(0).hasNonNull("previousSecretExpiresAt"), list.body());
        assertEquals("demo-app", list.json().get("endpoints").get(0).get("clientId").asText());
        assertEquals(2, list.json().get("endpoints").get(0).get("events").size());
        assertNotEquals(0, list.json().get("endpoints").size());

        assertEquals(204, realm.admin().delete(path + "/" + id).status());
        assertEquals(404, realm.admin().delete(path + "/" + id).status());
        assertEquals(404, realm.admin().get(path + "/" + id + "/deliveries").status());
    }

    private JsonNode rotate(String endpointId, String query, Map<String, Object> body) {
        Http.Resp r = realm.admin().post(endpoints() + "/" + endpointId + "/rotate-secret" + query, body);
        assertEquals(200, r.status(), r::toString);
        SecretLedger.note(r.json().get("secret").asText());
        return r.json();
    }

    /** Alice connects {@code connectionId}; the signatures of its connection.created delivery to /hook-rot. */
    private List<String> signaturesOf(String alice, String connectionId) throws Exception {
        assertTrue(Connect.connect(realm, alice, "keycloak", connectionId, realm.upstreamUser()).contains("success=true"));
        return List.of(deliveredTo(connectionId).signature().split(" "));
    }

    /** The first delivery /hook-rot accepted that names {@code connectionId}, once there is one. */
    private Received deliveredTo(String connectionId) throws InterruptedException {
        Predicate<Received> match = x -> x.answered() == 204 && x.body().contains("\"" + connectionId + "\"");
        return await(rot, s -> s.stream().anyMatch(match)).stream().filter(match).findFirst().orElseThrow();
    }

    /** The signatures of {@code connectionId}'s delivery made with each secret, in order. */
    private List<String> expected(String connectionId, String... secrets) throws Exception {
        Received r = deliveredTo(connectionId);
        List<String> out = new ArrayList<>();
        for (String secret : secrets) {
            out.add(sign(secret, r.id(), r.timestamp(), r.body()));
        }
        return out;
    }

    private static Map<String, Object> endpointRow(String id) throws Exception {
        try (java.sql.Connection c = TestServer.get().jdbc();
             java.sql.PreparedStatement ps = c.prepareStatement("select SECRET, KEY_ID, PREVIOUS_SECRET, PREVIOUS_KEY_ID, "
                     + "PREVIOUS_EXPIRES_AT from CONNECT_WEBHOOK_ENDPOINT where ID = ?")) {
            ps.setString(1, id);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "endpoint row " + id);
                Map<String, Object> m = new java.util.HashMap<>();
                for (String col : List.of("SECRET", "KEY_ID", "PREVIOUS_SECRET", "PREVIOUS_KEY_ID")) {
                    m.put(col, rs.getString(col));
                }
                m.put("PREVIOUS_EXPIRES_AT", rs.getObject("PREVIOUS_EXPIRES_AT"));
                return m;
            }
        }
    }

    @Test
    @DisplayName("Given demo-app's endpoint, when an admin rotates its secret, then the new secret is answered once, "
            + "deliveries carry the new secret's signature then the old one's, an overlap beyond the option is cut to "
            + "it, a second rotation replaces the previous secret, an ended or zero overlap leaves the new signature "
            + "alone, the previous secret cannot pass for the current one, and no listing or admin event holds a secret")
    void rotatedSecretSignsBesideThePreviousOneUntilTheOverlapEnds() throws Exception {
        JsonNode created = register("demo-app", hook("/hook-rot"));
        String id = created.get("id").asText();
        String first = created.get("secret").asText();
        assertFalse(listed(id).hasNonNull("secretRotatedAt"), () -> listed(id).toString());
        long before = System.currentTimeMillis();
        JsonNode r1 = rotate(id, "", Map.of("overlapSeconds", 10_000_000)); // more than the option's day
        String second = r1.get("secret").asText();
        assertTrue(second.startsWith("whsec_"), second);
        assertNotEquals(first, second);
        long until = Instant.parse(r1.get("previousSecretExpiresAt").asText()).toEpochMilli();
        assertTrue(until >= before + 86_400_000L - 1000 && until <= System.currentTimeMillis() + 86_400_000L,
                () -> "overlap cut to a day: " + r1);
        assertTrue(r1.hasNonNull("secretRotatedAt"), r1::toString);
        assertEquals(r1.get("previousSecretExpiresAt"), listed(id).get("previousSecretExpiresAt"));

        String alice = realm.alice();
        assertEquals(signaturesOf(alice, "wh-r1"), expected("wh-r1", second, first), "new first, then old");

        String third = rotate(id, "", Map.of()).get("secret").asText(); // within the overlap: second becomes previous
        assertEquals(signaturesOf(alice, "wh-r2"), expected("wh-r2", third, second), "only one previous secret");

        Map<String, Object> row = endpointRow(id);
        String current = (String) row.get("SECRET");
        String previous = (String) row.get("PREVIOUS_SECRET");
        assertNotNull(previous);
        for (String s : List.of(second, third)) {
            assertFalse(current.contains(s.substring(6)) || previous.contains(s.substring(6)), "a secret in the clear");
        }
        Db.update("update CONNECT_WEBHOOK_ENDPOINT set SECRET = ? where ID = ?", previous, id);
        assertTrue(Connect.connect(realm, alice, "keycloak", "wh-swap", realm.upstreamUser()).contains("success=true"));
        JsonNode refused = awaitDeliveries(id, "pending").get(0);
        long end = System.currentTimeMillis() + 30_000;
        while (!"signing secret unavailable".equals(refused.path("lastError").asText()) && System.currentTimeMillis() < end) {
            Thread.sleep(200);
            refused = awaitDeliveries(id, "pending").get(0);
        }
        assertEquals("signing secret unavailable", refused.path("lastError").asText(), refused::toString);
        assertTrue(rot.stream().noneMatch(x -> x.body().contains("wh-swap")), "signed with a swapped secret");
        Db.update("update CONNECT_WEBHOOK_ENDPOINT set SECRET = ? where ID = ?", current, id);
        assertEquals(expected("wh-swap", third, second), List.of(deliveredTo("wh-swap").signature().split(" ")),
                "delivered once the secret is back");

        Db.update("update CONNECT_WEBHOOK_ENDPOINT set PREVIOUS_EXPIRES_AT = ? where ID = ?", System.currentTimeMillis() - 1, id);
        assertFalse(listed(id).hasNonNull("previousSecretExpiresAt"), () -> listed(id).toString());
        assertEquals(signaturesOf(alice, "wh-r3"), expected("wh-r3", third), "the overlap ended");

        JsonNode r3 = rotate(id, "?overlapSeconds=0", Map.of());
        String fourth = r3.get("secret").asText();
        assertFalse(r3.hasNonNull("previousSecretExpiresAt"), r3::toString);
        assertNull(endpointRow(id).get("PREVIOUS_SECRET"), "no previous secret kept");
        assertEquals(signaturesOf(alice, "wh-r4"), expected("wh-r4", fourth), "overlap 0");

        String listing = realm.admin().get(endpoints()).body();
        JsonNode events = realm.admin().get("/" + realm.name + "/admin-events?max=100").json();
        List<JsonNode> updates = new ArrayList<>();
        events.forEach(e -> {
            if (("connect/webhook-endpoints/" + id).equals(e.path("resourcePath").asText())
                    && "UPDATE".equals(e.path("operationType").asText())) {
                updates.add(e);
            }
        });
        assertEquals(3, updates.size(), events::toString);
        for (String s : List.of(first, second, third, fourth)) {
            assertFalse(listing.contains(s) || listing.contains(s.substring(6)), "the listing holds a secret");
            assertFalse(events.toString().contains(s.substring(6)), "an admin event holds a secret");
        }
        assertFalse(listing.contains("\"secret\""), listing);
    }

    @Test
    @DisplayName("Key rotation: an endpoint's secret and its previous one under the old key still sign; the re-wrap "
            + "moves both (…/encryption counts the endpoint while either is on an older key); then the old key can go")
    void keyRotationMovesBothSecrets() throws Exception {
        JsonNode created = register("demo-app", hook("/hook-rot"));
        String id = created.get("id").asText();
        String first = created.get("secret").asText();
        String second = rotate(id, "", Map.of()).get("secret").asText();
        String newKey = SecretLedger.note(Base64.getEncoder().encodeToString(
                "webhook-out-rotation-key-32-byte".getBytes(StandardCharsets.UTF_8)));
        try {
            TestServer.restartWith(Map.of("CONNECT_TOKEN_ENCRYPTION_KEY", newKey,
                    "CONNECT_TOKEN_ENCRYPTION_OLD_KEYS", TestServer.ENCRYPTION_KEY));
            String alice = realm.alice();
            assertEquals(signaturesOf(alice, "wh-k1"), expected("wh-k1", second, first), "the old key still reads both");
            String path = "/" + realm.name + "/connect/encryption";
            JsonNode status = realm.admin().get(path).json();
            assertEquals(1, status.get("webhook_endpoints_on_older_keys").asInt(), status::toString);
            Map<String, Object> old = endpointRow(id);
            assertTrue(realm.admin().post(path + "/rewrap", Map.of()).json().get("done").asBoolean());
            Map<String, Object> moved = endpointRow(id);
            assertNotEquals(old.get("KEY_ID"), moved.get("KEY_ID"));
            assertEquals(moved.get("KEY_ID"), moved.get("PREVIOUS_KEY_ID"), "the previous secret moved too");
            assertEquals(old.get("PREVIOUS_EXPIRES_AT").toString(), moved.get("PREVIOUS_EXPIRES_AT").toString());

            // A previous secret left on the old key alone still counts, and the re-wrap moves it.
            Db.update("update CONNECT_WEBHOOK_ENDPOINT set PREVIOUS_SECRET = ?, PREVIOUS_KEY_ID = ? where ID = ?",
                    old.get("PREVIOUS_SECRET"), old.get("PREVIOUS_KEY_ID"), id);
            status = realm.admin().get(path).json();
            assertEquals(1, status.get("webhook_endpoints_on_older_keys").asInt(), status::toString);
            assertFalse(status.get("done").asBoolean(), status::toString);
            Http.Resp again = realm.admin().post(path + "/rewrap", Map.of());
            assertTrue(again.json().get("done").asBoolean(), again::toString);

            TestServer.restartWith(Map.of("CONNECT_TOKEN_ENCRYPTION_KEY", newKey));
            alice = realm.alice();
            assertEquals(signaturesOf(alice, "wh-k2"), expected("wh-k2", second, first), "the new key alone reads both");
        } finally {
            TestServer.restoreDefaults();
        }
    }

    /** Admin URLs and admin-cli tokens of the test realm's own people. */
    static final class TestRealmUrls {
        static String admin(TestRealm realm) {
            String u = realm.url("");
            return u.substring(0, u.indexOf("/realms/")) + "/admin/realms";
        }

        static String adminToken(TestRealm realm, String username) {
            Http.Resp r = Http.postForm(realm.url("/protocol/openid-connect/token"), Map.of("grant_type", "password",
                    "client_id", "admin-cli", "username", username, "password", username), null);
            assertEquals(200, r.status(), r::toString);
            return SecretLedger.note(r.json().get("access_token").asText());
        }
    }
}
