package io.kcconnections.bench;

import static io.kcconnections.bench.Bench.CONCURRENCY;
import static io.kcconnections.bench.Bench.IDP;
import static io.kcconnections.bench.Bench.REALM;
import static io.kcconnections.bench.Bench.USERS;
import static io.kcconnections.bench.Bench.loadAverage1;
import static io.kcconnections.bench.Bench.log;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.kcconnections.it.harness.KeycloakServer;

/**
 * The token endpoint with fresh tokens, under load from wrk: Keycloak's userinfo and stored-token (broker) endpoints
 * as the baselines and the connect token endpoint, in alternating rounds at each concurrency; appends the tables of the
 * results and of the connect token against the baselines.
 */
final class TokenEndpointBench {

    static final String USERINFO = "Keycloak userinfo";
    static final String BROKER = "Keycloak broker token";
    static final String CONNECT = "connect token";

    private final StringBuilder md;
    private final KeycloakServer kc;
    private final Wrk wrk;
    private final String wrkVersion;
    private final Duration warmUp;
    private final Duration measure;
    private final int rounds;
    private final List<String> bearers;

    /** {@code bearers}: one access token per benchmark user, in user order. */
    TokenEndpointBench(StringBuilder md, KeycloakServer kc, Wrk wrk, String wrkVersion, Duration warmUp, Duration measure,
                       int rounds, List<String> bearers) {
        this.md = md;
        this.kc = kc;
        this.wrk = wrk;
        this.wrkVersion = wrkVersion;
        this.warmUp = warmUp;
        this.measure = measure;
        this.rounds = rounds;
        this.bearers = bearers;
    }

    private record Level(int concurrency, String loadBefore, String loadAfter, Map<String, List<Wrk.Result>> rounds) {
    }

    void tokenEndpoint() throws Exception {
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

    private String base() {
        return kc.baseUrl();
    }
}
