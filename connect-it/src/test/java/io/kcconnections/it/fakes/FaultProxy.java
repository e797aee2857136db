package io.kcconnections.it.fakes;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Sits between the extension and the upstream token endpoint and misbehaves on command: the provider faults of a
 * real deployment (5xx, silence, garbage, rate limiting), reproduced on loopback. In PASS mode it forwards.
 */
public final class FaultProxy implements AutoCloseable {

    public enum Mode { PASS, ERROR_500, TIMEOUT, GARBAGE, RATE_LIMIT, HOLD }

    private final HttpServer server;
    private final String target;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    public volatile Mode mode = Mode.PASS;
    public final AtomicInteger hits = new AtomicInteger();
    /** Requests waiting in HOLD mode, until {@link #dropHeld()} or {@link #forwardHeld()}. */
    public final AtomicInteger held = new AtomicInteger();
    private final java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean dropOnRelease;

    public FaultProxy(String target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/token", this::handle);
        server.start();
    }

    /** Answers every held request with 500 without forwarding it, and stops holding. */
    public void dropHeld() {
        dropOnRelease = true;
        mode = Mode.ERROR_500;
        hold.countDown();
    }

    /** Forwards every held request, and passes everything from now on. */
    public void forwardHeld() {
        dropOnRelease = false;
        mode = Mode.PASS;
        hold.countDown();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    private void handle(HttpExchange ex) throws IOException {
        hits.incrementAndGet();
        byte[] body = ex.getRequestBody().readAllBytes();
        try {
            switch (mode) {
                case ERROR_500 -> reply(ex, 500, "text/plain", "internal error");
                case TIMEOUT -> {
                    sleep(8000);
                    reply(ex, 504, "text/plain", "too late");
                }
                case GARBAGE -> reply(ex, 200, "text/html", "<html><body>Welcome to nginx!</body></html>");
                case HOLD -> {
                    held.incrementAndGet();
                    hold.await();
                    if (dropOnRelease) {
                        reply(ex, 500, "text/plain", "dropped");
                    } else {
                        forward(ex, body);
                    }
                }
                case RATE_LIMIT -> {
                    ex.getResponseHeaders().add("Retry-After", "120");
                    reply(ex, 429, "application/json", "{\"error\":\"rate_limited\"}");
                }
                case PASS -> forward(ex, body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(ex, 502, "text/plain", "proxy interrupted");
        }
    }

    private void forward(HttpExchange ex, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : new String[]{"Content-Type", "Authorization", "Accept"}) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) {
                b.header(h, v);
            }
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        reply(ex, r.statusCode(), r.headers().firstValue("Content-Type").orElse("application/json"), r.body());
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static void sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
