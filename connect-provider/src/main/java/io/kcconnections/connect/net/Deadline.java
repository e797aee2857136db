package io.kcconnections.connect.net;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.impl.client.CloseableHttpClient;

/**
 * One outbound request under a total deadline. Connect and read timeouts bound each wait, not the whole: a server that
 * sends a byte every few seconds would hold the calling thread (a refresher thread, a token read, the lease of a
 * connection whose rotated refresh token is on its way) for as long as it likes. Here the request is aborted when the
 * deadline passes, whatever it is doing, and the caller gets a timeout.
 */
public final class Deadline {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kc-connect-deadline");
        t.setDaemon(true);
        return t;
    });

    /** A whole answer: status, body (at most the size limit), and its {@code Retry-After} header if any. */
    public record Answer(int status, String body, String retryAfter) {
    }

    private Deadline() {
    }

    /**
     * @throws SocketTimeoutException when the deadline passed before the whole answer was read
     * @throws IOException            when the server could not be reached or its answer is larger than {@code maxBytes}
     */
    public static Answer execute(CloseableHttpClient client, HttpUriRequest request, long maxBytes, long deadlineMillis)
            throws IOException {
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> abort = TIMER.schedule(() -> {
            expired.set(true);
            request.abort();
        }, deadlineMillis, TimeUnit.MILLISECONDS);
        try (CloseableHttpResponse resp = client.execute(request)) {
            HttpEntity entity = resp.getEntity();
            String body = entity == null ? "" : OutboundHttp.readAtMost(entity.getContent(), maxBytes);
            Header ra = resp.getFirstHeader("Retry-After");
            return new Answer(resp.getStatusLine().getStatusCode(), body, ra == null ? null : ra.getValue());
        } catch (IOException | RuntimeException e) {
            if (expired.get()) {
                throw new SocketTimeoutException("no complete answer within " + deadlineMillis + " ms");
            }
            throw e;
        } finally {
            abort.cancel(false);
        }
    }
}
