package io.kcconnections.it.refresh;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.it.harness.Admin;
import io.kcconnections.it.harness.Browser;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.KeycloakServer;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import io.kcconnections.it.fakes.ApiKeyServer;
import io.kcconnections.it.fakes.FaultProxy;
import io.kcconnections.it.fakes.WebhookSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two Keycloak nodes clustered on loopback (Infinispan, JDBC_PING) against one PostgreSQL database, both running
 * background passes every 5 s, with token reads on both. The upstream rotates refresh tokens and allows no reuse,
 * so a double refresh would break a connection. Each node reaches the upstream through its own fault proxy, so the
 * test can hold node 2's provider calls while it kills node 2. Both nodes also deliver webhooks out every second, to
 * a local receiver that tells which node sent each delivery.
 * <p>
 * PostgreSQL only (H2 is a single-process database here); {@code bin/test} runs it in the PostgreSQL pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final int CONNECTIONS = 12;
    /** Client connections made and removed for the webhooks-out case. */
    private static final int HOOKED = 20;

    private KeycloakServer node1;
    private KeycloakServer node2;
    private FaultProxy proxy1;
    private FaultProxy proxy2;
    private Admin admin;
    private String realm;
    private final List<String[]> people = new ArrayList<>();
    private final List<String> upstreamIds = new ArrayList<>();
    private String alice;

    @BeforeAll
    void startCluster() throws Exception {
        KeycloakServer.Db db = KeycloakServer.Db.fromSystemProperties();
        Assumptions.assumeTrue(db.kind().equals("postgres"), "the cluster test runs on PostgreSQL");
        TestServer.get(); // builds the distribution (shared home) once
        KeycloakServer.Db clusterDb = db.withName(db.name() + "_cluster");
        node1 = new KeycloakServer("node1", TestServer.get().home(), clusterDb).choosePorts();
        node2 = new KeycloakServer("node2", TestServer.get().home(), clusterDb).choosePorts();
        String base = node1.baseUrl();
        String oidc = base + "/realms/upstream/protocol/openid-connect";
        proxy1 = new FaultProxy(oidc + "/token");
        proxy2 = new FaultProxy(oidc + "/token");
        node1.build(TestServer.BUILD_ARGS);
        node1.startFresh(env(base, proxy1), args(base));
        node2.start(env(base, proxy2), args(base));
        admin = new Admin(base);
        waitForClusterView();
    }

    private static Map<String, String> env(String base, FaultProxy proxy) {
        String oidc = base + "/realms/upstream/protocol/openid-connect";
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DEMO_PUBLIC_URL", base);
        env.put("UPSTREAM_CLIENT_SECRET", TestServer.UPSTREAM_SECRET);
        env.put("CONNECT_TOKEN_ENCRYPTION_KEY", TestServer.ENCRYPTION_KEY);
        env.put("CONNECT_ALLOW_PRIVATE_HOSTS", "true");
        env.put("CONNECT_REFRESH_MARGIN_SECONDS", "30");
        env.put("CONNECT_REFRESH_WINDOW_SECONDS", "30");
        env.put("CONNECT_REFRESH_INTERVAL_SECONDS", "5");
        env.put("CONNECT_REFRESH_LEASE_SECONDS", "15");
        env.put("CONNECT_REFRESH_PAGE_SIZE", "4");
        env.put("CONNECT_ROW_CACHE_SECONDS", "300");
        env.put("CONNECT_HEALTH_INTERVAL_SECONDS", "5");
        env.put("CONNECT_WEBHOOK_OUT_INTERVAL_SECONDS", "1");
        env.put("CONNECT_WEBHOOK_OUT_BACKOFF_SECONDS", "1,5");
        env.put("CONNECT_WEBHOOK_OUT_LEASE_SECONDS", "10"); // deliveries of 5 s at most
        env.put("CONNECT_PROVIDERS", "ckc");
        env.put("CONNECT_CKC_AUTHORIZE_URL", oidc + "/auth");
        env.put("CONNECT_CKC_TOKEN_URL", proxy.url());
        env.put("CONNECT_CKC_USERINFO_URL", oidc + "/userinfo");
        env.put("CONNECT_CKC_CLIENT_ID", TestServer.UPSTREAM_CLIENT);
        env.put("CONNECT_CKC_CLIENT_SECRET", TestServer.UPSTREAM_SECRET);
        env.put("CONNECT_CKC_SCOPES", "openid profile");
        return env;
    }

    /** Both nodes answer as node 1 (one issuer for tokens), cluster on loopback with ports of their own. */
    private static List<String> args(String frontend) throws Exception {
        return List.of("--vault-dir=" + TestServer.vaultDir().toAbsolutePath(), "--cache=ispn", "--cache-stack=jdbc-ping", "--cache-embedded-network-bind-address=127.0.0.1",
                "--cache-embedded-network-bind-port=" + jgroupsPort(), "--hostname=" + frontend,
                "--http-pool-max-threads=200",
                // provider calls held by the test's proxies may wait longer than the default 5 s
                "--spi-connections-http-client--default--socket-timeout-millis=60000");
    }

    /** A free port p with p + 50000 free too (JGroups' failure detection listens there). */
    private static int jgroupsPort() throws Exception {
        for (int i = 0; i < 200; i++) {
            int p = 10000 + (int) (Math.random() * 5000);
            try (ServerSocket a = new ServerSocket(p, 0, java.net.InetAddress.getLoopbackAddress());
                 ServerSocket b = new ServerSocket(p + 50000, 0, java.net.InetAddress.getLoopbackAddress())) {
                return p;
            } catch (java.io.IOException busy) {
                // try another
            }
        }
        throw new IllegalStateException("no free JGroups port");
    }

    private void waitForClusterView() throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.readString(node2.logFile()).contains("(2) [") || Files.readString(node1.logFile()).contains("(2) [")) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the two nodes did not form a cluster; logs " + node1.logFile() + ", " + node2.logFile());
    }

    @AfterAll
    void stopCluster() {
        if (node2 != null) {
            node2.stop();
        }
        if (node1 != null) {
            node1.stop();
        }
        if (proxy1 != null) {
            proxy1.close();
            proxy2.close();
        }
    }

    private String userToken(String base, String user, String password) {
        Http.Resp r = Http.postForm(base + "/realms/" + realm + "/protocol/openid-connect/token", Map.of("grant_type", "password",
                "client_id", "demo-app", "client_secret", "demo-app-secret", "username", user, "password", password), null);
        assertEquals(200, r.status(), r::toString);
        return SecretLedger.note(r.json().get("access_token").asText());
    }

    private Http.Resp token(String base, String cid) {
        Http.Resp r = Http.get(base + "/realms/" + realm + "/connect/token/" + cid + "?provider=ckc", alice);
        if (r.status() == 200) {
            SecretLedger.note(r.json().get("token").asText());
        }
        return r;
    }

    @Test
    @Order(1)
    @DisplayName("connections made on node 1 are readable on node 2")
    void connect() {
        realm = "c-" + UUID.randomUUID().toString().substring(0, 8);
        admin.createRealm(TestRealm.demoRealm(realm));
        alice = userToken(node1.baseUrl(), "alice", "alice");
        for (int i = 0; i < CONNECTIONS; i++) {
            String u = "cu-" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
            String p = "pw-" + UUID.randomUUID();
            upstreamIds.add(admin.createUser("upstream", u, p));
            people.add(new String[]{u, p});
            connectOne(i);
        }
        for (int i = 0; i < CONNECTIONS; i++) {
            assertEquals(200, token(node2.baseUrl(), "k" + i).status());
        }
    }

    /** Connects {@code k<i>} on node 1 as alice, with upstream person i. */
    private void connectOne(int i) {
        Http.Resp a = Http.get(node1.baseUrl() + "/realms/" + realm + "/connect/authorize?provider=ckc&connection_id=k" + i
                + "&redirect_uri=" + Http.enc(Connect.APP_REDIRECT), alice);
        assertEquals(200, a.status(), a::toString);
        Browser b = new Browser(node1.baseUrl()).as("alice", "alice");
        String landed = b.loginAndFollow(a.json().get("authorize_url").asText(), people.get(i)[0], people.get(i)[1]);
        b.lastCode();
        assertEquals("true", Http.queryParam(landed, "success"), landed);
    }

    /** Each upstream person's refresh count so far. */
    private Map<String, Integer> refreshEvents() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String id : upstreamIds) {
            m.put(id, refreshEvents(id));
        }
        return m;
    }

    private int refreshEvents(String upstreamUserId) {
        return admin.get("/upstream/events?type=REFRESH_TOKEN&user=" + upstreamUserId + "&max=100").json().size();
    }

    private void ageAll() throws Exception {
        Thread.sleep(1100); // Keycloak compares refresh-token issue times in whole seconds
        try (Connection c = node1.jdbc(); PreparedStatement ps = c.prepareStatement("update CONNECT_CONNECTION set EXPIRES_AT = ?,"
                + " REFRESH_AT = ? where PROVIDER = 'ckc' and REALM_ID = (select ID from REALM where NAME = ?)")) {
            long now = System.currentTimeMillis();
            ps.setLong(1, now + 25_000);
            ps.setLong(2, now);
            ps.setString(3, realm);
            assertEquals(CONNECTIONS, ps.executeUpdate());
        }
    }

    /** Reads every connection on both nodes, over and over, until told to stop; counts non-200 answers. */
    private List<AtomicInteger> readers(ExecutorService pool, AtomicBoolean stop) {
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger bad = new AtomicInteger();
        for (KeycloakServer node : new KeycloakServer[]{node1, node2}) {
            for (int t = 0; t < 3; t++) {
                pool.submit(() -> {
                    while (!stop.get()) {
                        for (int i = 0; i < CONNECTIONS && !stop.get(); i++) {
                            if (!node.running()) {
                                return null;
                            }
                            Http.Resp r = token(node.baseUrl(), "k" + i);
                            reads.incrementAndGet();
                            if (r.status() != 200) {
                                bad.incrementAndGet();
                            }
                        }
                    }
                    return null;
                });
            }
        }
        return List.of(reads, bad);
    }

    private List<Map<String, Object>> rows() throws Exception {
        return select("select cc.* from CONNECT_CONNECTION cc join REALM r on r.ID = cc.REALM_ID where r.NAME = ?"
                + " order by cc.CONNECTION_ID");
    }

    /** The rows of a query taking the realm's name, column names in upper case. */
    private List<Map<String, Object>> select(String sql) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = node1.jdbc(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, realm);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        m.put(rs.getMetaData().getColumnLabel(i).toUpperCase(java.util.Locale.ROOT), rs.getObject(i));
                    }
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** Every connection refreshed (fresh expiry), active, unleased, its token accepted by the upstream. */
    private boolean allSettled() throws Exception {
        long now = System.currentTimeMillis();
        for (Map<String, Object> r : rows()) {
            if (!"active".equals(r.get("STATUS")) || r.get("LEASE_OWNER") != null
                    || ((Number) r.get("EXPIRES_AT")).longValue() < now + 60_000) {
                return false;
            }
        }
        return true;
    }

    @Test
    @Order(2)
    @DisplayName("a node's cached row never outlives a write on the other node: a refresh there is read here at once, "
            + "a removal there is a 404 here")
    void cacheInvalidatedAcrossNodes() throws Exception {
        assertNotNull(realm, "connections made");
        String t0 = token(node2.baseUrl(), "k0").json().get("token").asText();
        assertEquals(t0, token(node2.baseUrl(), "k0").json().get("token").asText(), "node 2 serves k0 (now cached)");
        // Only the database learns that k0 is about to expire: node 2's cached row does not, node 1 reads it fresh
        // and refreshes on read.
        Thread.sleep(1100);
        try (Connection c = node1.jdbc(); PreparedStatement ps = c.prepareStatement("update CONNECT_CONNECTION set"
                + " EXPIRES_AT = ? where CONNECTION_ID = 'k0' and REALM_ID = (select ID from REALM where NAME = ?)")) {
            ps.setLong(1, System.currentTimeMillis() + 20_000);
            ps.setString(2, realm);
            assertEquals(1, ps.executeUpdate());
        }
        String t1 = token(node1.baseUrl(), "k0").json().get("token").asText();
        assertTrue(!t1.equals(t0), "node 1 refreshed k0");
        assertEquals(t1, token(node2.baseUrl(), "k0").json().get("token").asText(), "node 2 serves the new token at once");

        Http.Resp before = token(node2.baseUrl(), "k1");
        assertEquals(200, before.status(), before::toString);
        Http.Resp removed = Http.delete(node1.baseUrl() + "/realms/" + realm + "/connect/connections/k1?provider=ckc", alice);
        assertEquals(204, removed.status(), removed::toString);
        Http.Resp after = token(node2.baseUrl(), "k1");
        assertEquals(404, after.status(), "removed on node 1: node 2 serves nothing: " + after);
        // put k1 back for the tests that follow
        connectOne(1);
        assertEquals(200, token(node2.baseUrl(), "k1").status());
    }

    @Test
    @Order(3)
    @DisplayName("a provider configured through the admin API on node 1 is usable at once on node 2: a connect starts"
            + " and completes there without a restart")
    void providerAddedOnOneNodeUsableOnTheOther() {
        assertNotNull(realm, "connections made");
        ObjectNode cfg = Http.JSON.createObjectNode();
        cfg.put("clientId", TestServer.UPSTREAM_CLIENT).put("clientSecret", TestServer.UPSTREAM_SECRET);
        cfg.putObject("values").put("base_url", node1.baseUrl()).put("realm", "upstream");
        Http.Resp put = Http.sendJson("PUT", node1.baseUrl() + "/admin/realms/" + realm + "/connect/providers/keycloak", cfg,
                admin.token());
        assertEquals(201, put.status(), put::toString);
        // at once, on the other node: no wait, no restart
        Http.Resp listed = Http.get(node2.baseUrl() + "/realms/" + realm + "/connect/providers", alice);
        assertTrue(listed.body().contains("\"keycloak\""), () -> "node 2 lists the new provider: " + listed);
        Http.Resp a = Http.get(node2.baseUrl() + "/realms/" + realm + "/connect/authorize?provider=keycloak&connection_id=rt"
                + "&redirect_uri=" + Http.enc(Connect.APP_REDIRECT), alice);
        assertEquals(200, a.status(), a::toString);
        // The start ticket was made on node 2; both nodes answer under node 1's hostname, so the browser goes on there
        // (a browser cannot follow Keycloak's pages across the two ports, which share cookies but not the login's).
        String start = a.json().get("authorize_url").asText();
        Browser b = new Browser(node1.baseUrl()).as("alice", "alice");
        String landed = b.loginAndFollow(start, people.get(0)[0], people.get(0)[1]);
        b.lastCode();
        assertEquals("true", Http.queryParam(landed, "success"), landed);
        Http.Resp t = Http.get(node2.baseUrl() + "/realms/" + realm + "/connect/token/rt?provider=keycloak", alice);
        assertEquals(200, t.status(), t::toString);
        SecretLedger.note(t.json().get("token").asText());
        // The later tests count the realm's ckc connections: this one goes, with its provider.
        assertEquals(204, Http.delete(node1.baseUrl() + "/realms/" + realm + "/connect/connections/rt?provider=keycloak", alice)
                .status());
        assertEquals(204, Http.delete(node1.baseUrl() + "/admin/realms/" + realm + "/connect/providers/keycloak", admin.token())
                .status());
    }

    @Test
    @Order(4)
    @DisplayName("rate limits are per node, as documented: with 2 connect starts a minute, each node allows alice 2 and"
            + " refuses the third with 429 and Retry-After; the realm's setting reaches both nodes")
    void rateLimitsArePerNode() {
        assertNotNull(realm, "connections made");
        String me = userToken(node1.baseUrl(), "alice", "alice");
        ObjectNode rep = Http.JSON.createObjectNode();
        rep.putObject("attributes").put("connect.rate-limit.connect-starts", "2");
        assertEquals(204, admin.put("/" + realm, rep).status());
        try {
            for (KeycloakServer node : List.of(node1, node2)) {
                String url = node.baseUrl() + "/realms/" + realm + "/connect/authorize?provider=ckc&connection_id=rl-"
                        + UUID.randomUUID().toString().substring(0, 8) + "&redirect_uri=" + Http.enc(Connect.APP_REDIRECT);
                assertEquals(200, Http.get(url, me).status(), node.baseUrl());
                assertEquals(200, Http.get(url, me).status(), node.baseUrl());
                Http.Resp third = Http.get(url, me);
                assertEquals(429, third.status(), () -> node.baseUrl() + ": " + third);
                assertEquals("rate_limited", third.json().get("error").asText());
                assertTrue(Integer.parseInt(third.header("Retry-After")) >= 1, third::toString);
            }
        } finally {
            rep.putObject("attributes").put("connect.rate-limit.connect-starts", "");
            assertEquals(204, admin.put("/" + realm, rep).status());
        }
    }

    @Test
    @Order(3)
    @DisplayName("the health prober on two nodes: 20 credentials made due at once are each checked exactly once by"
            + " one of the nodes, then once per 5-second interval, never twice (SKIP LOCKED claims move the next check)")
    void probedOncePerInterval() throws Exception {
        assertNotNull(realm, "connections made");
        String me = userToken(node1.baseUrl(), "alice", "alice");
        try (ApiKeyServer api = new ApiKeyServer("X-Key", SecretLedger.note("cluster-probe-key-" + UUID.randomUUID()))) {
            for (int i = 0; i < 20; i++) {
                KeycloakServer node = i % 2 == 0 ? node1 : node2;
                Http.Resp r = Http.sendJson("POST", node.baseUrl() + "/realms/" + realm + "/connect/credentials",
                        Map.of("connection_id", "probe-" + i, "type", "api_key", "fields", Map.of("api_key", api.expected,
                                "base_url", api.url() + "/c" + i, "header", "X-Key")), me);
                assertEquals(201, r.status(), r::toString);
            }
            String ids = "select h.ID from CONNECT_HEALTH h join CONNECT_CREDENTIAL c on c.ID = h.ID join REALM r"
                    + " on r.ID = c.REALM_ID where r.NAME = ?";
            healthUpdate("update CONNECT_HEALTH set NEXT_CHECK_AT = ? where ID in (" + ids + ")", Long.MAX_VALUE / 2);
            Thread.sleep(6_000); // checks claimed before the update finish; nothing is due now
            api.paths.clear();
            healthUpdate("update CONNECT_HEALTH set NEXT_CHECK_AT = ? where ID in (" + ids + ")", 0L);
            long until = System.currentTimeMillis() + 20_000;
            while (api.paths.stream().distinct().count() < 20 && System.currentTimeMillis() < until) {
                Thread.sleep(100);
            }
            Map<String, Long> first = counts(api.paths);
            assertEquals(20, first.size(), first::toString);
            assertTrue(first.values().stream().allMatch(n -> n == 1), () -> "each checked once: " + first);
            Thread.sleep(11_000);
            Map<String, Long> later = counts(api.paths);
            assertTrue(later.values().stream().allMatch(n -> n >= 2 && n <= 4),
                    () -> "once per 5-second interval, not once per node: " + later);
        }
    }

    private void healthUpdate(String sql, long nextCheckAt) throws Exception {
        try (Connection c = node1.jdbc(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, nextCheckAt);
            ps.setString(2, realm);
            assertEquals(20, ps.executeUpdate());
        }
    }

    private static Map<String, Long> counts(List<String> paths) {
        Map<String, Long> m = new java.util.TreeMap<>();
        paths.forEach(p -> m.merge(p, 1L, Long::sum));
        return m;
    }

    @Test
    @Order(5)
    @DisplayName("webhooks out on two nodes (1-second passes on both): 20 client connections made and removed through"
            + " both nodes queue 40+ events for each of two endpoints; both nodes deliver, each event exactly once and"
            + " signed, every outbox row ends delivered; the endpoint failing each first attempt (500) gets each event"
            + " twice under one webhook-id and delivered once")
    void webhooksDeliveredOncePerEvent() throws Exception {
        assertNotNull(realm, "connections made");
        Set<String> nodes = Set.of(leaseId(node1), leaseId(node2));
        try (WebhookSink sink = new WebhookSink(this::leaseOwner, nodes, 3000, 0)) {
            webhookEvents(sink, List.of("/ok", "/flaky"));
            Map<String, Long> byNode = new java.util.TreeMap<>();
            sink.deliveries.forEach(d -> byNode.merge(String.valueOf(d.node()), 1L, Long::sum));
            System.out.printf("[cluster] webhook deliveries by node lease id %s: %s%n", nodes, byNode);
            assertTrue(byNode.keySet().containsAll(nodes), () -> "both nodes sent deliveries: " + byNode);
        }
    }

    @Test
    @Order(6)
    @DisplayName("webhooks out on two nodes to a receiver answering after 3 s (leases of 10 s, so deliveries of 5 s at"
            + " most): a node claims no more than its senders finish while the lease holds, so no row delivered is"
            + " claimed again by the other node before its outcome is written: each event still exactly once")
    void slowReceiverStillOncePerEvent() throws Exception {
        assertNotNull(realm, "connections made");
        try (WebhookSink sink = new WebhookSink(this::leaseOwner, Set.of(), 0, 3000)) {
            webhookEvents(sink, List.of("/slow"));
        }
    }

    /**
     * Registers demo-backend's endpoints at the sink's {@code paths}, makes {@link #HOOKED} client connections of the
     * keycloak provider through node 1, 2, 1, … and removes each through the other node, waits until no outbox row is
     * pending, and checks each endpoint's deliveries ({@link #deliveredOnce}). Removes what it made: connections,
     * endpoints (their outbox rows go with them) and the provider.
     */
    private void webhookEvents(WebhookSink sink, List<String> paths) throws Exception {
        ObjectNode cfg = Http.JSON.createObjectNode();
        cfg.put("clientId", TestServer.UPSTREAM_CLIENT).put("clientSecret", TestServer.UPSTREAM_SECRET);
        cfg.putObject("values").put("base_url", node1.baseUrl()).put("realm", "upstream");
        assertEquals(201, admin.put("/" + realm + "/connect/providers/keycloak", cfg).status());
        Http.Resp sa = Http.postForm(node1.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token", Map.of(
                "grant_type", "client_credentials", "client_id", "demo-backend", "client_secret", "demo-backend-secret"), null);
        assertEquals(200, sa.status(), sa::toString);
        String app = SecretLedger.note(sa.json().get("access_token").asText());
        String hooks = "/" + realm + "/connect/webhook-endpoints";
        String outbox = "select o.* from CONNECT_WEBHOOK_OUTBOX o join REALM r on r.ID = o.REALM_ID where r.NAME = ?";
        Map<String, String[]> endpoints = new LinkedHashMap<>(); // path -> {id, secret}
        List<String> open = new ArrayList<>();
        try {
            for (String path : paths) {
                Http.Resp r = admin.post(hooks, Map.of("clientId", "demo-backend", "url", sink.url(path)));
                assertEquals(201, r.status(), r::toString);
                endpoints.put(path, new String[]{r.json().get("id").asText(), SecretLedger.note(r.json().get("secret").asText())});
            }
            for (int i = 0; i < 2 * HOOKED; i++) {
                String cid = "wh-" + i % HOOKED;
                String at = (i % 2 == 0 ? node1 : node2).baseUrl() + "/realms/" + realm + "/connect/";
                Http.Resp r = i < HOOKED ? Http.postForm(at + "client-connections", Map.of("provider", "keycloak",
                        "connection_id", cid), app) : Http.delete(at + "connections/" + cid + "?provider=keycloak", app);
                assertEquals(i < HOOKED ? 201 : 204, r.status(), r::toString);
                if (i < HOOKED) {
                    open.add(cid);
                } else {
                    open.remove(cid);
                }
            }
            long until = System.currentTimeMillis() + 120_000;
            while (!select(outbox + " and o.STATUS = 'pending'").isEmpty() && System.currentTimeMillis() < until) {
                Thread.sleep(500);
            }
            Thread.sleep(3000); // a second sending of any row would arrive by now
            List<Map<String, Object>> rows = select(outbox);
            endpoints.forEach((path, e) -> deliveredOnce(sink, path, e[1], rows.stream()
                    .filter(o -> o.get("ENDPOINT_ID").equals(e[0])).toList()));
        } finally {
            for (String cid : open) {
                Http.delete(node1.baseUrl() + "/realms/" + realm + "/connect/connections/" + cid + "?provider=keycloak", app);
            }
            for (String[] e : endpoints.values()) {
                assertEquals(204, admin.delete(hooks + "/" + e[0]).status());
            }
            assertEquals(204, admin.delete("/" + realm + "/connect/providers/keycloak").status());
        }
        assertTrue(select(outbox).isEmpty(), "the endpoints' rows went with them");
    }

    /**
     * Every outbox row of the endpoint at {@code path} delivered, and received under its webhook-id with its payload
     * and a valid signature: once (answered 204) at {@code /ok}; twice at {@code /flaky}, 500 then 204. No other
     * webhook-id arrived there, and every delivery came from a node holding the row's lease.
     */
    private void deliveredOnce(WebhookSink sink, String path, String secret, List<Map<String, Object>> rows) {
        boolean flaky = path.equals("/flaky");
        assertTrue(rows.size() >= 2 * HOOKED, () -> path + ": created and deleted events queued: " + rows.size());
        Map<String, Long> types = new java.util.TreeMap<>();
        rows.forEach(o -> types.merge((String) o.get("EVENT_TYPE"), 1L, Long::sum));
        assertEquals((long) HOOKED, types.get("connection.created"), () -> path + ": " + types);
        assertEquals((long) HOOKED, types.get("connection.deleted"), () -> path + ": " + types);
        Map<String, List<WebhookSink.Delivery>> got = new LinkedHashMap<>();
        sink.to(path).forEach(d -> got.computeIfAbsent(WebhookSink.rowId(d.id()), k -> new ArrayList<>()).add(d));
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        rows.forEach(o -> byId.put((String) o.get("ID"), o));
        assertEquals(byId.keySet(), got.keySet(), () -> path + ": the webhook-ids received are the outbox rows' ids");
        List<Integer> expected = flaky ? List.of(500, 204) : List.of(204);
        got.forEach((id, ds) -> {
            Map<String, Object> o = byId.get(id);
            assertEquals(expected, ds.stream().map(WebhookSink.Delivery::answered).toList(),
                    () -> path + ": " + id + " received " + ds);
            assertEquals("delivered", o.get("STATUS"), o::toString);
            assertEquals(expected.size(), ((Number) o.get("ATTEMPTS")).intValue(), o::toString);
            assertEquals(204, ((Number) o.get("LAST_STATUS")).intValue(), o::toString);
            assertNull(o.get("LEASE_OWNER"), o::toString);
            for (WebhookSink.Delivery d : ds) {
                assertEquals(o.get("PAYLOAD"), d.body(), "the row's payload");
                assertEquals(WebhookSink.sign(secret, d.id(), d.timestamp(), d.body()), d.signature(), "signature of " + d);
                assertTrue(d.node() != null && d.leaseOwner() != null, () -> "sent while leased: " + d);
            }
        });
    }

    private String leaseOwner(String webhookId) {
        try (Connection c = node1.jdbc(); PreparedStatement ps = c.prepareStatement(
                "select LEASE_OWNER from CONNECT_WEBHOOK_OUTBOX where ID = ?")) {
            ps.setString(1, WebhookSink.rowId(webhookId));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(7)
    @DisplayName("background passes on both nodes plus reads on both: each due connection refreshed exactly once")
    void refreshedOncePerExpiry() throws Exception {
        assertNotNull(realm, "connections made");
        int calls1 = proxy1.hits.get();
        int calls2 = proxy2.hits.get();
        Map<String, Integer> refreshesBefore = refreshEvents();
        ageAll();
        ExecutorService pool = Executors.newCachedThreadPool();
        AtomicBoolean stop = new AtomicBoolean();
        List<AtomicInteger> counts = readers(pool, stop);
        long deadline = System.currentTimeMillis() + 60_000;
        while (!allSettled() && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
        }
        Thread.sleep(3000); // let the readers go on past the refreshes
        stop.set(true);
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(allSettled(), "all connections refreshed, active, unleased: " + rows());
        for (String id : upstreamIds) {
            assertEquals(refreshesBefore.get(id) + 1, refreshEvents(id), "one refresh per connection at the upstream");
        }
        assertEquals(0, counts.get(1).get(), "every read answered 200 (" + counts.get(0).get() + " reads)");
        assertTrue(counts.get(0).get() > CONNECTIONS * 2, "reads happened on both nodes: " + counts.get(0).get());
        int byNode1 = proxy1.hits.get() - calls1;
        int byNode2 = proxy2.hits.get() - calls2;
        System.out.printf("[cluster] provider refresh calls: node 1 %d, node 2 %d, reads %d%n", byNode1, byNode2, counts.get(0).get());
        assertEquals(CONNECTIONS, byNode1 + byNode2, "exactly one provider call per connection, from either node");
        assertTrue(Files.readString(node1.logFile()).contains("refresh pass:"), "node 1 ran background passes");
        assertTrue(Files.readString(node2.logFile()).contains("refresh pass:"), "node 2 ran background passes");
    }

    @Test
    @Order(8)
    @DisplayName("kill -9 of node 2 in the middle of a pass: node 1 finishes after the lease, nothing lost, nothing left claimed")
    void killOneNodeMidPass() throws Exception {
        assertNotNull(realm, "connections made");
        String node2Id = leaseId(node2);
        // Both nodes' provider calls are held, so both nodes' passes stop mid-page with rows claimed.
        int calls1 = proxy1.hits.get();
        Map<String, Integer> refreshesBefore = refreshEvents();
        proxy1.mode = FaultProxy.Mode.HOLD;
        proxy2.mode = FaultProxy.Mode.HOLD;
        ageAll();
        long deadline = System.currentTimeMillis() + 30_000;
        while (proxy2.held.get() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(proxy2.held.get() > 0, "node 2 is in the middle of a pass (its provider calls are held)");
        long claimedByNode2 = rows().stream().filter(r -> r.get("LEASE_OWNER") != null
                && ((String) r.get("LEASE_OWNER")).startsWith(node2Id + "-")).count();
        assertTrue(claimedByNode2 > 0, "node 2 holds leases");
        node2.kill();
        proxy2.dropHeld(); // node 2's calls never reach the upstream: its refresh tokens stay unused
        proxy1.forwardHeld();

        long settleBy = System.currentTimeMillis() + 90_000;
        while (!allSettled() && System.currentTimeMillis() < settleBy) {
            Thread.sleep(1000);
        }
        assertTrue(allSettled(), "node 1 refreshed everything once node 2's leases ended: " + rows());
        for (String id : upstreamIds) {
            assertEquals(refreshesBefore.get(id) + 1, refreshEvents(id), "exactly one more refresh per connection");
        }
        for (int i = 0; i < CONNECTIONS; i++) {
            Http.Resp r = token(node1.baseUrl(), "k" + i);
            assertEquals(200, r.status(), r::toString);
            assertEquals(200, Http.get(node1.baseUrl() + "/realms/upstream/protocol/openid-connect/userinfo",
                    r.json().get("token").asText()).status(), "the token works at the upstream");
        }
        assertEquals(CONNECTIONS, proxy1.hits.get() - calls1, "node 1 made exactly one call per connection");
    }

    private static String leaseId(KeycloakServer node) throws Exception {
        Matcher m = Pattern.compile("this node's lease id is (\\S+)").matcher(Files.readString(node.logFile()));
        assertTrue(m.find(), "lease id in " + node.logFile());
        return m.group(1);
    }
}
