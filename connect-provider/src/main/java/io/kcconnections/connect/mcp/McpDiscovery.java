package io.kcconnections.connect.mcp;

import io.kcconnections.connect.net.FetchException;
import io.kcconnections.connect.net.GuardedFetch;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.connect.net.HostPolicy;
import org.jboss.logging.Logger;
import org.keycloak.util.JsonSerialization;

/**
 * Finds out how to get a token for an MCP server from its URL alone:
 * <ol>
 * <li>the server's 401 {@code WWW-Authenticate} names its protected-resource metadata ({@code resource_metadata}),
 * else the well-known URL on its origin (RFC 9728 §3.1, path inserted, then the origin's root);</li>
 * <li>that metadata must name this server as its {@code resource} (same origin, the server URL at or below its path)
 * and at least one authorization server;</li>
 * <li>the authorization server's metadata (RFC 8414, then OpenID Connect discovery) must carry exactly the issuer
 * that was asked for, authorization and token endpoints, and S256 if it lists PKCE methods.</li>
 * </ol>
 * Every URL in every document passes the host policy; nothing is followed that the guard refuses. Successful results
 * are kept per node for the configured time.
 */
public final class McpDiscovery {

    private static final Logger LOG = Logger.getLogger(McpDiscovery.class);
    private static final Pattern RESOURCE_METADATA = Pattern.compile("resource_metadata\\s*=\\s*\"([^\"]{1,2048})\"",
            Pattern.CASE_INSENSITIVE);
    private static final int MAX_CACHED = 1000;
    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();

    private record Cached(McpServer server, long until) {
    }

    /** What discovery found: the resource to ask tokens for and the authorization server that issues them. */
    public record McpServer(String serverUrl, String resource, List<String> scopes, AuthorizationServer as) {
    }

    public record AuthorizationServer(String issuer, String authorizationEndpoint, String tokenEndpoint,
                                      String registrationEndpoint, String revocationEndpoint, List<String> authMethods) {

        /** The endpoints kept with a registration. */
        public Map<String, String> endpoints() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("authorization_endpoint", authorizationEndpoint);
            m.put("token_endpoint", tokenEndpoint);
            if (revocationEndpoint != null) {
                m.put("revocation_endpoint", revocationEndpoint);
            }
            return m;
        }
    }

    private McpDiscovery() {
    }

    /** Discovers, or answers what this node found within the last {@code ttlSeconds}. */
    static McpServer discover(GuardedFetch fetch, HostPolicy policy, String serverUrl, int ttlSeconds) throws FetchException {
        long now = System.currentTimeMillis();
        Cached c = CACHE.get(serverUrl);
        if (c != null && c.until() > now) {
            return c.server();
        }
        McpServer found = discoverNow(fetch, policy, serverUrl);
        if (ttlSeconds > 0) {
            if (CACHE.size() >= MAX_CACHED) {
                CACHE.clear();
            }
            CACHE.put(serverUrl, new Cached(found, now + ttlSeconds * 1000L));
        }
        return found;
    }

    static McpServer discoverNow(GuardedFetch fetch, HostPolicy policy, String serverUrl) throws FetchException {
        String refused = fetch.refusal(serverUrl);
        if (refused != null) {
            throw new FetchException(400, "invalid_mcp_server_url", "mcp_server_url is refused: " + refused);
        }
        List<String> candidates = new ArrayList<>();
        GuardedFetch.Answer probe = fetch.get(serverUrl, "MCP server");
        if (probe.status() == 401 && probe.wwwAuthenticate() != null) {
            String named = resourceMetadataUrl(probe.wwwAuthenticate());
            if (named != null) {
                try {
                    candidates.add(URI.create(serverUrl).resolve(named).toString());
                } catch (IllegalArgumentException e) {
                    LOG.debugf("MCP server %s: unusable resource_metadata in its WWW-Authenticate", GuardedFetch.shown(serverUrl));
                }
            }
        }
        candidates.addAll(protectedResourceCandidates(serverUrl));
        Prm prm = null;
        FetchException last = null;
        for (String url : candidates.stream().distinct().toList()) {
            GuardedFetch.Answer a = fetch.get(url, "protected resource metadata");
            if (a.status() != 200 || !looksLikeJson(a.body())) {
                last = new FetchException(502, "mcp_metadata_not_found", "no protected resource metadata at "
                        + GuardedFetch.shown(url) + " (HTTP " + a.status() + ")");
                continue;
            }
            prm = parseProtectedResource(a.body(), serverUrl, policy);
            break;
        }
        if (prm == null) {
            throw last != null ? last : new FetchException(502, "mcp_metadata_not_found", "no protected resource metadata");
        }
        AuthorizationServer as = null;
        for (String issuer : prm.authorizationServers()) {
            as = authorizationServer(fetch, policy, issuer);
            if (as != null) {
                break;
            }
        }
        if (as == null) {
            throw new FetchException(502, "mcp_metadata_not_found", "no authorization server metadata for "
                    + GuardedFetch.shown(prm.authorizationServers().get(0)));
        }
        LOG.debugf("MCP server %s: resource %s, authorization server %s", GuardedFetch.shown(serverUrl),
                GuardedFetch.shown(prm.resource()), GuardedFetch.shown(as.issuer()));
        return new McpServer(serverUrl, prm.resource(), prm.scopes(), as);
    }

    private static AuthorizationServer authorizationServer(GuardedFetch fetch, HostPolicy policy, String issuer)
            throws FetchException {
        for (String url : authorizationServerCandidates(issuer)) {
            GuardedFetch.Answer a = fetch.get(url, "authorization server metadata");
            if (a.status() == 200 && looksLikeJson(a.body())) {
                return parseAuthorizationServer(a.body(), issuer, policy);
            }
        }
        return null;
    }

    /** A 200 that is not a JSON object (a web app's catch-all page, say) is no metadata: the next candidate is tried. */
    private static boolean looksLikeJson(String body) {
        return body != null && body.stripLeading().startsWith("{");
    }

    record Prm(String resource, List<String> authorizationServers, List<String> scopes) {
    }

    static String resourceMetadataUrl(String wwwAuthenticate) {
        Matcher m = RESOURCE_METADATA.matcher(wwwAuthenticate);
        return m.find() ? m.group(1) : null;
    }

    /** RFC 9728 §3.1: the well-known suffix inserted between origin and path; then the origin's root. */
    static List<String> protectedResourceCandidates(String serverUrl) {
        URI u = URI.create(serverUrl);
        String origin = origin(u);
        String path = u.getRawPath() == null || u.getRawPath().equals("/") ? "" : stripSlash(u.getRawPath());
        List<String> out = new ArrayList<>();
        if (!path.isEmpty()) {
            out.add(origin + "/.well-known/oauth-protected-resource" + path);
        }
        out.add(origin + "/.well-known/oauth-protected-resource");
        return out;
    }

    /** RFC 8414 §3.1 (suffix inserted), OpenID Connect discovery inserted, then appended (OIDC Discovery 1.0 §4). */
    static List<String> authorizationServerCandidates(String issuer) {
        URI u = URI.create(issuer);
        String origin = origin(u);
        String path = u.getRawPath() == null || u.getRawPath().equals("/") ? "" : stripSlash(u.getRawPath());
        List<String> out = new ArrayList<>();
        out.add(origin + "/.well-known/oauth-authorization-server" + path);
        out.add(origin + "/.well-known/openid-configuration" + path);
        if (!path.isEmpty()) {
            out.add(origin + path + "/.well-known/openid-configuration");
        }
        return out;
    }

    static Prm parseProtectedResource(String body, String serverUrl, HostPolicy policy) throws FetchException {
        JsonNode j = json(body, "protected resource metadata");
        String resource = text(j, "resource");
        if (resource == null) {
            throw new FetchException(502, "mcp_metadata_invalid", "protected resource metadata has no resource");
        }
        String bad = policy.checkUrl(resource);
        if (bad != null) {
            throw new FetchException(502, "mcp_metadata_invalid", "protected resource metadata: resource is refused: " + bad);
        }
        if (!covers(resource, serverUrl)) {
            throw new FetchException(502, "mcp_resource_mismatch", "protected resource metadata names resource "
                    + GuardedFetch.shown(resource) + ", not the server " + GuardedFetch.shown(serverUrl));
        }
        List<String> servers = new ArrayList<>();
        JsonNode list = j.get("authorization_servers");
        if (list != null && list.isArray()) {
            for (JsonNode n : list) {
                if (n.isTextual() && servers.size() < 5) {
                    String s = n.asText();
                    String why = policy.checkUrl(s);
                    if (why != null) {
                        throw new FetchException(502, "mcp_metadata_invalid", "authorization server " + GuardedFetch.shown(s)
                                + " is refused: " + why);
                    }
                    servers.add(s);
                }
            }
        }
        if (servers.isEmpty()) {
            throw new FetchException(502, "mcp_metadata_invalid", "protected resource metadata names no authorization server");
        }
        return new Prm(resource, servers, strings(j.get("scopes_supported"), 50));
    }

    static AuthorizationServer parseAuthorizationServer(String body, String issuer, HostPolicy policy) throws FetchException {
        JsonNode j = json(body, "authorization server metadata");
        String declared = text(j, "issuer");
        if (declared == null || !declared.equals(issuer)) {
            throw new FetchException(502, "mcp_issuer_mismatch", "authorization server metadata for "
                    + GuardedFetch.shown(issuer) + " declares issuer " + (declared == null ? "none" : GuardedFetch.shown(declared)));
        }
        String authorize = endpoint(j, "authorization_endpoint", true, policy);
        String token = endpoint(j, "token_endpoint", true, policy);
        String registration = endpoint(j, "registration_endpoint", false, policy);
        String revocation = endpoint(j, "revocation_endpoint", false, policy);
        List<String> pkce = strings(j.get("code_challenge_methods_supported"), 20);
        if (!pkce.contains("S256")) {
            // The MCP authorization spec: without code_challenge_methods_supported naming S256, do not proceed.
            throw new FetchException(502, "mcp_pkce_unsupported", "the authorization server does not declare PKCE S256"
                    + " (code_challenge_methods_supported)");
        }
        return new AuthorizationServer(issuer, authorize, token, registration, revocation,
                strings(j.get("token_endpoint_auth_methods_supported"), 20));
    }

    private static String endpoint(JsonNode j, String name, boolean required, HostPolicy policy) throws FetchException {
        String url = text(j, name);
        if (url == null) {
            if (required) {
                throw new FetchException(502, "mcp_metadata_invalid", "authorization server metadata has no " + name);
            }
            return null;
        }
        String bad = url.length() > 2048 ? "longer than 2048 characters" : policy.checkUrl(url);
        if (bad != null) {
            throw new FetchException(502, "mcp_address_refused", "authorization server metadata: " + name + " is refused: " + bad);
        }
        return url;
    }

    /**
     * Whether {@code resource} is the server's resource identifier (RFC 9728 §3.3 and §5: identical to the URL the
     * metadata was found for): same origin and path, a trailing slash and the default port aside. A prefix is not
     * enough: on a shared host, one tenant's server could claim the whole host and get tokens valid for all of it.
     */
    static boolean covers(String resource, String serverUrl) {
        try {
            URI r = URI.create(resource);
            URI s = URI.create(serverUrl);
            if (!origin(r).equals(origin(s)) || r.getRawQuery() != null) {
                return false;
            }
            String rp = stripSlash(r.getRawPath() == null ? "" : r.getRawPath());
            String sp = stripSlash(s.getRawPath() == null ? "" : s.getRawPath());
            return sp.equals(rp);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String origin(URI u) {
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static String stripSlash(String p) {
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static JsonNode json(String body, String what) throws FetchException {
        try {
            JsonNode n = JsonSerialization.mapper.readTree(body);
            if (n == null || !n.isObject()) {
                throw new FetchException(502, "mcp_metadata_invalid", what + " is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new FetchException(502, "mcp_metadata_invalid", what + " is not valid JSON");
        }
    }

    private static String text(JsonNode j, String name) {
        JsonNode n = j.get(name);
        return n != null && n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }

    private static List<String> strings(JsonNode n, int max) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            for (JsonNode e : n) {
                if (e.isTextual() && out.size() < max && e.asText().length() <= 256) {
                    out.add(e.asText());
                }
            }
        }
        return out;
    }
}
