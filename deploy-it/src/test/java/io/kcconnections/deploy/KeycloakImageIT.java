package io.kcconnections.deploy;

import java.io.File;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dasniko.testcontainers.keycloak.KeycloakContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.RealmRepresentation;
import org.testcontainers.containers.Network;
import org.testcontainers.postgresql.PostgreSQLContainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keycloak {@code keycloak.dist.version} in a container with our three jars and PostgreSQL in another: the demo realms
 * made through the admin client, the {@code keycloak} catalog provider enabled for the demo realm pointing at the
 * upstream realm, and the connect flow's first step: {@code /connect/authorize} answers a start URL on this server.
 * Skipped, with the reason in the build output, where there is no Docker engine ({@link RequiresDocker}).
 */
@ExtendWith(RequiresDocker.class)
class KeycloakImageIT {

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[A-Z_]+:([^}]*)}");
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private static Network network;
    private static PostgreSQLContainer postgres;
    private static KeycloakContainer keycloak;

    @BeforeAll
    static void start() {
        network = Network.newNetwork();
        postgres = new PostgreSQLContainer("postgres:17").withNetwork(network).withNetworkAliases("postgres")
                .withDatabaseName("keycloak").withUsername("keycloak").withPassword("keycloak-it");
        postgres.start();
        Path providers = Path.of(System.getProperty("kc.providers", "target/kc-providers"));
        List<File> jars = List.of("kc-connections-spi.jar", "kc-connections-provider.jar", "kc-connections-themes.jar")
                .stream().map(j -> providers.resolve(j).toFile()).toList();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        keycloak = new KeycloakContainer("quay.io/keycloak/keycloak:" + System.getProperty("keycloak.dist.version", "26.7.3"))
                .withProviderLibsFrom(jars)
                .withNetwork(network)
                .withEnv("KC_DB", "postgres")
                .withEnv("KC_DB_URL", "jdbc:postgresql://postgres:5432/keycloak")
                .withEnv("KC_DB_USERNAME", "keycloak")
                .withEnv("KC_DB_PASSWORD", "keycloak-it")
                .withEnv("CONNECT_TOKEN_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(key))
                // The provider is the upstream realm of this same server, reached from inside the container.
                .withEnv("CONNECT_ALLOW_PRIVATE_HOSTS", "true");
        keycloak.start();
    }

    @AfterAll
    static void stop() {
        if (keycloak != null) {
            keycloak.stop();
        }
        if (postgres != null) {
            postgres.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    /** A realm file of realm-config/, its ${NAME:default} placeholders at their defaults. */
    private static RealmRepresentation realm(String file) throws IOException {
        Matcher m = PLACEHOLDER.matcher(RepoFiles.text("realm-config/" + file));
        String text = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
        return JSON.readValue(text, RealmRepresentation.class);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void authorizeAnswersAStartUrlOnThisServer() throws Exception {
        Keycloak admin = keycloak.getKeycloakAdminClient();
        admin.realms().create(realm("upstream-realm.json"));
        admin.realms().create(realm("demo-realm.json"));
        assertEquals(List.of("demo", "master", "upstream"),
                admin.realms().findAll().stream().map(RealmRepresentation::getRealm).sorted().toList());

        ConnectAdminApi connect = admin.proxy(ConnectAdminApi.class, URI.create(keycloak.getAuthServerUrl()));
        try (Response put = connect.putProvider("demo", "keycloak", Map.of(
                "clientId", "connect-client", "clientSecret", "upstream-connect-secret",
                "values", Map.of("base_url", "http://localhost:8080", "realm", "upstream")))) {
            assertEquals(201, put.getStatus(), () -> "PUT providers/keycloak: " + put.readEntity(String.class));
        }

        String base = keycloak.getAuthServerUrl().replaceAll("/$", "");
        HttpResponse<String> token = send(HttpRequest.newBuilder(URI.create(base + "/realms/demo/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=demo-app"
                        + "&client_secret=demo-app-secret&username=alice&password=alice")));
        assertEquals(200, token.statusCode(), token::body);
        String alice = JSON.readTree(token.body()).get("access_token").asText();

        HttpResponse<String> authorize = send(HttpRequest.newBuilder(URI.create(base + "/realms/demo/connect/authorize?provider=keycloak"
                + "&connection_id=it-upstream&redirect_uri=" + enc("http://localhost:3000/connected")))
                .header("Authorization", "Bearer " + alice).GET());
        assertEquals(200, authorize.statusCode(), authorize::body);
        JsonNode started = JSON.readTree(authorize.body());
        String startUrl = started.get("authorize_url").asText();
        assertTrue(startUrl.startsWith(base + "/realms/demo/connect/start/"), startUrl);
        assertEquals("it-upstream", started.get("connection_id").asText());
        assertEquals("keycloak", started.get("provider").asText());

        // Opened in a browser without a Keycloak session, the start URL shows the demo realm's login, not the provider.
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> start = browser.send(HttpRequest.newBuilder(URI.create(startUrl)).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, start.statusCode(), () -> "start page: HTTP " + start.statusCode() + " at " + start.uri());
        assertTrue(start.body().contains("kc-form-login"), "Keycloak's login form");
        assertTrue(start.body().contains("/realms/demo/login-actions/"), "the demo realm's login, not the provider's");
    }
}
