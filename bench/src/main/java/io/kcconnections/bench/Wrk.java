package io.kcconnections.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop HTTP load from <a href="https://github.com/wg/wrk">wrk</a>, a compiled load generator in its own
 * process: {@code concurrency} keep-alive connections on at most one thread per core, each sending GET requests back
 * to back. Every request takes the next (path, bearer token) of a target list in turn ({@code bench/wrk/requests.lua}),
 * so every connection rotates through all users. Latency percentiles come from wrk's own histogram.
 */
final class Wrk {

    record Target(String path, String bearer) {
    }

    /** One wrk run. {@code statusErrors}: responses with a status of 400 or more; {@code socketErrors}: connect,
     *  read, write errors and timeouts. */
    record Result(double perSecond, double p50Millis, double p99Millis, double maxMillis, long requests,
                  long statusErrors, long socketErrors) {
    }

    private final String binary;
    private final Path script;
    private final Path work;
    private final int cores = Runtime.getRuntime().availableProcessors();

    Wrk(Path script, Path work) {
        this.binary = System.getProperty("bench.wrk", "wrk");
        this.script = script.toAbsolutePath();
        this.work = work.toAbsolutePath();
        if (!Files.isRegularFile(this.script)) {
            throw new IllegalStateException("no wrk script at " + this.script + " (-Dbench.wrk.script)");
        }
    }

    /** wrk's version line; fails when wrk is not installed. */
    String version() throws Exception {
        Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String first = out.lines().findFirst().orElse("");
        if (!first.startsWith("wrk")) {
            throw new IllegalStateException("wrk not found or not working (" + binary + "): " + out
                    + " — bench/run installs it (apt-get install -y wrk)");
        }
        return first.replaceAll("\\s*Copyright.*", "");
    }

    /** Writes the targets of one endpoint to a file the script reads. */
    Path targets(String name, List<Target> targets) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Target t : targets) {
            sb.append(t.path()).append('\t').append(t.bearer()).append('\n');
        }
        Path f = work.resolve("wrk-" + name.replaceAll("[^A-Za-z0-9]+", "-") + ".tsv");
        Files.writeString(f, sb.toString());
        return f;
    }

    int threads(int concurrency) {
        return Math.max(1, Math.min(concurrency, cores));
    }

    Result run(String baseUrl, Path targets, int concurrency, Duration duration) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(binary, "-t" + threads(concurrency), "-c" + concurrency,
                "-d" + duration.toSeconds() + "s", "--timeout", "10s", "-s", script.toString(), baseUrl, "--",
                targets.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("wrk did not finish: " + String.join(" ", cmd));
        }
        String line = out.lines().filter(l -> l.startsWith("WRK_RESULT ")).findFirst().orElseThrow(() ->
                new IllegalStateException("no WRK_RESULT line from " + String.join(" ", cmd) + " (exit "
                        + p.exitValue() + "):\n" + out));
        Map<String, Long> v = new HashMap<>();
        for (String kv : line.substring("WRK_RESULT ".length()).trim().split("\\s+")) {
            String[] a = kv.split("=", 2);
            v.put(a[0], Long.parseLong(a[1]));
        }
        long requests = v.get("requests");
        double seconds = v.get("duration_us") / 1e6;
        return new Result(requests / seconds, v.get("p50_us") / 1e3, v.get("p99_us") / 1e3, v.get("max_us") / 1e3,
                requests, v.get("status_errors"),
                v.get("connect_errors") + v.get("read_errors") + v.get("write_errors") + v.get("timeouts"));
    }
}
