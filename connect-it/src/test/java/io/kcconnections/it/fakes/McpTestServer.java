package io.kcconnections.it.fakes;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.TestServer;

/**
 * A small MCP-style protected resource on loopback: answers 401 with {@code WWW-Authenticate: Bearer
 * resource_metadata="…"} without a token, serves RFC 9728 metadata, and accepts a bearer token only when the
 * upstream realm's userinfo accepts it. Hostile variants are registered per path by the tests.
 */
public final class McpTestServer implements AutoCloseable {

    /** One canned answer. */
    public record Answer(int status, String body, Map<String, String> headers) {
        public static Answer json(String body) {
            return new Answer(200, body, Map.of("Content-Type", "application/json"));
        }
    }

    private final HttpServer server;
    private final Map<String, Answer> routes = new ConcurrentHashMap<>();
    public final Map<String, Integer> hits = new ConcurrentHashMap<>();

    public McpTestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void route(String path, Answer a) {
        routes.put(path, a);
    }

    /** An MCP endpoint at {@code path}: 401 naming {@code metadataPath}, or 200 for a token the upstream accepts. */
    public void mcpEndpoint(String path, String metadataPath) {
        routes.put(path, new Answer(-1, metadataPath, Map.of()));
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        hits.merge(path, 1, Integer::sum);
        Answer a = routes.get(path);
        try (ex) {
            if (a == null) {
                send(ex, 404, "{\"error\":\"not_found\"}", Map.of("Content-Type", "application/json"));
                return;
            }
            if (a.status() == -1) {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (auth != null && auth.startsWith("Bearer ")) {
                    Http.Resp ui = Http.get(TestServer.baseUrl() + "/realms/upstream/protocol/openid-connect/userinfo",
                            auth.substring(7));
                    if (ui.status() == 200) {
                        send(ex, 200, "{\"jsonrpc\":\"2.0\",\"result\":{\"user\":\""
                                + ui.json().path("preferred_username").asText() + "\"}}", Map.of("Content-Type", "application/json"));
                        return;
                    }
                }
                send(ex, 401, "", Map.of("WWW-Authenticate", "Bearer resource_metadata=\"" + base() + a.body() + "\""));
                return;
            }
            send(ex, a.status(), a.body(), a.headers());
        }
    }

    private static void send(HttpExchange ex, int status, String body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
