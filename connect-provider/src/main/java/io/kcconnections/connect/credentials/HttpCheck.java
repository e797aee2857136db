package io.kcconnections.connect.credentials;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.connect.net.HostPolicy;
import io.kcconnections.connect.net.OutboundHttp;
import io.kcconnections.connect.net.OutboundRequest;
import io.kcconnections.connect.net.PinnedClients;
import org.keycloak.util.JsonSerialization;

/**
 * The check of an HTTP credential (API key, basic, bearer, generic HTTP): the provider's check call, or {@code HEAD}
 * on the credential's base URL, with the credential as the provider takes it. The request goes only to the provider's
 * host (or the configured base URL), through the outbound guards: host policy, pinned address, deadline, size cap,
 * no redirects.
 */
final class HttpCheck {

    private HttpCheck() {
    }

    /** The request that checks the credential; its URL and headers carry the secret, so it is never logged. */
    static OutboundRequest request(CredentialType type, CredentialProvider provider, Map<String, String> fields,
                                   Map<String, String> secrets) {
        String base = provider != null && provider.baseUrl() != null ? provider.baseUrl(fields) : fields.get("base_url");
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        Map<String, String> headers = new LinkedHashMap<>();
        if (provider != null) {
            headers.putAll(provider.headers());
        }
        String method = provider == null ? "HEAD" : provider.check().method();
        String url = provider == null ? base + "/" : base + provider.check().path().replace("{username}",
                URLEncoder.encode(fields.getOrDefault("username", ""), StandardCharsets.UTF_8));
        String query = null;
        switch (type) {
            case BASIC -> headers.put("Authorization", basic(fields.get("username"), secrets.get("password")));
            case BEARER -> headers.put("Authorization", "Bearer " + secrets.get("token"));
            case GENERIC_HTTP -> {
                if (secrets.containsKey("token")) {
                    headers.put("Authorization", "Bearer " + secrets.get("token"));
                } else if (secrets.containsKey("api_key")) {
                    headers.put(fields.get("header"), fields.getOrDefault("prefix", "") + secrets.get("api_key"));
                }
            }
            default -> query = apiKey(provider, fields, secrets.get("api_key"), headers);
        }
        if (query != null) {
            url += (url.contains("?") ? "&" : "?") + query;
        }
        return new OutboundRequest(method, url, false, null, headers);
    }

    /** Puts an API key where the provider (or the credential) says; answers a query string when it goes in the URL. */
    private static String apiKey(CredentialProvider provider, Map<String, String> fields, String key,
                                 Map<String, String> headers) {
        CredentialProvider.ApiKey how = provider != null ? provider.apiKey()
                : new CredentialProvider.ApiKey(fields.get("header"), fields.get("prefix"), fields.get("query_param"), null, null);
        if (how.basicPassword() != null) {
            headers.put("Authorization", basic(key, how.basicPassword()));
        } else if (how.basicUsername() != null) {
            headers.put("Authorization", basic(how.basicUsername(), key));
        } else if (how.header() != null) {
            headers.put(how.header(), (how.prefix() == null ? "" : how.prefix()) + key);
        } else {
            return URLEncoder.encode(how.query(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
        }
        return null;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static CheckResult run(OutboundHttp http, HostPolicy policy, CredentialProvider provider, OutboundRequest req) {
        String refusal = policy.checkUrl(req.url());
        if (refusal == null) {
            refusal = policy.checkResolved(req.url());
        }
        if (refusal != null) {
            return CheckResult.fail("refused_address", refusal);
        }
        OutboundHttp.Reply r;
        try {
            r = http.send(req);
        } catch (PinnedClients.RefusedAddress e) {
            return CheckResult.fail("refused_address", "the host resolves to an address the host policy refuses");
        } catch (InterruptedIOException e) {
            return CheckResult.fail("timeout", "no complete answer within the deadline");
        } catch (IOException e) {
            return CheckResult.fail("unreachable", e.getClass().getSimpleName());
        }
        int s = r.status();
        if (s == 401 || s == 403 || s == 407) {
            return CheckResult.fail("unauthorized", "HTTP " + s);
        }
        if (provider == null) {
            return s >= 500 ? CheckResult.fail("http_" + s, "HTTP " + s) : CheckResult.OK;
        }
        if (s < 200 || s > 299) {
            return CheckResult.fail("http_" + s, "HTTP " + s);
        }
        String pointer = provider.check().okPointer();
        if (pointer != null && !jsonTrue(r.body(), pointer)) {
            return CheckResult.fail("not_ok", "the answer's " + pointer + " is not true");
        }
        return CheckResult.OK;
    }

    private static boolean jsonTrue(String body, String pointer) {
        try {
            JsonNode n = JsonSerialization.readValue(body, JsonNode.class).at(pointer);
            return n.isBoolean() && n.booleanValue();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
