package io.kcconnections.bench;

import static io.kcconnections.bench.Bench.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.kcconnections.it.harness.KeycloakServer;
import io.kcconnections.it.harness.TestServer;

/**
 * The extension's queries on PostgreSQL as the connection table grows: their timings and plans at each size.
 */
final class TableGrowth {

    private final StringBuilder md;
    private final KeycloakServer kc;
    private final String realmId;
    private final List<String> userIds;
    private final boolean full;
    private final boolean quick;

    /** {@code userIds}: the benchmark users, owners of the 100 due rows. */
    TableGrowth(StringBuilder md, KeycloakServer kc, String realmId, List<String> userIds, boolean full, boolean quick) {
        this.md = md;
        this.kc = kc;
        this.realmId = realmId;
        this.userIds = userIds;
        this.full = full;
        this.quick = quick;
    }

    /** A query of the extension as it reaches the database, with its parameters for a table of {@code rows} rows. */
    private record Query(String name, String sql, java.util.function.IntFunction<Object[]> params) {
    }

    /**
     * The due (claim) query, the token read's lookups and the two lists, timed and explained as the table grows: rows
     * are spread over synthetic people with 10 connections each, 100 of them due, the rest due tomorrow.
     */
    void tableGrowth() throws Exception {
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
}
