package io.kcconnections.connect.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;

/**
 * Outbound requests to addresses an outsider chose (an MCP server's URL and everything its metadata names), over
 * a client of this extension's own ({@link PinnedClients}: the JVM's trust store, no proxy, names resolved and
 * checked for the connection itself) with the guard around each hop: every URL, including each
 * redirect target, passes the host policy (scheme, host name, no user info) and the resolved-address check;
 * redirects are followed by hand, at most {@value #MAX_REDIRECTS}, never twice to one URL (a loop fails at once);
 * bodies larger than the configured limit are refused unread; timeouts are short.
 */
public final class GuardedFetch {

    static final int MAX_REDIRECTS = 3;
    private static final int TIMEOUT_MILLIS = 10_000;

    public record Answer(int status, String body, String wwwAuthenticate, String url) {
    }

    private final HostPolicy policy;
    private final int maxBytes;

    public GuardedFetch(HostPolicy policy, int maxBytes) {
        this.policy = policy;
        this.maxBytes = maxBytes;
    }

    /** Checks a URL as the guard does before any request: null when fine, else the reason. */
    public String refusal(String url) {
        if (url == null || url.length() > 2048) {
            return "URL is missing or longer than 2048 characters";
        }
        String r = policy.checkUrl(url);
        return r != null ? r : policy.checkResolved(url);
    }

    public Answer get(String url, String what) throws FetchException {
        return send(url, null, what);
    }

    public Answer postJson(String url, String json, String what) throws FetchException {
        return send(url, json, what);
    }

    private Answer send(String url, String json, String what) throws FetchException {
        Set<String> seen = new HashSet<>();
        String current = url;
        for (int hop = 0; ; hop++) {
            String refused = refusal(current);
            if (refused != null) {
                throw new FetchException(502, "mcp_address_refused", what + ": " + refused);
            }
            if (!seen.add(current)) {
                throw new FetchException(502, "mcp_redirect_loop", what + ": redirect loop at " + shown(current));
            }
            HttpRequestBase req;
            if (json == null) {
                req = new HttpGet(current);
                req.setHeader("Accept", "application/json");
            } else {
                HttpPost post = new HttpPost(current);
                post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
                post.setHeader("Accept", "application/json");
                req = post;
            }
            req.setConfig(RequestConfig.custom().setRedirectsEnabled(false).setConnectTimeout(TIMEOUT_MILLIS)
                    .setSocketTimeout(TIMEOUT_MILLIS).setConnectionRequestTimeout(TIMEOUT_MILLIS).build());
            try (CloseableHttpResponse resp = PinnedClients.client(PinnedClients.Use.MCP, policy.allowPrivate()).execute(req)) {
                int status = resp.getStatusLine().getStatusCode();
                Header location = resp.getFirstHeader("Location");
                if (status >= 300 && status < 400 && location != null) {
                    if (json != null) {
                        throw new FetchException(502, "mcp_redirect_refused", what + ": a POST is not followed across a redirect");
                    }
                    if (hop >= MAX_REDIRECTS) {
                        throw new FetchException(502, "mcp_too_many_redirects", what + ": more than " + MAX_REDIRECTS + " redirects");
                    }
                    try {
                        current = URI.create(current).resolve(location.getValue().trim()).toString();
                    } catch (IllegalArgumentException e) {
                        throw new FetchException(502, "mcp_redirect_refused", what + ": redirect to an invalid URL");
                    }
                    continue;
                }
                Header www = resp.getFirstHeader("WWW-Authenticate");
                return new Answer(status, read(resp.getEntity(), what), www == null ? null : www.getValue(), current);
            } catch (PinnedClients.RefusedAddress e) {
                throw new FetchException(502, "mcp_address_refused", what + ": " + e.getMessage());
            } catch (InterruptedIOException e) {
                throw new FetchException(502, "mcp_unreachable", what + ": no answer in time from " + shown(current));
            } catch (IOException e) {
                throw new FetchException(502, "mcp_unreachable", what + ": " + shown(current) + " is unreachable ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
    }

    private String read(HttpEntity entity, String what) throws IOException, FetchException {
        if (entity == null) {
            return "";
        }
        if (entity.getContentLength() > maxBytes) {
            throw new FetchException(502, "mcp_document_too_large", what + ": the answer is larger than " + maxBytes + " bytes");
        }
        try (InputStream in = entity.getContent()) {
            byte[] b = in.readNBytes(maxBytes + 1);
            if (b.length > maxBytes) {
                throw new FetchException(502, "mcp_document_too_large", what + ": the answer is larger than " + maxBytes + " bytes");
            }
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    /** A URL as logs and error messages may show it: no user info, query or fragment, no control characters. */
    public static String shown(String url) {
        if (url == null) {
            return "";
        }
        String s = url.replaceAll("\\p{Cntrl}", "_").replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", "$1…@");
        int q = s.indexOf('?');
        int f = s.indexOf('#');
        int cut = q < 0 ? f : f < 0 ? q : Math.min(q, f);
        if (cut >= 0) {
            s = s.substring(0, cut);
        }
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
