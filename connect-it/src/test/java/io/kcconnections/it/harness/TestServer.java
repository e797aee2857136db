package io.kcconnections.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one Keycloak server of a test JVM, started on first use and stopped when the JVM exits. Tests that must
 * restart it with other settings use {@link #restartWith} and put the defaults back with {@link #restoreDefaults}.
 * <p>
 * It is built with Keycloak's file vault ({@code --vault=file}, a build option) and started with
 * {@code --vault-dir} pointing at {@link #vaultDir()}; the file vault reads a secret's file on every lookup, so a test
 * puts secrets there with {@link #vaultSecret} without a restart.
 */
public final class TestServer {

    /** The primary token key of the test server (32 bytes, base64). Noted as a secret: it must never be logged. */
    public static final String ENCRYPTION_KEY = "q3r0x1kq2cYtW6nF0oVvLh8mJ9aP4sB7dE5gH2jK1lM=";
    public static final String UPSTREAM_REALM = "upstream";
    public static final String UPSTREAM_CLIENT = "connect-client";
    public static final String UPSTREAM_SECRET = "upstream-connect-secret";

    /**
     * The upstream provider is a realm of this same server, so a refresh made while every HTTP worker thread is busy
     * with a waiting token read could never be answered (the default pool is max(50, 4 x cores) threads): the test
     * server gets room for the concurrency tests' readers and the upstream's answers.
     */
    public static final List<String> START_ARGS = List.of("--cache=local", "--http-pool-max-threads=200");
    /** Build options of the test distribution (every server started from it must use the same). */
    public static final List<String> BUILD_ARGS = List.of("--vault=file");

    private static KeycloakServer server;
    private static Admin admin;
    private static Map<String, String> current;

    private TestServer() {
    }

    public static synchronized KeycloakServer get() {
        return startWith(Map.of());
    }

    /**
     * Starts the shared server with the default environment changed by {@code overrides}, unless it runs already
     * (the benchmark's way to start one with its own settings).
     */
    public static synchronized KeycloakServer startWith(Map<String, String> overrides) {
        if (server == null) {
            try {
                KeycloakServer s = KeycloakServer.fromSystemProperties("shared");
                s.choosePorts();
                s.build(BUILD_ARGS);
                current = new LinkedHashMap<>(defaultEnv(s));
                current.putAll(overrides);
                Files.createDirectories(vaultDir());
                List<String> args = new java.util.ArrayList<>(START_ARGS);
                args.add("--vault-dir=" + vaultDir().toAbsolutePath());
                s.startFresh(current, args);
                server = s;
                admin = new Admin(s.baseUrl());
                Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "keycloak-stop"));
            } catch (Exception e) {
                throw new IllegalStateException("the test Keycloak did not start: " + e.getMessage(), e);
            }
        }
        return server;
    }

    public static Admin admin() {
        get();
        return admin;
    }

    public static String baseUrl() {
        return get().baseUrl();
    }

    /** The file vault's directory. */
    public static Path vaultDir() {
        return Path.of(KeycloakServer.prop("kc.work", "target")).resolve("kc-vault");
    }

    /**
     * Puts a secret into the file vault for {@code ${vault.<key>}} in a realm (file {@code <realm>_<key>}, underscores
     * doubled, as Keycloak's default key resolver names it). Notes the value as a secret.
     */
    public static void vaultSecret(String realm, String key, String value) throws IOException {
        Files.createDirectories(vaultDir());
        Files.writeString(vaultDir().resolve(realm.replace("_", "__") + "_" + key.replace("_", "__")),
                SecretLedger.note(value));
    }

    /**
     * The operator's MCP catalog file ({@code mcp-catalog-file}) of every test server; the server reads it again when it
     * changes, so a test writes its entries there without a restart.
     */
    public static Path mcpCatalogFile() {
        return Path.of(KeycloakServer.prop("kc.work", "target")).resolve("kc-mcp-catalog.json").toAbsolutePath();
    }

    /** The environment every test server starts with. */
    public static Map<String, String> defaultEnv(KeycloakServer s) {
        Map<String, String> env = new LinkedHashMap<>();
        String base = s.baseUrl();
        env.put("DEMO_PUBLIC_URL", base);
        env.put("UPSTREAM_CLIENT_SECRET", UPSTREAM_SECRET);
        env.put("CONNECT_TOKEN_ENCRYPTION_KEY", SecretLedger.note(ENCRYPTION_KEY));
        env.put("CONNECT_ALLOW_PRIVATE_HOSTS", "true");
        env.put("CONNECT_REFRESH_MARGIN_SECONDS", "30");
        env.put("CONNECT_REFRESH_WINDOW_SECONDS", "30");
        // Tests change rows straight in the database (an expiry, a lease) and read the effect at once, which a
        // node's row cache would hide; the cache has tests of its own (ServerOptionsIT, ClusterIT).
        env.put("CONNECT_ROW_CACHE_SECONDS", "0");
        env.put("CONNECT_MCP_CATALOG_FILE", mcpCatalogFile().toString());
        // Health probes run when a test asks (POST .../connect/health/probe), never on the timer in the middle of one.
        env.put("CONNECT_HEALTH_INTERVAL_SECONDS", "86400");
        // Webhooks out: look for due deliveries every second and retry a failed one a second later (5 s after the
        // second failure: the largest step, the most a receiver's Retry-After may defer a retry, WebhooksOutIT).
        env.put("CONNECT_WEBHOOK_OUT_INTERVAL_SECONDS", "1");
        env.put("CONNECT_WEBHOOK_OUT_BACKOFF_SECONDS", "1,5");
        env.put("CONNECT_KEYCLOAK_CLIENT_ID", UPSTREAM_CLIENT);
        env.put("CONNECT_KEYCLOAK_CLIENT_SECRET", SecretLedger.note(UPSTREAM_SECRET));
        env.put("CONNECT_KEYCLOAK_BASE_URL", base);
        env.put("CONNECT_KEYCLOAK_REALM", UPSTREAM_REALM);
        env.put("CONNECT_KEYCLOAK_SCOPES", "openid profile email");
        // A provider outside the catalog, described only by variables; HTTP Basic client authentication.
        String oidc = base + "/realms/" + UPSTREAM_REALM + "/protocol/openid-connect";
        env.put("CONNECT_ACME_DISPLAY_NAME", "Acme (custom)");
        env.put("CONNECT_ACME_AUTHORIZE_URL", oidc + "/auth");
        env.put("CONNECT_ACME_TOKEN_URL", oidc + "/token");
        env.put("CONNECT_ACME_USERINFO_URL", oidc + "/userinfo");
        env.put("CONNECT_ACME_REVOKE_URL", oidc + "/revoke");
        env.put("CONNECT_ACME_CLIENT_AUTH", "client_secret_basic");
        env.put("CONNECT_ACME_CLIENT_ID", UPSTREAM_CLIENT);
        env.put("CONNECT_ACME_CLIENT_SECRET", UPSTREAM_SECRET);
        env.put("CONNECT_ACME_SCOPES", "openid,profile");
        // A custom provider whose upstream realm is chosen per connection (&realm=… at /connect/authorize).
        String perRealm = base + "/realms/{realm}/protocol/openid-connect";
        env.put("CONNECT_PROVIDERS", "acme,tenanted");
        env.put("CONNECT_TENANTED_DISPLAY_NAME", "Tenanted (realm per connection)");
        env.put("CONNECT_TENANTED_AUTHORIZE_URL", perRealm + "/auth");
        env.put("CONNECT_TENANTED_TOKEN_URL", perRealm + "/token");
        env.put("CONNECT_TENANTED_USERINFO_URL", perRealm + "/userinfo");
        env.put("CONNECT_TENANTED_REVOKE_URL", perRealm + "/revoke");
        env.put("CONNECT_TENANTED_CONNECTION_PARAMS", "realm:segment");
        env.put("CONNECT_TENANTED_CLIENT_ID", UPSTREAM_CLIENT);
        env.put("CONNECT_TENANTED_CLIENT_SECRET", UPSTREAM_SECRET);
        env.put("CONNECT_TENANTED_SCOPES", "openid");
        return env;
    }

    /** Restarts the shared server with the default environment changed by {@code overrides} (null values remove). */
    public static synchronized void restartWith(Map<String, String> overrides) throws Exception {
        get();
        Map<String, String> env = new LinkedHashMap<>(defaultEnv(server));
        overrides.forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        current = env;
        server.restart(env);
        admin = new Admin(server.baseUrl());
    }

    public static synchronized void restoreDefaults() throws Exception {
        if (server != null && !current.equals(defaultEnv(server))) {
            restartWith(Map.of());
        }
    }
}
