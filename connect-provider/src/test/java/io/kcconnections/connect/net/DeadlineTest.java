package io.kcconnections.connect.net;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A provider that drip-feeds its answer is cut off at the deadline; a prompt one is read whole. */
class DeadlineTest {

    private HttpServer server;
    private CloseableHttpClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/drip", DripFeed.of(100, 100));
        server.createContext("/prompt", ex -> {
            byte[] b = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Retry-After", "7");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        client = HttpClients.createDefault();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void aDripFeedingAnswerEndsAtTheDeadline() {
        long started = System.nanoTime();
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                () -> Deadline.execute(client, new HttpGet(url("/drip")), 1_000_000, 700));
        long took = (System.nanoTime() - started) / 1_000_000;
        assertTrue(took < 3_000, "cut off near the deadline, not after the whole answer (10 s): " + took + " ms");
        assertTrue(e.getMessage().contains("700 ms"), e.getMessage());
    }

    @Test
    void aPromptAnswerIsReadWhole() throws Exception {
        Deadline.Answer a = Deadline.execute(client, new HttpGet(url("/prompt")), 1_000, 5_000);
        assertEquals(200, a.status());
        assertEquals("{\"ok\":true}", a.body());
        assertEquals("7", a.retryAfter());
    }

    @Test
    void answeredRequestsLeaveNoAbortBehind() throws Exception {
        int before = Deadline.queued();
        for (int i = 0; i < 200; i++) {
            assertEquals(200, Deadline.execute(client, new HttpGet(url("/prompt")), 1_000, 60_000).status());
        }
        // Each held its request (and any token in its body) for the whole minute before: 200 queued tasks.
        assertTrue(Deadline.queued() <= before + 1, "aborts still queued: " + Deadline.queued());
    }
}
