package io.kcconnections.connect.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kcconnections.connect.config.ConnectSettings;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.connections.httpclient.HttpClientProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Provider answers are capped by {@code max-response-bytes} (and by Keycloak's limit when smaller); a larger answer is
 * refused, and nothing past the cap is read: the connection is closed rather than drained.
 */
class ResponseSizeCapTest {

    private static final long HUGE = 64L << 20;

    private HttpServer server;
    private CloseableHttpClient client;
    private final AtomicLong written = new AtomicLong();
    private final CountDownLatch hugeDone = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/sized", ex -> answer(ex, size(ex), true));
        server.createContext("/chunked", ex -> answer(ex, size(ex), false));
        server.createContext("/huge", ex -> {
            try {
                answer(ex, HUGE, !ex.getRequestURI().getPath().endsWith("/chunked"));
            } finally {
                hugeDone.countDown();
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        client = HttpClients.createDefault();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.stop(0);
    }

    private static long size(HttpExchange ex) {
        return Long.parseLong(ex.getRequestURI().getQuery().substring(2));
    }

    /** Sends {@code n} bytes, with a Content-Length or chunked, counting what the client took. */
    private void answer(HttpExchange ex, long n, boolean withLength) {
        byte[] chunk = new byte[65536];
        try (OutputStream out = ex.getResponseBody()) {
            ex.sendResponseHeaders(200, withLength ? n : 0);
            for (long sent = 0; sent < n; sent += chunk.length) {
                int len = (int) Math.min(chunk.length, n - sent);
                out.write(chunk, 0, len);
                written.addAndGet(len);
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private OutboundHttp http(long keycloakMax, long ours) {
        return new OutboundHttp(StubSession.withHttpClient(client, keycloakMax, new AtomicInteger()), new HostPolicy(true),
                new OutboundHttp.Options(5_000, ours, false));
    }

    private OutboundRequest get(String pathAndQuery) {
        return new OutboundRequest("GET", "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery, false,
                Map.of(), Map.of());
    }

    @Test
    void anAnswerLargerThanTheOptionIsRefused() throws Exception {
        OutboundHttp http = http(HttpClientProvider.DEFAULT_MAX_CONSUMED_RESPONSE_SIZE, 4096);
        assertEquals(4096, http.send(get("/sized?n=4096")).body().length());
        assertEquals(4096, http.send(get("/chunked?n=4096")).body().length());
        IOException e = assertThrows(Deadline.TooLarge.class, () -> http.send(get("/sized?n=4097")));
        assertEquals("response larger than 4096 bytes", e.getMessage());
        assertThrows(Deadline.TooLarge.class, () -> http.send(get("/chunked?n=4097")));
    }

    @Test
    void keycloaksLimitWinsWhenSmaller() {
        IOException e = assertThrows(Deadline.TooLarge.class, () -> http(2048, 4096).send(get("/sized?n=3000")));
        assertEquals("response larger than 2048 bytes", e.getMessage());
    }

    @Test
    void nothingPastTheCapIsReadWithAContentLength() throws Exception {
        assertThrows(Deadline.TooLarge.class, () -> http(HttpClientProvider.DEFAULT_MAX_CONSUMED_RESPONSE_SIZE, 4096)
                .send(get("/huge")));
        assertNotDrained();
    }

    @Test
    void nothingPastTheCapIsReadWhenChunked() throws Exception {
        assertThrows(Deadline.TooLarge.class, () -> http(HttpClientProvider.DEFAULT_MAX_CONSUMED_RESPONSE_SIZE, 4096)
                .send(get("/huge/chunked")));
        assertNotDrained();
    }

    /** The server's writes fail once the client closed: it took at most what the socket buffers hold, not 64 MB. */
    private void assertNotDrained() throws InterruptedException {
        assertTrue(hugeDone.await(10, TimeUnit.SECONDS), "the server's writes ended");
        assertTrue(written.get() < HUGE / 4, "the client closed the connection instead of reading on: " + written.get());
    }

    @Test
    void theStreamIsReadAtMostOneByteBeyondTheLimit() {
        AtomicLong read = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                read.incrementAndGet();
                return 'x';
            }
        };
        assertThrows(Deadline.TooLarge.class, () -> Deadline.readAtMost(endless, 4096));
        assertEquals(4097, read.get());
    }

    @Test
    void theOptionDefaultsToOneMebibyteWithinItsRange() {
        assertEquals(1_048_576, OutboundHttp.Options.of(ConnectSettings.from(n -> null, Map.of())).maxResponseBytes());
        assertEquals(8192, OutboundHttp.Options.of(ConnectSettings.from(n -> null,
                Map.of("CONNECT_MAX_RESPONSE_BYTES", "8192"))).maxResponseBytes());
        ConnectSettings tooSmall = ConnectSettings.from(n -> "max-response-bytes".equals(n) ? "100" : null, Map.of());
        assertEquals(1_048_576, tooSmall.maxResponseBytes());
        assertEquals("CONNECT_MAX_RESPONSE_BYTES=100 is outside 4096..10485760; using 1048576", tooSmall.problems().get(0));
        assertEquals(1_048_576, ConnectSettings.from(n -> null, Map.of("CONNECT_MAX_RESPONSE_BYTES", "20000000"))
                .maxResponseBytes());
    }
}
