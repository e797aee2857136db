package io.kcconnections.deploy;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static io.kcconnections.deploy.RepoFiles.at;
import static io.kcconnections.deploy.RepoFiles.list;
import static io.kcconnections.deploy.RepoFiles.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/compose.yaml and docker/nginx.conf, as structure (no Docker engine needed; `.ci/run` also runs
 * `docker compose config` where the Compose plugin exists): PostgreSQL, two Keycloak nodes on the same database and
 * cache stack, the proxy in front with the one hostname, secrets from files, health checks.
 */
class ComposeTest {

    private static final String FILE = "docker/compose.yaml";
    private static final List<String> NODES = List.of("keycloak-1", "keycloak-2");

    private static Map<String, Object> compose() {
        return RepoFiles.yamlMap(FILE);
    }

    private static Map<String, Object> service(String name) {
        return map(map(compose().get("services"), "services").get(name), "service " + name);
    }

    private static Map<String, Object> env(String service) {
        return map(service(service).get("environment"), service + ".environment");
    }

    @Test
    void servicesAreTheDatabaseTwoNodesAndTheProxy() {
        assertEquals(List.of("postgres", "keycloak-1", "keycloak-2", "proxy"),
                List.copyOf(map(compose().get("services"), "services").keySet()));
        assertTrue(String.valueOf(service("postgres").get("image")).startsWith("postgres:"));
        assertTrue(String.valueOf(service("proxy").get("image")).startsWith("nginx:"));
        for (String n : NODES) {
            assertEquals("kc-connections:dev", service(n).get("image"), n);
            assertEquals("docker/Dockerfile", at(service(n), "build", "dockerfile"), n);
            assertEquals("..", at(service(n), "build", "context"), n);
            assertTrue(list(service(n).get("command"), n + ".command").containsAll(List.of("start", "--optimized")), n);
        }
    }

    @Test
    void bothNodesShareDatabaseCacheAndHostname() {
        Map<String, Object> a = env("keycloak-1");
        Map<String, Object> b = env("keycloak-2");
        assertEquals(a, b, "the nodes differ only outside their environment");
        assertEquals("jdbc:postgresql://postgres:5432/" + env("postgres").get("POSTGRES_DB"), a.get("KC_DB_URL"));
        assertEquals(env("postgres").get("POSTGRES_USER"), a.get("KC_DB_USERNAME"));
        assertEquals("jdbc-ping", a.get("KC_CACHE_STACK"), "the nodes find each other through the database");
        assertFalse(a.containsKey("KC_CACHE") && !"ispn".equals(a.get("KC_CACHE")), "clustered caches");
        assertEquals("xforwarded", a.get("KC_PROXY_HEADERS"));
        assertEquals("9000", a.get("KC_HTTP_MANAGEMENT_PORT"));
        assertNotEquals(service("keycloak-1").get("hostname"), service("keycloak-2").get("hostname"));
    }

    private static void assertNotEquals(Object a, Object b) {
        assertFalse(a == null ? b == null : a.equals(b), "distinct: " + a);
    }

    @Test
    void secretsComeFromFilesAndNoValueIsInline() {
        Map<String, Object> secrets = map(compose().get("secrets"), "secrets");
        for (String s : List.of("db-password", "admin-password", "connect-token-key")) {
            String file = String.valueOf(at(secrets, s, "file"));
            assertTrue(file.startsWith("./secrets/"), s + " from docker/secrets/: " + file);
        }
        String ignored = RepoFiles.text("docker/secrets/.gitignore");
        assertTrue(ignored.lines().anyMatch("*"::equals), "docker/secrets/ is git-ignored");
        for (String n : NODES) {
            Map<String, Object> e = env(n);
            assertEquals("/run/secrets/connect-token-key", e.get("CONNECT_TOKEN_ENCRYPTION_KEY_FILE"), n);
            assertEquals("/run/secrets/db-password", e.get("KC_DB_PASSWORD_FILE"), n);
            assertEquals("/run/secrets/admin-password", e.get("KC_BOOTSTRAP_ADMIN_PASSWORD_FILE"), n);
            assertFalse(e.containsKey("CONNECT_TOKEN_ENCRYPTION_KEY"), "no inline key");
            assertFalse(e.containsKey("KC_DB_PASSWORD"), "no inline password");
            assertFalse(e.containsKey("KC_BOOTSTRAP_ADMIN_PASSWORD"), "no inline admin password");
            assertTrue(list(service(n).get("secrets"), n + ".secrets").containsAll(secrets.keySet()), n);
        }
        assertEquals("/run/secrets/db-password", env("postgres").get("POSTGRES_PASSWORD_FILE"));
        assertFalse(env("postgres").containsKey("POSTGRES_PASSWORD"));
        assertTrue(Files.isExecutable(RepoFiles.path("docker/init-secrets.sh")), "docker/init-secrets.sh makes them");
    }

    @Test
    void everyServiceHasAHealthcheckAndStartsInOrder() {
        for (String s : List.of("postgres", "keycloak-1", "keycloak-2", "proxy")) {
            assertNotNull(at(service(s), "healthcheck", "test"), s + " has a healthcheck");
        }
        String kcCheck = String.join(" ", list(at(service("keycloak-1"), "healthcheck", "test"), "test").stream()
                .map(String::valueOf).toList());
        assertTrue(kcCheck.contains("/dev/tcp/127.0.0.1/9000") && kcCheck.contains("/health/ready"),
                "readiness on the management port: " + kcCheck);
        assertEquals("service_healthy", at(service("keycloak-1"), "depends_on", "postgres", "condition"));
        assertEquals("service_healthy", at(service("keycloak-2"), "depends_on", "keycloak-1", "condition"),
                "the second node starts after the first has migrated and imported");
    }

    @Test
    void theFirstNodeImportsTheDemoRealms() {
        assertTrue(list(service("keycloak-1").get("command"), "command").contains("--import-realm"));
        List<Object> volumes = list(service("keycloak-1").get("volumes"), "volumes");
        for (String realm : List.of("demo-realm.json", "upstream-realm.json")) {
            assertTrue(volumes.contains("../realm-config/" + realm + ":/opt/keycloak/data/import/" + realm + ":ro"), realm);
            assertTrue(Files.exists(RepoFiles.path("realm-config/" + realm)), realm);
        }
        assertFalse(list(service("keycloak-2").get("command"), "command").contains("--import-realm"));
    }

    @Test
    void theProxyIsTheOneEntryAndMatchesTheHostname() {
        String hostname = String.valueOf(env("keycloak-1").get("KC_HOSTNAME"));
        Matcher h = Pattern.compile("https?://([^:/]+):(\\d+)").matcher(hostname);
        assertTrue(h.matches(), "KC_HOSTNAME with a port: " + hostname);
        String port = h.group(2);
        assertEquals(List.of(port + ":8080"), service("proxy").get("ports"), "the proxy publishes the hostname's port");
        for (String n : NODES) {
            for (Object mapping : list(service(n).get("ports"), n + ".ports")) {
                assertTrue(String.valueOf(mapping).matches("127\\.0\\.0\\.1:\\d+:9000"),
                        n + " publishes only its management port, on loopback: " + mapping);
            }
        }
        assertTrue(list(service("proxy").get("volumes"), "volumes").contains("./nginx.conf:/etc/nginx/nginx.conf:ro"));

        String nginx = RepoFiles.text("docker/nginx.conf");
        assertTrue(nginx.contains("listen 8080;"), "nginx listens where the proxy's port maps");
        assertTrue(nginx.contains("server_name " + h.group(1) + ";"), "server_name is the hostname's host");
        for (String n : NODES) {
            assertTrue(nginx.contains("server " + n + ":" + env(n).get("KC_HTTP_PORT")), n + " is an upstream");
        }
        for (String header : List.of("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port")) {
            assertTrue(nginx.contains("proxy_set_header " + header + " "), header);
        }
        assertFalse(nginx.contains(":9000"), "the management port is never proxied");
    }
}
