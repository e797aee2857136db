package io.kcconnections.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One Keycloak distribution process: builds the unpacked distribution with the extension's jars in
 * {@code providers/}, starts it in production mode ({@code start --optimized}) on free loopback ports, waits for
 * {@code /health/ready}, and stops it by PID. PIDs are written to a file so that a server left behind by a killed
 * test JVM is stopped at the next start (and by {@code .ci/run}).
 */
public final class KeycloakServer {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static int serverCount;

    /** Database settings, from the failsafe system properties. */
    public record Db(String kind, String host, String port, String name, String user, String password,
                     String adminUser, String adminPassword) {

        public static Db fromSystemProperties() {
            return new Db(prop("kc.db", "dev-file"), prop("kc.db.host", "127.0.0.1"), prop("kc.db.port", ""),
                    prop("kc.db.name", "kcconnect_it"), prop("kc.db.username", "kcconnect"),
                    prop("kc.db.password", "kcconnect"), prop("kc.db.admin.username", ""),
                    prop("kc.db.admin.password", ""));
        }

        public boolean h2() {
            return kind.equals("dev-file");
        }

        String effectivePort() {
            if (!port.isBlank()) {
                return port;
            }
            return kind.equals("mariadb") ? "3306" : "5432";
        }

        /** A database name of its own for a second server (cluster nodes share {@code name}). */
        public Db withName(String other) {
            return new Db(kind, host, port, other, user, password, adminUser, adminPassword);
        }
    }

    private final Path home;
    private final Path providers;
    private final Path realmConfig;
    private final Path work;
    private final Db db;
    private final String name;
    private Process process;
    private int httpPort;
    private int managementPort;
    private Path logFile;
    private Map<String, String> env = Map.of();
    private List<String> extraArgs = List.of();

    public KeycloakServer(String name, Path home, Db db) {
        this.name = name;
        this.home = home;
        this.db = db;
        this.providers = Path.of(prop("kc.providers", "target/kc-providers"));
        this.realmConfig = Path.of(prop("kc.realm.config", "../realm-config"));
        this.work = Path.of(prop("kc.work", "target"));
    }

    public static KeycloakServer fromSystemProperties(String name) {
        return new KeycloakServer(name, Path.of(prop("kc.home", "target/kc/keycloak-26.7.3")), Db.fromSystemProperties());
    }

    public static String prop(String k, String d) {
        String v = System.getProperty(k);
        return v == null || v.isBlank() ? d : v;
    }

    public Db db() {
        return db;
    }

    public Path home() {
        return home;
    }

    /** Picks the ports, so that configuration can mention the server's own URL before it starts. */
    public KeycloakServer choosePorts() throws IOException {
        httpPort = freePort();
        managementPort = freePort();
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public Path logFile() {
        return logFile;
    }

    public Map<String, String> env() {
        return env;
    }

    /** Runs {@code kc.sh build} unless the same providers were built with the same options last time. */
    public void build(List<String> buildOptions) throws Exception {
        killLeftovers();
        List<String> args = new ArrayList<>(List.of("build", "--db=" + db.kind(), "--health-enabled=true", "--metrics-enabled=true"));
        args.addAll(buildOptions);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        List<Path> jars;
        try (Stream<Path> s = Files.list(providers)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        for (Path jar : jars) {
            md.update(jar.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            md.update(Files.readAllBytes(jar));
        }
        md.update(String.join(" ", args).getBytes(StandardCharsets.UTF_8));
        String hash = HexFormat.of().formatHex(md.digest());
        Path marker = home.resolve(".kcconnect-build");
        if (Files.exists(marker) && Files.readString(marker).equals(hash)) {
            return; // same jars, same options: the existing build stands (touching providers/ would void it)
        }
        Path providerDir = home.resolve("providers");
        Files.createDirectories(providerDir);
        try (Stream<Path> old = Files.list(providerDir)) {
            for (Path p : old.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.delete(p);
            }
        }
        for (Path jar : jars) {
            Files.copy(jar, providerDir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path log = work.resolve("kc-logs").resolve(name + "-build.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(kcCommand(args)).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        hermetic(pb.environment());
        Process p = pb.start();
        if (p.waitFor() != 0) {
            Files.deleteIfExists(marker);
            throw new IllegalStateException("kc.sh build failed; see " + log + "\n" + tail(log, 40));
        }
        Files.writeString(marker, hash);
    }

    /** Starts with a fresh database. */
    public void startFresh(Map<String, String> env, List<String> extraArgs) throws Exception {
        resetDatabase();
        start(env, extraArgs);
    }

    /** Starts on the existing database (a restart). */
    public void start(Map<String, String> env, List<String> extraArgs) throws Exception {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        if (httpPort == 0) {
            choosePorts();
        }
        this.env = Map.copyOf(env);
        this.extraArgs = List.copyOf(extraArgs);
        Path imp = home.resolve("data/import");
        Files.createDirectories(imp);
        for (String f : List.of("demo-realm.json", "upstream-realm.json")) {
            Files.copy(realmConfig.resolve(f), imp.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> args = new ArrayList<>(List.of("start", "--optimized", "--http-enabled=true", "--http-host=127.0.0.1",
                "--http-port=" + httpPort, "--http-management-port=" + managementPort, "--hostname-strict=false",
                "--import-realm", "--log-level=" + prop("kc.log.level", "INFO,io.kcconnections:debug")));
        args.addAll(dbArgs());
        args.addAll(extraArgs);
        logFile = work.resolve("kc-logs").resolve(name + "-" + db.kind() + "-" + (++serverCount) + ".log");
        Files.createDirectories(logFile.getParent());
        ProcessBuilder pb = new ProcessBuilder(kcCommand(args)).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(logFile.toFile());
        Map<String, String> penv = pb.environment();
        hermetic(penv);
        penv.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        penv.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        penv.put("JAVA_OPTS_KC_HEAP", "-Xms128m -Xmx768m");
        penv.putAll(env);
        long started = System.currentTimeMillis();
        process = pb.start();
        writePids();
        waitReady(started);
    }

    private void waitReady(long started) throws Exception {
        long deadline = started + 300_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + " during start-up; log "
                        + logFile + ":\n" + tail(logFile, 60));
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    System.out.printf("[harness] %s ready at %s in %d ms (log %s)%n", name, baseUrl(),
                            System.currentTimeMillis() - started, logFile);
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(1000);
        }
        stop();
        throw new IllegalStateException("Keycloak was not ready within 300 s; log " + logFile + ":\n" + tail(logFile, 60));
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    public void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        process = null;
        deletePids();
    }

    /** {@code kill -9} of the server JVM: no shutdown hooks, no graceful close. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        deletePids();
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Stops and starts again with other environment variables (same database, same ports). */
    public void restart(Map<String, String> newEnv) throws Exception {
        stop();
        start(newEnv, extraArgs);
    }

    /**
     * Runs a {@code kc.sh} command against this server's build and database (e.g. {@code export --realm x --file f}),
     * next to the running server; its output goes to a log under {@code kc-logs} (scanned for secrets like the rest).
     */
    public void runCommand(String logName, List<String> command) throws Exception {
        List<String> args = new ArrayList<>(command);
        args.add("--optimized");
        args.addAll(dbArgs());
        args.add("--cache=local");
        Path log = work.resolve("kc-logs").resolve(name + "-" + logName + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(kcCommand(args)).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        hermetic(pb.environment());
        pb.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        // The command's own management interface: loopback and a free port, never the default 0.0.0.0:9000.
        pb.environment().put("KC_HTTP_HOST", "127.0.0.1");
        pb.environment().put("KC_HTTP_MANAGEMENT_PORT", String.valueOf(freePort()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IllegalStateException("kc.sh " + command.get(0) + " did not finish in 300 s; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("kc.sh " + command.get(0) + " failed; see " + log + "\n" + tail(log, 40));
        }
    }

    /** A JDBC connection to the server's database (H2 through its AUTO_SERVER mode). */
    public Connection jdbc() throws SQLException {
        return switch (db.kind()) {
            case "dev-file" -> DriverManager.getConnection(h2Url(), "sa", "password");
            case "postgres" -> DriverManager.getConnection(jdbcUrl(), db.user(), db.password());
            case "mariadb" -> DriverManager.getConnection(jdbcUrl(), db.user(), db.password());
            default -> throw new IllegalStateException("unknown db " + db.kind());
        };
    }

    private String h2Url() {
        return "jdbc:h2:file:" + home.toAbsolutePath().resolve("data/h2/keycloakdb") + ";NON_KEYWORDS=VALUE;AUTO_SERVER=TRUE";
    }

    private String jdbcUrl() {
        return switch (db.kind()) {
            case "postgres" -> "jdbc:postgresql://" + db.host() + ":" + db.effectivePort() + "/" + db.name();
            case "mariadb" -> "jdbc:mariadb://" + db.host() + ":" + db.effectivePort() + "/" + db.name();
            default -> h2Url();
        };
    }

    private List<String> dbArgs() {
        if (db.h2()) {
            return List.of("--db-url=" + h2Url(), "--db-username=sa", "--db-password=password");
        }
        return List.of("--db-url=" + jdbcUrl(), "--db-username=" + db.user(), "--db-password=" + db.password());
    }

    /** Drops and recreates the database (H2: deletes its files). */
    public void resetDatabase() throws Exception {
        if (db.h2()) {
            deleteTree(home.resolve("data/h2"));
            return;
        }
        if (db.kind().equals("postgres")) {
            String admin = db.adminUser().isBlank() ? "postgres" : db.adminUser();
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + db.host() + ":" + db.effectivePort()
                    + "/postgres", admin, db.adminPassword()); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db.name() + " WITH (FORCE)");
                try {
                    s.execute("CREATE ROLE " + db.user() + " LOGIN PASSWORD '" + db.password() + "'");
                } catch (SQLException exists) {
                    // role already there
                }
                s.execute("CREATE DATABASE " + db.name() + " OWNER " + db.user() + " ENCODING 'UTF8'");
            }
            return;
        }
        if (db.kind().equals("mariadb")) {
            String admin = db.adminUser().isBlank() ? "root" : db.adminUser();
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + db.host() + ":" + db.effectivePort() + "/",
                    admin, db.adminPassword()); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db.name());
                s.execute("CREATE DATABASE " + db.name() + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
                for (String host : List.of("%", "localhost", "127.0.0.1")) {
                    s.execute("CREATE USER IF NOT EXISTS '" + db.user() + "'@'" + host + "' IDENTIFIED BY '" + db.password() + "'");
                    s.execute("GRANT ALL PRIVILEGES ON " + db.name() + ".* TO '" + db.user() + "'@'" + host + "'");
                }
            }
        }
    }

    private List<String> kcCommand(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("bash", home.resolve("bin/kc.sh").toString()));
        cmd.addAll(args);
        return cmd;
    }

    /** No stray KC_ or CONNECT_ variable from the caller's shell changes what the tests run. */
    private static void hermetic(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("CONNECT_") || k.startsWith("AUTH_")
                || k.startsWith("QUARKUS_") || k.equals("JAVA_OPTS") || k.equals("JAVA_OPTS_APPEND"));
    }

    private Path pidFile() {
        return work.resolve("kc-" + name + ".pid");
    }

    private void writePids() throws IOException {
        // kc.sh runs java as a child: record both, once the child exists.
        for (int i = 0; i < 50 && process.descendants().findAny().isEmpty() && process.isAlive(); i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        StringBuilder sb = new StringBuilder().append(process.pid()).append('\n');
        process.descendants().forEach(h -> sb.append(h.pid()).append('\n'));
        Files.writeString(pidFile(), sb.toString());
    }

    private void deletePids() {
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            // best effort
        }
    }

    /** Stops whatever a previous, killed test JVM left running under this server's name. */
    private void killLeftovers() throws IOException {
        Path f = pidFile();
        if (!Files.exists(f)) {
            return;
        }
        for (String line : Files.readAllLines(f)) {
            if (line.isBlank()) {
                continue;
            }
            ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(h -> {
                String cmd = h.info().commandLine().orElse("");
                if (cmd.contains("keycloak") || cmd.contains("kc.sh")) {
                    System.out.println("[harness] stopping leftover Keycloak process " + h.pid());
                    h.destroyForcibly();
                }
            });
        }
        Files.deleteIfExists(f);
    }

    /** Resident memory of the server JVM in KiB, from /proc. */
    public long rssKib() throws IOException {
        for (ProcessHandle h : process.descendants().toList()) {
            if (h.info().command().orElse("").endsWith("java")) {
                for (String line : Files.readAllLines(Path.of("/proc/" + h.pid() + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            }
        }
        return -1;
    }

    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    static String readResource(String name) throws IOException {
        try (InputStream in = KeycloakServer.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Map<String, String> map(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
