package io.kcconnections.connect.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.apache.http.HttpEntity;
import org.apache.http.NameValuePair;
import org.apache.http.client.entity.UrlEncodedFormEntity;
import org.apache.http.client.methods.HttpDelete;
import org.apache.http.client.methods.HttpEntityEnclosingRequestBase;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.message.BasicNameValuePair;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.util.JsonSerialization;

/**
 * Executes an {@link OutboundRequest} over Keycloak's HTTP client (its proxy, trust, timeout and response-size
 * settings) under a total deadline ({@link Deadline}). It checks no address and logs nothing: callers guard the URL
 * first and map failures themselves.
 */
public final class OutboundHttp {

    /**
     * An answer.
     *
     * @param retryAfterSeconds the {@code Retry-After} header in seconds (a date becomes the seconds until it), or null
     */
    public record Reply(int status, String body, Long retryAfterSeconds) {
    }

    /** The total time one request may take, connecting, sending and reading the whole answer, unless given. */
    public static final long DEFAULT_DEADLINE_MILLIS = 30_000;

    private final KeycloakSession session;
    private final long deadlineMillis;

    public OutboundHttp(KeycloakSession session) {
        this(session, DEFAULT_DEADLINE_MILLIS);
    }

    /** @param deadlineMillis the total time a request may take (a provider that drip-feeds bytes is cut off) */
    public OutboundHttp(KeycloakSession session, long deadlineMillis) {
        this.session = session;
        this.deadlineMillis = deadlineMillis;
    }

    /**
     * Sends the request and reads the whole answer, within the deadline, over Keycloak's HTTP client (its proxy, trust
     * store and timeouts) and within its response-size limit.
     *
     * @throws java.io.InterruptedIOException when the server did not answer in time, or not completely by the deadline
     * @throws IOException                    when it could not be reached, or its answer is too large
     */
    public Reply send(OutboundRequest out) throws IOException {
        HttpClientProvider provider = session.getProvider(HttpClientProvider.class);
        Deadline.Answer a = Deadline.execute(provider.getHttpClient(), request(out), provider.getMaxConsumedResponseSize(),
                deadlineMillis);
        return new Reply(a.status(), a.body(), retryAfter(a.retryAfter()));
    }

    /** The Apache request for an outbound request: POST with a form or JSON body, GET, DELETE with or without a body. */
    static HttpUriRequest request(OutboundRequest out) throws IOException {
        if (out.deleteWithBody()) {
            return deleteWithBody(out);
        }
        HttpRequestBase req = switch (out.method()) {
            case "DELETE" -> new HttpDelete(out.url());
            case "GET" -> new HttpGet(out.url());
            default -> {
                HttpPost post = new HttpPost(out.url());
                post.setEntity(entity(out));
                if (out.json()) {
                    post.setHeader("Content-Type", "application/json");
                }
                yield post;
            }
        };
        out.headers().forEach(req::setHeader);
        return req;
    }

    private static HttpEntity entity(OutboundRequest out) throws IOException {
        if (out.json()) {
            return new StringEntity(JsonSerialization.writeValueAsString(out.body()), ContentType.APPLICATION_JSON);
        }
        return new UrlEncodedFormEntity(out.body().entrySet().stream()
                .map(e -> (NameValuePair) new BasicNameValuePair(e.getKey(), e.getValue())).toList(), StandardCharsets.UTF_8);
    }

    /** The Apache request for a DELETE that carries a form or JSON body. */
    public static HttpUriRequest deleteWithBody(OutboundRequest out) throws IOException {
        HttpEntityEnclosingRequestBase req = new HttpEntityEnclosingRequestBase() {
            @Override
            public String getMethod() {
                return "DELETE";
            }
        };
        req.setURI(URI.create(out.url()));
        req.setEntity(entity(out));
        out.headers().forEach(req::setHeader);
        return req;
    }

    /** The stream as UTF-8 text, refused when longer than {@code max} bytes (at most {@code max + 1} are read). */
    static String readAtMost(InputStream in, long max) throws IOException {
        try (in) {
            byte[] b = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
            if (b.length > max) {
                throw new IOException("response larger than " + max + " bytes");
            }
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    /** A {@code Retry-After} value (seconds, or an HTTP date) as seconds from now, never negative; null when unreadable. */
    static Long retryAfter(String v) {
        if (v == null) {
            return null;
        }
        try {
            return Math.max(0, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            try {
                long at = ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                return Math.max(0, (at - System.currentTimeMillis()) / 1000);
            } catch (RuntimeException e2) {
                return null;
            }
        }
    }
}
