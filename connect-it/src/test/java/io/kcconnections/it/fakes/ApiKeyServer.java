package io.kcconnections.it.fakes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * An API that takes one credential: every request must carry {@code header: expected} (an API key, a Basic or Bearer
 * authorization), else 401. {@code failing} makes it answer 503 to everyone (an outage). It records the values of the
 * header it saw, so a test can tell which key a check sent.
 */
public final class ApiKeyServer implements AutoCloseable {

    private final HttpServer server;
    public volatile String header;
    public volatile String expected;
    public volatile boolean failing;
    public final List<String> seen = new CopyOnWriteArrayList<>();
    /** The paths asked for, in order (a test gives each credential a path of its own). */
    public final List<String> paths = new CopyOnWriteArrayList<>();

    public ApiKeyServer(String header, String expected) throws IOException {
        this.header = header;
        this.expected = expected;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String got = ex.getRequestHeaders().getFirst(this.header);
            seen.add(got == null ? "" : got);
            paths.add(ex.getRequestURI().getPath());
            int status = failing ? 503 : expected.equals(got) ? 200 : 401;
            byte[] body = (status == 200 ? "{\"ok\":true}" : "{\"ok\":false}").getBytes();
            if ("HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(status, -1);
            } else {
                ex.sendResponseHeaders(status, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
