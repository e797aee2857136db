package io.kcconnections.connect.net;

import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MCP fetches end at their deadline: a server that drip-feeds its answer (one byte every 500 ms for 20 s, so no read
 * timeout ever fires) is cut off after {@link GuardedFetch#HOP_MILLIS}, and slow redirects after the fetch's total.
 */
class GuardedFetchDeadlineTest {

    private static final HostPolicy LAB = new HostPolicy(true);

    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/drip", DripFeed.of(40, 500));
        server.createContext("/slow-redirect/", ex -> {
            int n = Integer.parseInt(ex.getRequestURI().getPath().substring("/slow-redirect/".length()));
            try {
                Thread.sleep(1_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.getResponseHeaders().add("Location", "/slow-redirect/" + (n + 1));
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void aDripFeedingServerIsCutOffAtTheRequestDeadline() {
        long started = System.nanoTime();
        FetchException e = assertThrows(FetchException.class,
                () -> new GuardedFetch(LAB, 65536).get(url("/drip"), "MCP server"));
        long took = (System.nanoTime() - started) / 1_000_000;
        assertEquals("mcp_unreachable", e.code());
        assertEquals(502, e.status());
        assertTrue(e.getMessage().contains("no answer in time"), e.getMessage());
        assertTrue(took < GuardedFetch.HOP_MILLIS + 2_000, "cut off at the deadline, not after 20 s: " + took + " ms");
    }

    @Test
    void slowRedirectsEndAtTheFetchDeadline() {
        long started = System.nanoTime();
        FetchException e = assertThrows(FetchException.class,
                () -> new GuardedFetch(LAB, 65536, 2_000, 3_000).get(url("/slow-redirect/0"), "MCP server"));
        long took = (System.nanoTime() - started) / 1_000_000;
        assertEquals("mcp_unreachable", e.code(), e.getMessage());
        assertTrue(took < 3_000 + 2_000, "each hop is within 2 s, but the fetch ends at 3 s, not after 4 hops: " + took + " ms");
    }
}
