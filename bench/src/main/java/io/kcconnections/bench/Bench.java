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
    private long serverPid = -1;
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
            serverPid = serverPid();
            if (serverPid < 0) {
                log("the server JVM was not found among this process's descendants: no live-heap figures");
            }
            admin = TestServer.admin();
            md.append("## ").append(dbLabel).append(quick ? " (quick run: figures not comparable)" : "").append("\n\n");
            md.append("Load average at the start: ").append(loadAverage()).append(".\n\n");
            List<Mem> memory = new ArrayList<>();
            memory.add(memory("started"));
            setUpRealm();
            memory.add(memory("realm, " + USERS + " users, their tokens and connections"));
            tokenEndpoint();
            memory.add(memory("after the token-endpoint load"));
            refresher(provider, memory);
            memory(memory);
            if (db.equals("postgres")) {
                tableGrowth();
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
        env.put("CONNECT_REFRESH_CONCURRENCY", String.valueOf(REFRESH_CONCURRENCY));
        env.put("CONNECT_REFRESH_PAGE_SIZE", String.valueOf(REFRESH_PAGE));
        env.put("CONNECT_REFRESH_WINDOW_SECONDS", "600");
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

    // ---------------------------------------------------------------------------------------------- token endpoint

    static final String USERINFO = "Keycloak userinfo";
    static final String BROKER = "Keycloak broker token";
    static final String CONNECT = "connect token";

    private record Level(int concurrency, String loadBefore, String loadAfter, Map<String, List<Wrk.Result>> rounds) {
    }

    private void tokenEndpoint() throws Exception {
        Map<String, List<Wrk.Target>> targets = new LinkedHashMap<>();
        targets.put(USERINFO, targets(i -> "/protocol/openid-connect/userinfo"));
        targets.put(BROKER, targets(i -> "/broker/" + IDP + "/token"));
        targets.put(CONNECT, targets(i -> "/connect/token/fresh-" + i + "?provider=" + Seeder.PROVIDER));
        checkAnswers(targets);
        Map<String, Path> files = new LinkedHashMap<>();
        for (Map.Entry<String, List<Wrk.Target>> e : targets.entrySet()) {
            files.put(e.getKey(), wrk.targets(e.getKey(), e.getValue()));
        }
        List<String> names = new ArrayList<>(files.keySet());
        List<Level> levels = new ArrayList<>();
        for (int c : CONCURRENCY) {
            String before = loadAverage1();
            if (!warmUp.isZero()) {
                for (String name : names) {
                    log("warm-up: " + name + " at concurrency " + c);
                    wrk.run(base(), files.get(name), c, warmUp);
                }
            }
            Map<String, List<Wrk.Result>> rounds = new LinkedHashMap<>();
            names.forEach(n -> rounds.put(n, new ArrayList<>()));
            for (int r = 0; r < this.rounds; r++) {
                // rounds alternate the endpoints, each round starting with the next one
                for (int k = 0; k < names.size(); k++) {
                    String name = names.get((k + r) % names.size());
                    Wrk.Result x = wrk.run(base(), files.get(name), c, measure);
                    log(String.format(Locale.ROOT, "load: %s at concurrency %d, round %d: %.0f req/s, p99 %.2f ms, %d non-2xx",
                            name, c, r + 1, x.perSecond(), x.p99Millis(), x.statusErrors() + x.socketErrors()));
                    rounds.get(name).add(x);
                }
            }
            levels.add(new Level(c, before, loadAverage1(), rounds));
        }

        md.append("### Token endpoint (fresh tokens)\n\n");
        md.append("Load from ").append(wrkVersion).append(" in its own process on the same machine: `wrk -t<min(c, ")
                .append(Runtime.getRuntime().availableProcessors()).append(")> -c<c>`, keep-alive; every connection takes ")
                .append(USERS).append(" users' requests (path and bearer token) in turn. At each concurrency: ")
                .append(warmUp.isZero() ? "no warm-up" : warmUp.toSeconds() + " s warm-up of each endpoint").append(", then ")
                .append(this.rounds).append(" rounds of ").append(measure.toSeconds())
                .append(" s per endpoint, each round in another order; figures are the medians over the rounds. Every target"
                        + " answered 200 before the load (userinfo with the `openid` scope). non-2xx: responses with a status"
                        + " ≥ 400 plus socket errors and timeouts, summed over the rounds.\n\n");
        md.append("| concurrency | endpoint | req/s | p50 ms | p99 ms | non-2xx | req/s by round |\n");
        md.append("|---:|---|---:|---:|---:|---:|---|\n");
        for (Level l : levels) {
            for (Map.Entry<String, List<Wrk.Result>> e : l.rounds().entrySet()) {
                List<Wrk.Result> rs = e.getValue();
                StringBuilder byRound = new StringBuilder();
                for (Wrk.Result x : rs) {
                    byRound.append(byRound.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", x.perSecond()));
                }
                md.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.2f | %.2f | %d | %s |%n", l.concurrency(), e.getKey(),
                        median(rs, Wrk.Result::perSecond), median(rs, Wrk.Result::p50Millis), median(rs, Wrk.Result::p99Millis),
                        nonSuccess(rs), byRound));
            }
        }
        md.append("\nConnect token against the baselines (ratios of the medians; in brackets the lowest and highest ratio of"
                + " one round's adjacent measurements). Targets: req/s ≥ 1.0× both, p99 ≤ 1.1× userinfo's, 0 non-2xx.\n\n");
        md.append("| concurrency | load avg (1 min) before → after | req/s ÷ userinfo | req/s ÷ broker token | p99 ÷ userinfo | p99 ÷ broker token | non-2xx (all) | targets |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---|\n");
        for (Level l : levels) {
            List<Wrk.Result> u = l.rounds().get(USERINFO);
            List<Wrk.Result> b = l.rounds().get(BROKER);
            List<Wrk.Result> k = l.rounds().get(CONNECT);
            double rpsU = median(k, Wrk.Result::perSecond) / median(u, Wrk.Result::perSecond);
            double rpsB = median(k, Wrk.Result::perSecond) / median(b, Wrk.Result::perSecond);
            double p99U = median(k, Wrk.Result::p99Millis) / median(u, Wrk.Result::p99Millis);
            double p99B = median(k, Wrk.Result::p99Millis) / median(b, Wrk.Result::p99Millis);
            long errors = nonSuccess(u) + nonSuccess(b) + nonSuccess(k);
            List<String> missed = new ArrayList<>();
            if (rpsU < 1.0) {
                missed.add("req/s < userinfo");
            }
            if (rpsB < 1.0) {
                missed.add("req/s < broker token");
            }
            if (p99U > 1.1) {
                missed.add("p99 > 1.1× userinfo");
            }
            if (errors > 0) {
                missed.add("non-2xx");
            }
            md.append(String.format(Locale.ROOT, "| %d | %s → %s | %s | %s | %s | %s | %d | %s |%n", l.concurrency(), l.loadBefore(),
                    l.loadAfter(), ratio(rpsU, k, u, Wrk.Result::perSecond), ratio(rpsB, k, b, Wrk.Result::perSecond),
                    ratio(p99U, k, u, Wrk.Result::p99Millis), ratio(p99B, k, b, Wrk.Result::p99Millis), errors,
                    missed.isEmpty() ? "met" : "missed: " + String.join(", ", missed)));
        }
        md.append('\n');
    }

    /** One request to every target, before any load: each must answer 200 with the body its endpoint promises. */
    private void checkAnswers(Map<String, List<Wrk.Target>> targets) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        for (Map.Entry<String, List<Wrk.Target>> e : targets.entrySet()) {
            String expect = switch (e.getKey()) {
                case USERINFO -> "\"sub\"";
                case BROKER -> "access_token";
                default -> "\"token\"";
            };
            for (Wrk.Target t : e.getValue()) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base() + t.path()))
                        .header("Authorization", "Bearer " + t.bearer()).timeout(Duration.ofSeconds(30)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200 || !r.body().contains(expect)) {
                    throw new IllegalStateException(e.getKey() + " answered " + r.statusCode() + " to GET " + t.path()
                            + " before the load (expected 200 with " + expect + "): " + r.body());
                }
            }
            log("checked: " + e.getKey() + " answers 200 for all " + e.getValue().size() + " users");
        }
    }

    private List<Wrk.Target> targets(java.util.function.IntFunction<String> path) {
        List<Wrk.Target> t = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            t.add(new Wrk.Target("/realms/" + REALM + path.apply(i), bearers.get(i)));
        }
        return t;
    }

    private static double median(List<Wrk.Result> rs, java.util.function.ToDoubleFunction<Wrk.Result> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        int n = v.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static long nonSuccess(List<Wrk.Result> rs) {
        return rs.stream().mapToLong(x -> x.statusErrors() + x.socketErrors()).sum();
    }

    /** The ratio of the medians, and the range of the per-round ratios (round i of one against round i of the other). */
    private static String ratio(double ofMedians, List<Wrk.Result> a, List<Wrk.Result> b,
                                java.util.function.ToDoubleFunction<Wrk.Result> f) {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            double r = f.applyAsDouble(a.get(i)) / f.applyAsDouble(b.get(i));
            lo = Math.min(lo, r);
            hi = Math.max(hi, r);
        }
        return a.size() < 2 ? String.format(Locale.ROOT, "%.2f×", ofMedians)
                : String.format(Locale.ROOT, "%.2f× (%.2f–%.2f)", ofMedians, lo, hi);
    }

    // ---------------------------------------------------------------------------------------------------- refresher

    private void refresher(FixedLatencyProvider provider, List<Mem> memory) throws Exception {
        int[] sizes = full ? new int[]{1_000, 10_000, 100_000} : quick ? new int[]{1_000} : new int[]{1_000, 10_000};
        boolean pg = kc.db().kind().equals("postgres");
        md.append("### Refresher (provider latency ").append(LATENCY_MILLIS).append(" ms, refresh-concurrency ")
                .append(REFRESH_CONCURRENCY).append(", refresh-page-size ").append(REFRESH_PAGE).append(")\n\n");
        md.append("| due connections | seeding s | pass s | refreshed | failed | provider calls | refreshes/s | latency-bound s | efficiency | transactions / conn | rows written / conn |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int n : sizes) {
            String prefix = "due" + n + "-";
            long now = System.currentTimeMillis();
            long t0 = System.nanoTime();
            try (Connection db = kc.jdbc()) {
                new Seeder(TestServer.ENCRYPTION_KEY).insert(db, realmId, userIds, prefix, 0, n, now + 120_000, now - 1000, true);
            }
            double seedSeconds = (System.nanoTime() - t0) / 1e9;
            memory.add(memory("after seeding " + n + " due connections"));
            long[] before = pg ? pgStats() : null;
            provider.refreshes.set(0);
            log("refresh pass over " + n + " due connections");
            long p0 = System.nanoTime();
            JsonNode r = refreshPass();
            double passSeconds = (System.nanoTime() - p0) / 1e9;
            long[] after = pg ? pgStats() : null;
            memory.add(memory("after the pass over " + n));
            int refreshed = r.get("refreshed").asInt();
            double bound = n * (LATENCY_MILLIS / 1000.0) / REFRESH_CONCURRENCY;
            String tx = "n/a";
            String rows = "n/a";
            if (pg) {
                tx = String.format(Locale.ROOT, "%.2f", (after[0] - before[0]) / (double) n);
                rows = String.format(Locale.ROOT, "%.2f", (after[1] - before[1]) / (double) n);
            }
            md.append(String.format(Locale.ROOT, "| %d | %.1f | %.2f | %d | %d | %d | %.0f | %.2f | %.2f | %s | %s |%n", n,
                    seedSeconds, passSeconds, refreshed, r.get("failed").asInt(), provider.refreshes.get(),
                    refreshed / passSeconds, bound, bound / passSeconds, tx, rows));
            try (Connection db = kc.jdbc()) {
                Seeder.delete(db, realmId, prefix);
            }
        }
        md.append("\nThe pass is started with `POST /admin/realms/").append(REALM)
                .append("/connect/refresh` and timed from the request to the answer; efficiency = latency-bound time"
                        + " (N × latency / concurrency) / pass time.");
        if (pg) {
            md.append(" Transactions and rows written come from `pg_stat_database` (the whole database, so Keycloak's"
                    + " own traffic during the pass is included).");
        }
        md.append("\n\n");
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

    // ------------------------------------------------------------------------------------------------------ memory

    /** The server's resident set, and its live heap and class histogram after a full GC (-1 and empty without jcmd). */
    private record Mem(String when, long rssKib, long liveBytes, Map<String, long[]> histogram) {
    }

    private Mem memory(String when) throws Exception {
        Map<String, long[]> h = histogram();
        long[] total = h.get(TOTAL);
        return new Mem(when, kc.rssKib(), total == null ? -1 : total[1], h);
    }

    private static final String TOTAL = "Total";

    /** {@code jcmd <pid> GC.class_histogram}: a full GC, then the live objects by class ({instances, bytes}). */
    private Map<String, long[]> histogram() {
        Map<String, long[]> h = new LinkedHashMap<>();
        if (serverPid < 0) {
            return h;
        }
        try {
            Process p = new ProcessBuilder("jcmd", String.valueOf(serverPid), "GC.class_histogram").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            java.util.regex.Pattern row = java.util.regex.Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
            java.util.regex.Pattern total = java.util.regex.Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)");
            for (String line : out.split("\n")) {
                java.util.regex.Matcher m = row.matcher(line);
                if (m.find()) {
                    h.merge(m.group(3), new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                            (x, y) -> new long[]{x[0] + y[0], x[1] + y[1]});
                } else if ((m = total.matcher(line)).find()) {
                    h.put(TOTAL, new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
                }
            }
            if (!h.containsKey(TOTAL)) {
                log("jcmd GC.class_histogram gave no total: " + out.lines().limit(5).toList());
            }
        } catch (Exception e) {
            log("jcmd GC.class_histogram failed: " + e);
        }
        return h;
    }

    private void memory(List<Mem> points) {
        md.append("### Server memory (the Keycloak JVM, `-Xmx768m`)\n\n");
        md.append("Live heap: the total of `jcmd <pid> GC.class_histogram`, which runs a full GC first.\n\n");
        md.append("| when | RSS MiB | live heap after full GC MiB |\n|---|---:|---:|\n");
        for (Mem p : points) {
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %s |%n", p.when(), p.rssKib() / 1024.0,
                    p.liveBytes() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", p.liveBytes() / 1048576.0)));
        }
        md.append('\n');
        // the largest pass: what it kept (target: live heap grows by < 50 MiB across a 10k pass)
        Mem before = null;
        Mem after = null;
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).when().startsWith("after the pass over ") && points.get(i - 1).liveBytes() >= 0
                    && points.get(i).liveBytes() >= 0) {
                before = points.get(i - 1);
                after = points.get(i);
            }
        }
        if (before == null) {
            return;
        }
        md.append(String.format(Locale.ROOT, "Live heap across the %s: %+.1f MiB (%s → %s); target < 50 MiB growth across a 10k pass.%n%n",
                after.when().substring("after the ".length()), (after.liveBytes() - before.liveBytes()) / 1048576.0,
                before.when(), after.when()));
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        for (Map.Entry<String, long[]> e : after.histogram().entrySet()) {
            if (e.getKey().equals(TOTAL)) {
                continue;
            }
            long[] b = before.histogram().getOrDefault(e.getKey(), new long[2]);
            grown.add(Map.entry(e.getKey(), new long[]{e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
        }
        grown.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        md.append("<details><summary>Classes whose live bytes grew most across that pass (class histograms after full GC)</summary>\n\n");
        md.append("| class | Δ instances | Δ KiB |\n|---|---:|---:|\n");
        for (Map.Entry<String, long[]> e : grown.subList(0, Math.min(15, grown.size()))) {
            md.append(String.format(Locale.ROOT, "| `%s` | %+d | %+.0f |%n", e.getKey(), e.getValue()[0], e.getValue()[1] / 1024.0));
        }
        md.append("\n</details>\n\n");
    }

    /** The server JVM (kc.sh runs it as a child of this process). */
    private static long serverPid() {
        return ProcessHandle.current().descendants()
                .filter(h -> h.info().command().orElse("").endsWith("java"))
                .filter(h -> h.info().commandLine().orElse("").contains("quarkus-run.jar"))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }

    // ---------------------------------------------------------------------------------------------- table growth

    /** A query of the extension as it reaches the database, with its parameters for a table of {@code rows} rows. */
    private record Query(String name, String sql, java.util.function.IntFunction<Object[]> params) {
    }

    /**
     * The due (claim) query, the token read's lookups and the two lists, timed and explained as the table grows: rows
     * are spread over synthetic people with 10 connections each, 100 of them due, the rest due tomorrow.
     */
    private void tableGrowth() throws Exception {
        int[] sizes = full ? new int[]{1_000, 10_000, 100_000, 1_000_000}
                : quick ? new int[]{1_000, 10_000} : new int[]{1_000, 10_000, 100_000};
        String select = "select * from CONNECT_CONNECTION where ";
        List<Query> queries = List.of(
                new Query("due (the refresher's claim, a page of 32)", select + "REFRESH_AT <= ? order by REFRESH_AT"
                        + " fetch first 32 rows only for update skip locked", n -> new Object[]{System.currentTimeMillis()}),
                new Query("lookup by provider and connection id (token read with `?provider=`)", select
                        + "REALM_ID = ? and PROVIDER = ? and CONNECTION_ID = ?", n -> new Object[]{realmId, Seeder.PROVIDER, "q-" + n / 2}),
                new Query("lookup by connection id (token read without `provider`)", select
                        + "REALM_ID = ? and CONNECTION_ID = ?", n -> new Object[]{realmId, "q-" + n / 2}),
                new Query("list a person's connections", select + "REALM_ID = ? and USER_ID = ? order by CREATED_AT",
                        n -> new Object[]{realmId, "quser-" + n / 20}),
                new Query("admin list, first page of 100", select + "REALM_ID = ? order by CREATED_AT, ID"
                        + " offset 0 rows fetch first 100 rows only", n -> new Object[]{realmId}));
        Map<String, List<double[]>> times = new LinkedHashMap<>();
        Map<String, String> paths = new LinkedHashMap<>();
        StringBuilder plans = new StringBuilder();
        Seeder seeder = new Seeder(TestServer.ENCRYPTION_KEY);
        // the bulk rows belong to people of 10 connections each (no foreign key on USER_ID)
        List<String> people = new java.util.AbstractList<>() {
            @Override
            public String get(int i) {
                return "quser-" + i / 10;
            }

            @Override
            public int size() {
                return Integer.MAX_VALUE;
            }
        };
        long now = System.currentTimeMillis();
        try (Connection db = kc.jdbc()) {
            seeder.insert(db, realmId, userIds, "qdue-", 0, 100, now + 60_000, now - 1000, false);
            int have = 100;
            for (int n : sizes) {
                log("queries at " + n + " rows");
                seeder.insert(db, realmId, people, "q-", have, n - have, now + 86_400_000, now + 86_400_000, false);
                have = n;
                try (Statement s = db.createStatement()) {
                    s.execute("analyze CONNECT_CONNECTION");
                }
                db.setAutoCommit(false);
                for (Query q : queries) {
                    Object[] params = q.params().apply(n);
                    double[] ms = new double[30];
                    for (int i = 0; i < ms.length; i++) {
                        long t0 = System.nanoTime();
                        int found = execute(db, q.sql(), params);
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                        db.rollback();
                        if (found == 0) {
                            throw new IllegalStateException("no rows for " + q.name() + " at " + n + " rows");
                        }
                    }
                    Arrays.sort(ms);
                    times.computeIfAbsent(q.name(), k -> new ArrayList<>()).add(new double[]{ms[ms.length / 2], ms[(int) (ms.length * 0.9)]});
                    String plan = explain(db, q.sql(), params);
                    db.rollback();
                    paths.put(q.name(), accessPath(plan));
                    plans.append("-- ").append(q.name()).append(", ").append(n).append(" rows\n").append(plan).append('\n');
                }
                db.setAutoCommit(true);
            }
            Seeder.delete(db, realmId, "q");
        }
        md.append("### Queries as the table grows (PostgreSQL)\n\n");
        md.append("Rows spread over people of 10 connections each, 100 due, the rest due tomorrow; each query as the extension"
                + " sends it (`select *`), in a transaction that is rolled back; median (p90) ms of 30 runs after `ANALYZE`."
                + " Target: the due query flat (within 2×) from 1k to 1M rows.\n\n");
        StringBuilder head = new StringBuilder("| query |");
        StringBuilder sep = new StringBuilder("|---|");
        for (int n : sizes) {
            head.append(' ').append(n >= 1_000_000 ? n / 1_000_000 + "M" : n / 1000 + "k").append(" rows |");
            sep.append("---:|");
        }
        md.append(head).append(" largest ÷ 1k | access path (largest) |\n").append(sep).append("---:|---|\n");
        for (Map.Entry<String, List<double[]>> e : times.entrySet()) {
            md.append("| ").append(e.getKey()).append(" |");
            for (double[] t : e.getValue()) {
                md.append(String.format(Locale.ROOT, " %.3f (%.3f) |", t[0], t[1]));
            }
            List<double[]> t = e.getValue();
            md.append(String.format(Locale.ROOT, " %.1f× | %s |%n", t.get(t.size() - 1)[0] / t.get(0)[0], paths.get(e.getKey())));
        }
        md.append("\n<details><summary>Plans (EXPLAIN ANALYZE, BUFFERS)</summary>\n\n```\n").append(plans).append("```\n</details>\n\n");
    }

    private static int execute(Connection db, String sql, Object[] params) throws Exception {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, params);
            int found = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(1);
                    found++;
                }
            }
            return found;
        }
    }

    private static String explain(Connection db, String sql, Object[] params) throws Exception {
        try (PreparedStatement ps = db.prepareStatement("explain (analyze, buffers) " + sql)) {
            bind(ps, params);
            StringBuilder p = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    p.append(rs.getString(1)).append('\n');
                }
            }
            return p.toString();
        }
    }

    private static void bind(PreparedStatement ps, Object[] params) throws Exception {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    /** The plan's scans and sorts, e.g. "Index Scan using idx_connect_conn_refresh_at". */
    static String accessPath(String plan) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("((?:Parallel )?(?:Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan|Seq Scan)(?: using \\S+)?|Incremental Sort|Sort)")
                .matcher(plan);
        java.util.LinkedHashSet<String> nodes = new java.util.LinkedHashSet<>();
        while (m.find()) {
            nodes.add(m.group(1));
        }
        String s = String.join(", ", nodes);
        return s.contains("Seq Scan") ? "**" + s + "**" : s;
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
    private static String loadAverage1() {
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

    private static void log(String s) {
        System.out.println("[bench " + Instant.now() + "] " + s);
    }
}
