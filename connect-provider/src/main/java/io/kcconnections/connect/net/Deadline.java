package io.kcconnections.connect.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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

    private static final ScheduledExecutorService TIMER = timer();

    /**
     * One thread that aborts requests past their deadline. A request that finished in time cancels its abort, and the
     * cancelled task leaves the queue at once: else it, and the request it holds (a refresh token in a form body),
     * would stay queued for the whole deadline, thousands of them during a refresh pass.
     */
    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "kc-connect-deadline");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /** Aborts waiting in the timer's queue (tests: cancelled ones must not stay). */
    static int queued() {
        return ((ScheduledThreadPoolExecutor) TIMER).getQueue().size();
    }

    /** What an answer over the size limit fails with; the rest of it is never read (the connection is closed, not drained). */
    public static final class TooLarge extends IOException {
        TooLarge(long max) {
            super("response larger than " + max + " bytes");
        }
    }

    /** A whole answer: status, body (at most the size limit) and headers. */
    public record Answer(int status, String body, Header[] headers) {

        /** The first value of a header, or null. */
        public String header(String name) {
            for (Header h : headers) {
                if (h.getName().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
            return null;
        }

        /** The {@code Retry-After} header, or null. */
        public String retryAfter() {
            return header("Retry-After");
        }
    }

    private Deadline() {
    }

    /**
     * @throws SocketTimeoutException when the deadline passed before the whole answer was read
     * @throws TooLarge               when its answer is larger than {@code maxBytes} (refused unread when its declared
     *                                length says so, else after {@code maxBytes + 1} bytes)
     * @throws IOException            when the server could not be reached
     */
    public static Answer execute(CloseableHttpClient client, HttpUriRequest request, long maxBytes, long deadlineMillis)
            throws IOException {
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> abort = TIMER.schedule(() -> {
            expired.set(true);
            request.abort();
        }, deadlineMillis, TimeUnit.MILLISECONDS);
        try (CloseableHttpResponse resp = client.execute(request)) {
            String body = body(request, resp.getEntity(), maxBytes);
            return new Answer(resp.getStatusLine().getStatusCode(), body, resp.getAllHeaders());
        } catch (IOException | RuntimeException e) {
            if (expired.get()) {
                throw new SocketTimeoutException("no complete answer within " + deadlineMillis + " ms");
            }
            throw e;
        } finally {
            abort.cancel(false);
        }
    }

    /** The body as UTF-8 text, within the limit; over it, the request is aborted so that nothing more is read. */
    private static String body(HttpUriRequest request, HttpEntity entity, long maxBytes) throws IOException {
        if (entity == null) {
            return "";
        }
        try {
            if (entity.getContentLength() > maxBytes) {
                throw new TooLarge(maxBytes);
            }
            InputStream in = entity.getContent();
            String body = readAtMost(in, maxBytes);
            in.close();
            return body;
        } catch (TooLarge e) {
            // Closing the stream (or the response) would read the rest of the answer to keep the connection.
            request.abort();
            throw e;
        }
    }

    /** The stream as UTF-8 text, refused when longer than {@code max} bytes: at most {@code max + 1} are read. */
    static String readAtMost(InputStream in, long max) throws IOException {
        byte[] b = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
        if (b.length > max) {
            throw new TooLarge(max);
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
