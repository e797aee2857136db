package io.kcconnections.migrate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Moves svc-infra's (or stargazer's) stored connections into Keycloak Connections:
 * <pre>
 * java -jar connect-migrate-all.jar --source-url jdbc:postgresql://db/app --source-user app --source-password … \
 *   --fernet-key-file key.txt --keycloak https://sso.example.com --realm demo --username admin --password … \
 *   [--user-map users.csv] [--provider-map old=new,…] [--report report.json] [--apply]
 * </pre>
 * Without {@code --apply} it is a dry run: every row is decrypted and checked by the server, nothing is written. With
 * it, rows are imported in batches; a connection that already exists is skipped, so a run that stopped half way is
 * resumed by running it again. The Fernet key stays in this process; tokens go to Keycloak over its admin API and
 * are never printed. Exit code 0 when every row is imported (or already there), 2 when some are not, 1 on an error.
 */
public final class SvcInfraImport {

    static final int BATCH = 200;

    private SvcInfraImport() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the migration with these arguments, printing the report to {@code out}; answers the exit code. */
    public static int run(String[] args, PrintStream out) {
        Map<String, String> o;
        try {
            o = options(args);
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            out.println(usage());
            return 1;
        }
        if (o.containsKey("help")) {
            out.println(usage());
            return 0;
        }
        try {
            return migrate(o, out);
        } catch (Exception e) {
            out.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static int migrate(Map<String, String> o, PrintStream out) throws Exception {
        Fernet fernet = new Fernet(o.containsKey("fernet-key-file")
                ? Files.readString(Path.of(o.get("fernet-key-file"))).trim() : required(o, "fernet-key"));
        List<SourceRows.Row> rows = SourceRows.read(required(o, "source-url"), o.get("source-user"),
                o.get("source-password"), o.getOrDefault("table", "connection_tokens"));
        Map<String, String> users = o.containsKey("user-map") ? csv(Path.of(o.get("user-map"))) : Map.of();
        Map<String, String> providers = pairs(o.getOrDefault("provider-map", ""));
        boolean apply = o.containsKey("apply");
        AdminApi api = AdminApi.signIn(required(o, "keycloak"), required(o, "realm"), o.getOrDefault("auth-realm", "master"),
                o.getOrDefault("client-id", "admin-cli"), o.get("client-secret"), o.get("username"), o.get("password"));

        ArrayNode report = AdminApi.JSON.createArrayNode();
        List<Map<String, Object>> batch = new ArrayList<>();
        for (SourceRows.Row r : rows) {
            Map<String, Object> c = connection(r, fernet, users, providers, report);
            if (c != null) {
                batch.add(c);
            }
            if (batch.size() == BATCH) {
                send(api, batch, apply, report);
            }
        }
        send(api, batch, apply, report);
        return summary(report, rows.size(), apply, o.get("report"), out);
    }

    /** The import body of one row; null (with a report line) when it cannot be decrypted. */
    private static Map<String, Object> connection(SourceRows.Row r, Fernet fernet, Map<String, String> users,
                                                  Map<String, String> providers, ArrayNode report) {
        Map<String, Object> c = new LinkedHashMap<>();
        try {
            c.put("access_token", r.accessCipher() == null || r.accessCipher().isBlank() ? null : fernet.decrypt(r.accessCipher()));
            c.put("refresh_token", r.refreshCipher() == null || r.refreshCipher().isBlank() ? null : fernet.decrypt(r.refreshCipher()));
        } catch (Fernet.InvalidToken e) {
            report.addObject().put("user", r.userId()).put("provider", r.provider()).put("connection_id", r.connectionId())
                    .put("result", "undecryptable").put("detail", e.getMessage());
            return null;
        }
        c.put("user", users.getOrDefault(r.userId(), r.userId()));
        c.put("provider", providers.getOrDefault(r.provider(), r.provider()));
        c.put("connection_id", r.connectionId());
        c.put("expires_at", r.expiresAtMillis());
        c.put("scopes", r.scopes() == null ? List.of() : Arrays.stream(r.scopes().split("[\\s,]+")).filter(s -> !s.isEmpty()).toList());
        c.put("metadata", Map.of("migrated_from", "svc-infra"));
        return c;
    }

    private static void send(AdminApi api, List<Map<String, Object>> batch, boolean apply, ArrayNode report)
            throws IOException, InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        JsonNode answer = api.importBatch(batch, !apply);
        answer.get("results").forEach(report::add);
        batch.clear();
    }

    private static int summary(ArrayNode report, int total, boolean apply, String file, PrintStream out) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonNode r : report) {
            counts.merge(r.get("result").asText(), 1, Integer::sum);
            out.printf("%-14s %-16s %-32s %s%s%n", r.get("result").asText(), r.path("provider").asText(),
                    r.path("connection_id").asText(), r.path("user").asText(),
                    r.has("detail") ? "  (" + r.get("detail").asText() + ")" : "");
        }
        out.println((apply ? "imported" : "dry run (nothing written; --apply imports)") + ": " + total + " rows " + counts);
        if (file != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("applied", apply);
            doc.put("counts", counts);
            doc.put("results", report);
            AdminApi.JSON.writerWithDefaultPrettyPrinter().writeValue(Path.of(file).toFile(), doc);
        }
        boolean ok = counts.keySet().stream().allMatch(k -> k.equals("imported") || k.equals("exists") || k.equals("would_import"));
        return ok ? 0 : 2;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String k = args[i].substring(2);
            if (k.equals("apply") || k.equals("help")) {
                o.put(k, "true");
            } else if (i + 1 < args.length) {
                o.put(k, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + k + " needs a value");
            }
        }
        return o;
    }

    private static String required(Map<String, String> o, String k) {
        String v = o.get(k);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + k + " is required");
        }
        return v;
    }

    /** {@code svc_user_id,keycloak_user} lines (the Keycloak user by id, username or email); # comments. */
    static Map<String, String> csv(Path file) throws IOException {
        Map<String, String> m = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String l = line.trim();
            if (!l.isEmpty() && !l.startsWith("#")) {
                String[] p = l.split(",", 2);
                if (p.length == 2) {
                    m.put(p[0].trim(), p[1].trim());
                }
            }
        }
        return m;
    }

    private static Map<String, String> pairs(String s) {
        Map<String, String> m = new HashMap<>();
        for (String p : s.split(",")) {
            String[] kv = p.split("=", 2);
            if (kv.length == 2) {
                m.put(kv[0].trim(), kv[1].trim());
            }
        }
        return m;
    }

    static String usage() {
        return """
                usage: java -jar connect-migrate-all.jar --source-url JDBC_URL [--source-user U --source-password P]
                         [--table connection_tokens] (--fernet-key KEY | --fernet-key-file FILE)
                         --keycloak URL --realm REALM [--auth-realm master] [--client-id admin-cli]
                         (--username U --password P | --client-secret S)
                         [--user-map users.csv] [--provider-map old=new,...] [--report report.json] [--apply]
                Without --apply: a dry run (decrypts and checks every row; writes nothing).""";
    }
}
