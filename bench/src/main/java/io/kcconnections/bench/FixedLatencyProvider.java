package io.kcconnections.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A token endpoint that answers every refresh after a fixed delay, as a remote provider would: the refresher's
 * throughput against it is bounded by latency and concurrency, which makes the latency-bound maximum computable.
 * It refuses anything but a form-encoded {@code grant_type=refresh_token} request carrying a refresh token.
 */
final class FixedLatencyProvider implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bench-provider");
        t.setDaemon(true);
        return t;
    });
    private volatile long latencyMillis;
    final AtomicLong refreshes = new AtomicLong();
    final AtomicLong refused = new AtomicLong();

    static {
        // The JDK server writes an answer's headers and body in two segments; with Nagle's algorithm on its socket the
        // body waits for the client's delayed ACK (about 40 ms on Linux), which would add that to every refresh.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    FixedLatencyProvider(long latencyMillis) throws IOException {
        this.latencyMillis = latencyMillis;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(pool);
        server.createContext("/token", this::token);
        server.start();
    }

    /** Changes the delay of the answers from now on. */
    void latency(long millis) {
        this.latencyMillis = millis;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void token(HttpExchange ex) throws IOException {
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            Thread.sleep(latencyMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean ok = "POST".equals(ex.getRequestMethod()) && body.contains("grant_type=refresh_token")
                && body.contains("refresh_token=rt-");
        String json;
        int status;
        if (ok) {
            refreshes.incrementAndGet();
            status = 200;
            json = "{\"access_token\":\"at-" + UUID.randomUUID() + "\",\"refresh_token\":\"rt-" + UUID.randomUUID()
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"read\"}";
        } else {
            refused.incrementAndGet();
            status = 400;
            json = "{\"error\":\"invalid_request\"}";
        }
        byte[] out = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
