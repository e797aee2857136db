package io.kcconnections.connect.net;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;

import org.apache.http.client.config.RequestConfig;
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
 * bodies larger than the configured limit are refused unread; each request has a total deadline of
 * {@value #HOP_MILLIS} ms and the whole fetch, redirects included, one of {@value #TOTAL_MILLIS} ms.
 */
public final class GuardedFetch {

    static final int MAX_REDIRECTS = 3;
    /** The total time of one request (connect, send, the whole answer): a server that drip-feeds bytes is cut off. */
    static final long HOP_MILLIS = 10_000;
    /** The total time of one fetch, its redirects included. */
    static final long TOTAL_MILLIS = 20_000;
    private static final int TIMEOUT_MILLIS = 10_000;

    public record Answer(int status, String body, String wwwAuthenticate, String url) {
    }

    private final HostPolicy policy;
    private final int maxBytes;
    private final long hopMillis;
    private final long totalMillis;

    public GuardedFetch(HostPolicy policy, int maxBytes) {
        this(policy, maxBytes, HOP_MILLIS, TOTAL_MILLIS);
    }

    /** For tests: other deadlines per request and per fetch. */
    GuardedFetch(HostPolicy policy, int maxBytes, long hopMillis, long totalMillis) {
        this.policy = policy;
        this.maxBytes = maxBytes;
        this.hopMillis = hopMillis;
        this.totalMillis = totalMillis;
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
        long end = System.nanoTime() + totalMillis * 1_000_000;
        String current = url;
        for (int hop = 0; ; hop++) {
            String refused = refusal(current);
            if (refused != null) {
                throw new FetchException(502, "mcp_address_refused", what + ": " + refused);
            }
            if (!seen.add(current)) {
                throw new FetchException(502, "mcp_redirect_loop", what + ": redirect loop at " + shown(current));
            }
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new FetchException(502, "mcp_unreachable", what + ": no answer in time from " + shown(current));
            }
            Deadline.Answer a = exchange(request(current, json), Math.min(hopMillis, left), current, what);
            String location = a.header("Location");
            if (a.status() < 300 || a.status() >= 400 || location == null) {
                return new Answer(a.status(), a.body(), a.header("WWW-Authenticate"), current);
            }
            current = redirect(current, location, json != null, hop, what);
        }
    }

    private static HttpRequestBase request(String url, String json) {
        HttpRequestBase req;
        if (json == null) {
            req = new HttpGet(url);
        } else {
            HttpPost post = new HttpPost(url);
            post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
            req = post;
        }
        req.setHeader("Accept", "application/json");
        return req;
    }

    /** One request under its deadline ({@link Deadline}): the whole answer, at most {@code maxBytes}, or the reason. */
    private Deadline.Answer exchange(HttpRequestBase req, long millis, String url, String what) throws FetchException {
        int wait = (int) Math.min(TIMEOUT_MILLIS, millis);
        req.setConfig(RequestConfig.custom().setRedirectsEnabled(false).setConnectTimeout(wait)
                .setSocketTimeout(wait).setConnectionRequestTimeout(wait).build());
        try {
            return Deadline.execute(PinnedClients.client(PinnedClients.Use.MCP, policy.allowPrivate()), req, maxBytes, millis);
        } catch (PinnedClients.RefusedAddress e) {
            throw new FetchException(502, "mcp_address_refused", what + ": " + e.getMessage());
        } catch (Deadline.TooLarge e) {
            throw new FetchException(502, "mcp_document_too_large", what + ": the answer is larger than " + maxBytes + " bytes");
        } catch (InterruptedIOException e) {
            throw new FetchException(502, "mcp_unreachable", what + ": no answer in time from " + shown(url));
        } catch (IOException e) {
            throw new FetchException(502, "mcp_unreachable", what + ": " + shown(url) + " is unreachable ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Where a redirect leads, when it may be followed. */
    private static String redirect(String current, String location, boolean post, int hop, String what) throws FetchException {
        if (post) {
            throw new FetchException(502, "mcp_redirect_refused", what + ": a POST is not followed across a redirect");
        }
        if (hop >= MAX_REDIRECTS) {
            throw new FetchException(502, "mcp_too_many_redirects", what + ": more than " + MAX_REDIRECTS + " redirects");
        }
        try {
            return URI.create(current).resolve(location.trim()).toString();
        } catch (IllegalArgumentException e) {
            throw new FetchException(502, "mcp_redirect_refused", what + ": redirect to an invalid URL");
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
