package io.kcconnections.connect.net;

import java.io.OutputStream;

import com.sun.net.httpserver.HttpHandler;

/** A test server's answer that drip-feeds its body: 200, then one byte every {@code pauseMillis}. */
final class DripFeed {

    private DripFeed() {
    }

    static HttpHandler of(int bytes, long pauseMillis) {
        return ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < bytes; i++) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(pauseMillis);
                }
            } catch (Exception e) {
                // the client went away
            }
        };
    }
}
