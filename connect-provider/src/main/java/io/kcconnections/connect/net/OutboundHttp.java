package io.kcconnections.connect.net;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import io.kcconnections.connect.config.ConnectSettings;
import org.apache.http.HttpEntity;
import org.apache.http.NameValuePair;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.entity.UrlEncodedFormEntity;
import org.apache.http.client.methods.HttpDelete;
import org.apache.http.client.methods.HttpEntityEnclosingRequestBase;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpHead;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.message.BasicNameValuePair;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.util.JsonSerialization;

/**
 * Executes an {@link OutboundRequest} under a total deadline ({@link Deadline}). Unless private hosts are allowed or the
 * operator chose Keycloak's client ({@code outbound-http-client=keycloak}), requests go over a pinned client of this
 * extension's own ({@link PinnedClients}): the host is resolved once for the connection, every address is checked, and
 * the checked address is the one connected to, so a name that rebinds after the caller's pre-check reaches nothing
 * internal; redirects are not followed (an answer's 3xx comes back as it is). Otherwise Keycloak's HTTP client is used
 * (its proxy, trust, timeout and response-size settings). The caller still guards the URL first (scheme, host name,
 * resolved addresses) and maps failures; this class logs nothing.
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
    /** The largest answer read from a provider unless given (1 MiB); Keycloak's own limit applies too. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 1_048_576;
    /** The longest wait to connect or for a pooled connection (the deadline bounds the whole anyway). */
    private static final int CONNECT_MILLIS = 10_000;

    /**
     * How requests go out.
     *
     * @param deadlineMillis   the total time a request may take (a provider that drip-feeds bytes is cut off)
     * @param maxResponseBytes the largest answer read (the smaller of this and Keycloak's limit applies)
     * @param keycloakClient true: over Keycloak's shared client (its proxy settings) with the host check before the
     *                       call only; false: over the pinned client whenever private hosts are not allowed
     */
    public record Options(long deadlineMillis, long maxResponseBytes, boolean keycloakClient) {
        public static final Options DEFAULTS = new Options(DEFAULT_DEADLINE_MILLIS, DEFAULT_MAX_RESPONSE_BYTES, false);

        /** The options the operator configured. */
        public static Options of(ConnectSettings s) {
            return new Options(s.outboundDeadlineMillis(), s.maxResponseBytes(), s.outboundKeycloakClient());
        }
    }

    private final KeycloakSession session;
    private final HostPolicy policy;
    private final Options options;

    /**
     * @param session the session whose {@link HttpClientProvider} serves when Keycloak's client is used; the pinned
     *                client needs none
     */
    public OutboundHttp(KeycloakSession session, HostPolicy policy, Options options) {
        this.session = session;
        this.policy = policy;
        this.options = options;
    }

    /** Whether requests go over the pinned client (private hosts not allowed and Keycloak's client not chosen). */
    public boolean pinned() {
        return !policy.allowPrivate() && !options.keycloakClient();
    }

    /**
     * Sends the request and reads the whole answer, within the deadline and the response-size limit (the smaller of
     * {@code max-response-bytes} and Keycloak's {@code max-consumed-response-size}).
     *
     * @throws PinnedClients.RefusedAddress   when the host resolves, at connect time, to an address the policy refuses
     * @throws java.io.InterruptedIOException when the server did not answer in time, or not completely by the deadline
     * @throws Deadline.TooLarge              when its answer is larger than the limit (the rest is not read)
     * @throws IOException                    when it could not be reached
     */
    public Reply send(OutboundRequest out) throws IOException {
        Deadline.Answer a;
        if (pinned()) {
            HttpRequestBase req = request(out);
            req.setConfig(pinnedConfig(options.deadlineMillis()));
            a = Deadline.execute(PinnedClients.client(PinnedClients.Use.PROVIDERS, false), req,
                    Math.min(options.maxResponseBytes(), keycloakMaxBytes()), options.deadlineMillis());
        } else {
            HttpClientProvider provider = session.getProvider(HttpClientProvider.class);
            a = Deadline.execute(provider.getHttpClient(), request(out),
                    Math.min(options.maxResponseBytes(), provider.getMaxConsumedResponseSize()), options.deadlineMillis());
        }
        return new Reply(a.status(), a.body(), retryAfter(a.retryAfter()));
    }

    /** Keycloak's response-size limit where a session is at hand, else its default (10 MB). */
    private long keycloakMaxBytes() {
        HttpClientProvider provider = session == null ? null : session.getProvider(HttpClientProvider.class);
        return provider == null ? HttpClientProvider.DEFAULT_MAX_CONSUMED_RESPONSE_SIZE : provider.getMaxConsumedResponseSize();
    }

    /** No redirects; no single wait longer than the deadline. */
    static RequestConfig pinnedConfig(long deadlineMillis) {
        int whole = (int) Math.min(deadlineMillis, Integer.MAX_VALUE);
        int connect = Math.min(CONNECT_MILLIS, whole);
        return RequestConfig.custom().setRedirectsEnabled(false).setConnectTimeout(connect)
                .setConnectionRequestTimeout(connect).setSocketTimeout(whole).build();
    }

    /** The Apache request for an outbound request: POST with a form or JSON body, GET, DELETE with or without a body. */
    static HttpRequestBase request(OutboundRequest out) throws IOException {
        if (out.deleteWithBody()) {
            return deleteWithBody(out);
        }
        HttpRequestBase req = switch (out.method()) {
            case "DELETE" -> new HttpDelete(out.url());
            case "GET" -> new HttpGet(out.url());
            case "HEAD" -> new HttpHead(out.url());
            default -> {
                HttpPost post = new HttpPost(out.url());
                if (out.body() == null) {
                    yield post;
                }
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
    public static HttpRequestBase deleteWithBody(OutboundRequest out) throws IOException {
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

    /** A {@code Retry-After} value (seconds, or an HTTP date) as seconds from now, never negative; null when unreadable. */
    static Long retryAfter(String v) {
        if (v == null) {
            return null;
        }
        try {
            return Math.max(0, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            Long millis = RetryAfter.millis(v, System.currentTimeMillis()); // an HTTP date
            return millis == null ? null : millis / 1000;
        }
    }
}
