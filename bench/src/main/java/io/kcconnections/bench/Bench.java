package io.kcconnections.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kcconnections.bench.Memory.Mem;
import io.kcconnections.it.harness.Admin;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.KeycloakServer;
import io.kcconnections.it.harness.TestServer;

/**
 * The benchmark of one database: starts the real distribution (the test harness's server), seeds connections
 * directly in its database, and measures, in one run: the token endpoint against Keycloak's userinfo and stored-token
 * endpoints; the refresher against a provider with a fixed latency; the server's memory; and (PostgreSQL) the cost of
 * the due-connection query as the table grows. Prints markdown tables and writes them to {@code bench-<db>.md}.
 * <p>
 * Run it with {@code bench/run}, not directly: the script builds the distribution and passes the harness's settings.
 */
public final class Bench {

    static final String REALM = "bench";
    static final String IDP = "benchfake-idp";
    static final int USERS = 32;
    static final long LATENCY_MILLIS = 50;
    static final int REFRESH_CONCURRENCY = 32;
    static final int REFRESH_PAGE = 256;
    static final int WARM_UP_PASS = 500;
    static final int[] CONCURRENCY = {1, 8, 32};

    private final StringBuilder md = new StringBuilder();
    private final boolean full;
    private final boolean quick;
    private final Duration warmUp;
    private final Duration measure;
    private final int rounds;
    private final Wrk wrk;
    private final String wrkVersion;
    private KeycloakServer kc;
    private Memory mem;
    private Admin admin;
    private String realmId;
    private final List<String> userIds = new ArrayList<>();
    private final List<String> bearers = new ArrayList<>();

    private Bench(boolean full, boolean quick, Duration warmUp, Duration measure, int rounds, Wrk wrk) throws Exception {
        this.full = full;
        this.quick = quick;
        this.warmUp = warmUp;
        this.measure = measure;
        this.rounds = rounds;
        this.wrk = wrk;
        this.wrkVersion = wrk.version();
    }

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        int rc = 0;
        try {
            Path out = Path.of(System.getProperty("bench.out", "target"));
            Files.createDirectories(out);
            Wrk wrk = new Wrk(Path.of(System.getProperty("bench.wrk.script", "bench/wrk/requests.lua")), out);
            Bench b = new Bench(a.contains("--full"), a.contains("--quick"), Duration.ofSeconds(Long.getLong("bench.warmup", 2)),
                    Duration.ofSeconds(Long.getLong("bench.seconds", 3)), Integer.getInteger("bench.rounds", 3), wrk);
            b.run();
        } catch (Exception e) {
            e.printStackTrace();
            rc = 1;
        }
        System.exit(rc);
    }

    private void run() throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target"));
        Files.createDirectories(out);
        try (FixedLatencyProvider provider = new FixedLatencyProvider(LATENCY_MILLIS)) {
            String db = KeycloakServer.Db.fromSystemProperties().kind();
            String dbLabel = db.equals("dev-file") ? "H2" : db.equals("postgres") ? "PostgreSQL" : db;
            log("starting Keycloak on " + dbLabel);
            kc = TestServer.startWith(serverEnv(provider));
            long serverPid = Memory.serverPid();
            if (serverPid < 0) {
                log("the server JVM was not found among this process's descendants: no live-heap figures");
            }
            mem = new Memory(md, kc, serverPid);
            admin = TestServer.admin();
            md.append("## ").append(dbLabel).append(quick ? " (quick run: figures not comparable)" : "").append("\n\n");
            md.append("Load average at the start: ").append(loadAverage()).append(".\n\n");
            List<Mem> memory = new ArrayList<>();
            memory.add(mem.sample("started"));
            setUpRealm();
            memory.add(mem.sample("realm, " + USERS + " users, their tokens and connections"));
            new TokenEndpointBench(md, kc, wrk, wrkVersion, warmUp, measure, rounds, bearers).tokenEndpoint();
            memory.add(mem.sample("after the token-endpoint load"));
            refresher(provider, memory);
            mem.report(memory);
            if (db.equals("postgres")) {
                new TableGrowth(md, kc, realmId, userIds, full, quick).tableGrowth();
            }
            md.append("Load average at the end: ").append(loadAverage()).append(".\n\n");
            Path file = out.resolve("bench-" + db + ".md");
            Files.writeString(file, md.toString());
            System.out.println();
            System.out.println(md);
            log("wrote " + file);
        }
    }

    private static Map<String, String> serverEnv(FixedLatencyProvider provider) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CONNECT_PROVIDERS", "acme,tenanted," + Seeder.PROVIDER);
        env.put("CONNECT_BENCHFAKE_DISPLAY_NAME", "Benchmark provider (fixed latency)");
        env.put("CONNECT_BENCHFAKE_AUTHORIZE_URL", provider.baseUrl() + "/authorize");
        env.put("CONNECT_BENCHFAKE_TOKEN_URL", provider.baseUrl() + "/token");
        env.put("CONNECT_BENCHFAKE_CLIENT_ID", "bench-client");
        env.put("CONNECT_BENCHFAKE_CLIENT_SECRET", "bench-secret");
        env.put("CONNECT_BENCHFAKE_SCOPES", "read");
        // Only the benchmark starts passes (through the admin API): no background pass in the middle of a measurement.
        env.put("CONNECT_REFRESH_INTERVAL_SECONDS", "86400");
        // wrk reads one user's tokens thousands of times a second: the rate limits would measure themselves.
        env.put("CONNECT_RATE_LIMIT_TOKEN_READS_PER_MINUTE", "0");
        env.put("CONNECT_RATE_LIMIT_CONNECTION_READS_PER_MINUTE", "0");
        // The health prober would call the fake provider for every seeded connection in the middle of a measurement.
        env.put("CONNECT_HEALTH_INTERVAL_SECONDS", "0");
        env.put("CONNECT_REFRESH_CONCURRENCY", String.valueOf(REFRESH_CONCURRENCY));
        env.put("CONNECT_REFRESH_PAGE_SIZE", String.valueOf(REFRESH_PAGE));
        env.put("CONNECT_REFRESH_WINDOW_SECONDS", "600");
        // The product's default (the test servers turn the row cache off, since tests change rows in the database).
        env.put("CONNECT_ROW_CACHE_SECONDS", "60");
        return env;
    }

    // ---------------------------------------------------------------------------------------------------- set-up

    private void setUpRealm() throws Exception {
        log("creating realm " + REALM + " with " + USERS + " users");
        ObjectNode rep = (ObjectNode) Http.JSON.readTree(Files.readString(
                Path.of(System.getProperty("kc.realm.config", "realm-config")).resolve("demo-realm.json")));
        rep.put("realm", REALM);
        rep.put("accessTokenLifespan", 7200).put("ssoSessionIdleTimeout", 36000).put("ssoSessionMaxLifespan", 36000);
        for (JsonNode u : rep.get("users")) {
            ArrayNode roles = (ArrayNode) u.get("realmRoles");
            for (int i = 0; roles != null && i < roles.size(); i++) {
                if (roles.get(i).asText().equals("default-roles-demo")) {
                    roles.set(i, Http.JSON.getNodeFactory().textNode("default-roles-" + REALM));
                }
            }
        }
        // Keycloak's own stored-token endpoint needs an identity provider that stores tokens.
        ObjectNode idp = rep.putArray("identityProviders").addObject();
        idp.put("alias", IDP).put("providerId", "oidc").put("enabled", true).put("storeToken", true);
        idp.putObject("config").put("clientId", "bench").put("clientSecret", "bench")
                .put("authorizationUrl", "https://idp.example.test/auth").put("tokenUrl", "https://idp.example.test/token")
                .put("clientAuthMethod", "client_secret_post").put("syncMode", "LEGACY");
        admin.createRealm(rep);
        realmId = admin.get("/" + REALM).json().get("id").asText();

        String brokerId = admin.get("/" + REALM + "/clients?clientId=broker").json().get(0).get("id").asText();
        JsonNode readToken = admin.get("/" + REALM + "/clients/" + brokerId + "/roles/read-token").json();
        for (int i = 0; i < USERS; i++) {
            String id = admin.createUser(REALM, "user" + i, "password-" + i);
            userIds.add(id);
            check(admin.post("/" + REALM + "/users/" + id + "/role-mappings/clients/" + brokerId, List.of(readToken)), 204);
            ObjectNode link = Http.JSON.createObjectNode().put("identityProvider", IDP).put("userId", "ext-" + i)
                    .put("userName", "ext-" + i);
            check(admin.post("/" + REALM + "/users/" + id + "/federated-identity/" + IDP, link), 204);
        }
        // The federated identities' stored tokens, as Keycloak would have stored them after a login, and the
        // connections' tokens (fresh: an hour to go), written straight into the database.
        try (Connection db = kc.jdbc(); PreparedStatement ps = db.prepareStatement(
                "update FEDERATED_IDENTITY set TOKEN = ? where USER_ID = ? and IDENTITY_PROVIDER = ?")) {
            for (int i = 0; i < USERS; i++) {
                ps.setString(1, "{\"access_token\":\"broker-at-" + i + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
                ps.setString(2, userIds.get(i));
                ps.setString(3, IDP);
                ps.addBatch();
            }
            ps.executeBatch();
            long expires = System.currentTimeMillis() + 3_600_000;
            new Seeder(TestServer.ENCRYPTION_KEY).insert(db, realmId, userIds, "fresh-", 0, USERS, expires,
                    expires - 600_000, true);
        }
        check(admin.post("/" + REALM + "/clear-user-cache", Map.of()), 204);
        for (int i = 0; i < USERS; i++) {
            Http.Resp r = Http.postForm(base() + "/realms/" + REALM + "/protocol/openid-connect/token", Map.of(
                    "grant_type", "password", "client_id", "demo-app", "client_secret", "demo-app-secret",
                    "username", "user" + i, "password", "password-" + i, "scope", "openid"), null);
            check(r, 200);
            bearers.add(r.json().get("access_token").asText());
        }
    }

    // ---------------------------------------------------------------------------------------------------- refresher

    private void refresher(FixedLatencyProvider provider, List<Mem> memory) throws Exception {
        // {provider latency ms, due connections}; --full adds 10k at 200 ms and 100k at 50 ms.
        long[][] runs = full ? new long[][]{{50, 1_000}, {50, 10_000}, {200, 1_000}, {200, 10_000}, {50, 100_000}}
                : quick ? new long[][]{{50, 1_000}} : new long[][]{{50, 1_000}, {50, 10_000}, {200, 1_000}};
        boolean pg = kc.db().kind().equals("postgres");
        int cores = Runtime.getRuntime().availableProcessors();
        md.append("### Refresher (refresh-concurrency ").append(REFRESH_CONCURRENCY).append(", refresh-page-size ")
                .append(REFRESH_PAGE).append(")\n\n");
        md.append("| provider latency ms | due connections | seeding s | pass s | refreshed | failed | provider calls | refreshes/s"
                + " | latency-bound s | efficiency | server CPU ms / refresh | CPU-bound refreshes/s | transactions / conn"
                + " | rows written / conn |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        warmUpPass(provider);
        for (long[] run : runs) {
            long latency = run[0];
            int n = (int) run[1];
            provider.latency(latency);
            String prefix = "due" + latency + "-" + n + "-";
            long now = System.currentTimeMillis();
            long t0 = System.nanoTime();
            try (Connection db = kc.jdbc()) {
                new Seeder(TestServer.ENCRYPTION_KEY).insert(db, realmId, userIds, prefix, 0, n, now + 120_000, now - 1000, true);
            }
            double seedSeconds = (System.nanoTime() - t0) / 1e9;
            memory.add(mem.sample("after seeding " + n + " due connections (" + latency + " ms)"));
            long[] before = pg ? pgStats() : null;
            provider.refreshes.set(0);
            log("refresh pass over " + n + " due connections, provider latency " + latency + " ms");
            double cpu0 = mem.serverCpuSeconds();
            long p0 = System.nanoTime();
            JsonNode r = refreshPass();
            double passSeconds = (System.nanoTime() - p0) / 1e9;
            double cpuMillis = (mem.serverCpuSeconds() - cpu0) * 1000;
            long[] after = pg ? pgStats() : null;
            memory.add(mem.sample("after the pass over " + n + " (" + latency + " ms)"));
            int refreshed = r.get("refreshed").asInt();
            double bound = n * (latency / 1000.0) / REFRESH_CONCURRENCY;
            String tx = "n/a";
            String rows = "n/a";
            if (pg) {
                tx = String.format(Locale.ROOT, "%.2f", (after[0] - before[0]) / (double) n);
                rows = String.format(Locale.ROOT, "%.2f", (after[1] - before[1]) / (double) n);
            }
            double cpuPer = cpuMillis / Math.max(1, refreshed);
            md.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %.2f | %d | %d | %d | %.0f | %.2f | %.2f | %s | %s | %s | %s |%n",
                    latency, n, seedSeconds, passSeconds, refreshed, r.get("failed").asInt(), provider.refreshes.get(),
                    refreshed / passSeconds, bound, bound / passSeconds,
                    cpuMillis < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", cpuPer),
                    cpuMillis < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", cores * 1000 / cpuPer), tx, rows));
            try (Connection db = kc.jdbc()) {
                Seeder.delete(db, realmId, prefix);
            }
        }
        md.append("\nThe pass is started with `POST /admin/realms/").append(REALM)
                .append("/connect/refresh` and timed from the request to the answer; efficiency = latency-bound time"
                        + " (N × latency / concurrency) / pass time. Before the first, an unreported pass over "
                        + WARM_UP_PASS + " connections warms the server (JIT, the HTTP client's pool). Server CPU: the Keycloak JVM's user + system CPU"
                        + " time over the pass (every thread of it); CPU-bound refreshes/s = ").append(cores)
                .append(" cores ÷ that, the most this machine could do with the provider answering at once.");
        if (pg) {
            md.append(" Transactions and rows written come from `pg_stat_database` (the whole database, so Keycloak's"
                    + " own traffic during the pass is included).");
        }
        md.append("\n\n");
    }

    /** A pass nobody reports: the first pass of a fresh server also pays for JIT compilation and lazy set-up. */
    private void warmUpPass(FixedLatencyProvider provider) throws Exception {
        provider.latency(LATENCY_MILLIS);
        long now = System.currentTimeMillis();
        try (Connection db = kc.jdbc()) {
            new Seeder(TestServer.ENCRYPTION_KEY).insert(db, realmId, userIds, "warm-", 0, WARM_UP_PASS, now + 120_000, now - 1000, true);
        }
        log("warm-up refresh pass over " + WARM_UP_PASS + " due connections");
        refreshPass();
        try (Connection db = kc.jdbc()) {
            Seeder.delete(db, realmId, "warm-");
        }
    }

    private JsonNode refreshPass() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base() + "/admin/realms/" + REALM + "/connect/refresh"))
                .header("Authorization", "Bearer " + admin.token()).timeout(Duration.ofHours(1))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("refresh pass answered " + r.statusCode() + ": " + r.body());
        }
        return Http.JSON.readTree(r.body());
    }

    /** {transactions, rows inserted + updated + deleted} of this database so far. */
    private long[] pgStats() throws Exception {
        Thread.sleep(1500); // PostgreSQL publishes backend counters at most once a second
        try (Connection db = kc.jdbc(); Statement s = db.createStatement()) {
            s.execute("select pg_stat_clear_snapshot()");
            try (ResultSet rs = s.executeQuery("select xact_commit + xact_rollback, tup_inserted + tup_updated + tup_deleted"
                    + " from pg_stat_database where datname = current_database()")) {
                rs.next();
                return new long[]{rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------- helpers

    private String base() {
        return kc.baseUrl();
    }

    private static void check(Http.Resp r, int status) {
        if (r.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + r.status() + ": " + r.body());
        }
    }

    /** The 1-minute load average. */
    static String loadAverage1() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 2)[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0] + " (1 min), "
                    + Runtime.getRuntime().availableProcessors() + " cores";
        } catch (Exception e) {
            return "unknown";
        }
    }

    static void log(String s) {
        System.out.println("[bench " + Instant.now() + "] " + s);
    }
}
