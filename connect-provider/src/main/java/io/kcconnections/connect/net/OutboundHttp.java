package io.kcconnections.connect.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;

import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.NameValuePair;
import org.apache.http.client.entity.UrlEncodedFormEntity;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpEntityEnclosingRequestBase;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.message.BasicNameValuePair;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.http.simple.SimpleHttp;
import org.keycloak.http.simple.SimpleHttpRequest;
import org.keycloak.http.simple.SimpleHttpResponse;
import org.keycloak.models.KeycloakSession;
import org.keycloak.util.JsonSerialization;

/**
 * Executes an {@link OutboundRequest} over Keycloak's HTTP client (its proxy, trust, timeout and response-size
 * settings). It checks no address and logs nothing: callers guard the URL first and map failures themselves.
 */
public final class OutboundHttp {

    /**
     * An answer.
     *
     * @param retryAfterSeconds the {@code Retry-After} header in seconds (a date becomes the seconds until it), or null
     */
    public record Reply(int status, String body, Long retryAfterSeconds) {
    }

    private final KeycloakSession session;

    public OutboundHttp(KeycloakSession session) {
        this.session = session;
    }

    /**
     * Sends the request and reads the whole answer.
     *
     * @throws java.io.InterruptedIOException when the server did not answer in time
     * @throws IOException                    when it could not be reached, or its answer is too large
     */
    public Reply send(OutboundRequest out) throws IOException {
        return out.deleteWithBody() ? sendDeleteWithBody(out) : sendSimple(out);
    }

    /** POST (form or JSON body), or DELETE without a body, over Keycloak's SimpleHttp. */
    private Reply sendSimple(OutboundRequest out) throws IOException {
        SimpleHttp http = SimpleHttp.create(session);
        boolean delete = "DELETE".equals(out.method());
        SimpleHttpRequest req = delete ? http.doDelete(out.url()) : http.doPost(out.url());
        if (!delete) {
            if (out.json()) {
                req.json(new LinkedHashMap<>(out.body()));
            } else {
                req.params(new LinkedHashMap<>(out.body()));
            }
        }
        out.headers().forEach(req::header);
        try (SimpleHttpResponse resp = req.asResponse()) {
            return new Reply(resp.getStatus(), resp.asString(), retryAfter(resp.getFirstHeader("Retry-After")));
        }
    }

    /**
     * DELETE with a body (GitHub's token revocation): SimpleHttp sends a DELETE without its body, so this one goes
     * straight to Keycloak's HTTP client, with the same response-size limit.
     */
    private Reply sendDeleteWithBody(OutboundRequest out) throws IOException {
        HttpClientProvider provider = session.getProvider(HttpClientProvider.class);
        try (CloseableHttpResponse resp = provider.getHttpClient().execute(deleteWithBody(out))) {
            HttpEntity entity = resp.getEntity();
            String text = entity == null ? "" : readAtMost(entity.getContent(), provider.getMaxConsumedResponseSize());
            Header ra = resp.getFirstHeader("Retry-After");
            return new Reply(resp.getStatusLine().getStatusCode(), text, retryAfter(ra == null ? null : ra.getValue()));
        }
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
        if (out.json()) {
            req.setEntity(new StringEntity(JsonSerialization.writeValueAsString(out.body()), ContentType.APPLICATION_JSON));
        } else {
            req.setEntity(new UrlEncodedFormEntity(out.body().entrySet().stream()
                    .map(e -> (NameValuePair) new BasicNameValuePair(e.getKey(), e.getValue())).toList(), StandardCharsets.UTF_8));
        }
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
