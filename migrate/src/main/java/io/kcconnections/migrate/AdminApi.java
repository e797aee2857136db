package io.kcconnections.migrate;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The admin API's import route, {@code POST /admin/realms/{realm}/connect/import}, with an admin's token. */
final class AdminApi {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String server;
    private final String realm;
    private final String token;

    private AdminApi(String server, String realm, String token) {
        this.server = server.replaceAll("/+$", "");
        this.realm = realm;
        this.token = token;
    }

    /** Signs in at {@code authRealm} with a password (username given) or the client's credentials (secret given). */
    static AdminApi signIn(String server, String realm, String authRealm, String clientId, String clientSecret,
                           String username, String password) throws IOException, InterruptedException {
        Map<String, String> form = username != null
                ? Map.of("grant_type", "password", "client_id", clientId, "username", username, "password", password)
                : Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", clientSecret);
        if (username != null && clientSecret != null) {
            form = new java.util.HashMap<>(form);
            form.put("client_secret", clientSecret);
        }
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.replaceAll("/+$", "") + "/realms/"
                        + enc(authRealm) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("sign-in at realm " + authRealm + " failed: HTTP " + r.statusCode());
        }
        return new AdminApi(server, realm, JSON.readTree(r.body()).get("access_token").asText());
    }

    /** Imports one batch; answers the server's report (counts and per-row results, never a token). */
    JsonNode importBatch(List<Map<String, Object>> connections, boolean dryRun) throws IOException, InterruptedException {
        String url = server + "/admin/realms/" + enc(realm) + "/connect/import" + (dryRun ? "?dry_run=true" : "");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("connections", connections))))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("import refused: HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
