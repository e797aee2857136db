package io.kcconnections.bench;

import static io.kcconnections.bench.Bench.log;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.kcconnections.it.harness.KeycloakServer;

/**
 * The server's memory: samples of its resident set and (through jcmd) its live heap and class histogram, and the
 * report of them, with the classes that grew most across the largest refresh pass.
 */
final class Memory {

    private final StringBuilder md;
    private final KeycloakServer kc;
    private final long serverPid;

    /** {@code serverPid}: the server JVM's process id (see {@link #serverPid()}), or -1: no live-heap figures. */
    Memory(StringBuilder md, KeycloakServer kc, long serverPid) {
        this.md = md;
        this.kc = kc;
        this.serverPid = serverPid;
    }

    /** The server's resident set, and its live heap and class histogram after a full GC (-1 and empty without jcmd). */
    record Mem(String when, long rssKib, long liveBytes, Map<String, long[]> histogram) {
    }

    Mem sample(String when) throws Exception {
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

    void report(List<Mem> points) {
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
        long largest = -1;
        for (int i = 1; i < points.size(); i++) {
            String when = points.get(i).when();
            if (when.startsWith("after the pass over ") && points.get(i - 1).liveBytes() >= 0
                    && points.get(i).liveBytes() >= 0) {
                long n = Long.parseLong(when.substring("after the pass over ".length()).split(" ")[0]);
                if (n > largest) {
                    largest = n;
                    before = points.get(i - 1);
                    after = points.get(i);
                }
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

    /** The server JVM's CPU time so far (user + system, every thread), in seconds; -1 when unknown. */
    double serverCpuSeconds() {
        if (serverPid < 0) {
            return -1;
        }
        return ProcessHandle.of(serverPid).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9).orElse(-1.0);
    }

    /** The server JVM (kc.sh runs it as a child of this process). */
    static long serverPid() {
        return ProcessHandle.current().descendants()
                .filter(h -> h.info().command().orElse("").endsWith("java"))
                .filter(h -> h.info().commandLine().orElse("").contains("quarkus-run.jar"))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }
}
