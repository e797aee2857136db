package io.kcconnections.connect.oauth;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.spi.template.TokenResponseSpec;
import org.keycloak.util.JsonSerialization;

/**
 * Reads a provider's token-endpoint answers with their quirks: JSON or form bodies, errors in HTTP 200 answers,
 * tokens under a nested path, scopes as text or arrays, expiry as seconds, an instant or a default. Failures become
 * {@link ProviderCallException}s with safe messages.
 */
final class TokenResponses {

    /** OAuth error codes meaning the grant itself is gone (RFC 6749 and a few providers' spellings). */
    private static final Set<String> PERMANENT_ERRORS = Set.of("invalid_grant", "invalid_refresh_token", "token_revoked");

    private TokenResponses() {
    }

    /**
     * What a token-endpoint answer means when it is not a success, or null for a success: HTTP 429 and 5xx are
     * transient; an {@code error} member (also in HTTP 200 answers: GitHub, Withings) or Slack's {@code "ok": false}
     * is the provider's refusal, permanent when the code says the grant is gone; any other non-2xx, or a body that is
     * neither JSON nor a form, is transient.
     */
    static ProviderCallException failure(ProviderTemplate t, int status, Long retryAfter, ObjectNode json) {
        String error = json == null ? null : JsonFields.text(json, "/error");
        if (error == null && json != null && json.path("ok").isBoolean() && !json.path("ok").asBoolean()) {
            error = "not_ok";
        }
        if (status == 429) {
            return new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "rate_limited", status, retryAfter,
                    "provider rate-limited the request (HTTP 429)");
        }
        if (status >= 500) {
            return new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "http_" + status, status, retryAfter,
                    "provider answered HTTP " + status);
        }
        if (error != null) {
            String desc = JsonFields.text(json, "/error_description");
            ProviderCallException.Kind kind = PERMANENT_ERRORS.contains(error) || t.permanentErrors().contains(error)
                    ? ProviderCallException.Kind.PERMANENT : ProviderCallException.Kind.TRANSIENT;
            return new ProviderCallException(kind, safeCode(error), status, retryAfter,
                    "provider refused: " + safeCode(error) + (desc == null ? "" : " (" + safeText(desc) + ")"));
        }
        if (status / 100 != 2) {
            return new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "http_" + status, status, retryAfter,
                    "provider answered HTTP " + status);
        }
        if (json == null) {
            return new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "invalid_response", status, null,
                    "provider answered with a body that is neither JSON nor a form");
        }
        return null;
    }

    /** See {@link OAuthClient#tokenSetOf}. */
    static TokenSet tokenSetOf(ProviderTemplate t, String rawJson) throws ProviderCallException {
        JsonNode json;
        try {
            json = JsonSerialization.mapper.readTree(rawJson);
        } catch (IOException e) {
            json = null;
        }
        if (!(json instanceof ObjectNode o)) {
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "invalid_response", 200, null,
                    "the token response is not a JSON object");
        }
        return toTokenSet(t, o, List.of());
    }

    static TokenSet toTokenSet(ProviderTemplate t, ObjectNode json, List<String> requestedScopes) throws ProviderCallException {
        return toTokenSet(t, json, requestedScopes, false);
    }

    /** @param forRefresh whether this answers a refresh ({@code tokenResponse.refreshPath} applies) */
    static TokenSet toTokenSet(ProviderTemplate t, ObjectNode json, List<String> requestedScopes, boolean forRefresh)
            throws ProviderCallException {
        TokenResponseSpec s = forRefresh ? t.tokenResponse().forRefresh() : t.tokenResponse();
        String access = JsonFields.text(json, s.pointer(s.accessToken()));
        if (access == null || access.isEmpty()) {
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "invalid_response", 200, null,
                    "provider answer has no access token at " + s.pointer(s.accessToken()));
        }
        String refresh = JsonFields.text(json, s.pointer(s.refreshToken()));
        if (refresh != null && refresh.isEmpty()) {
            refresh = null;
        }
        Long expiresAt = expiresAt(s, json);
        List<String> scopes = scopes(s, json, requestedScopes);
        String type = JsonFields.text(json, s.pointer(s.tokenType()));
        Map<String, String> captured = captured(t, json);
        String raw = raw(json);
        return new TokenSet(access, refresh, type == null ? "Bearer" : type, expiresAt, List.copyOf(scopes),
                JsonFields.text(json, s.pointer(s.idToken())), raw, captured);
    }

    /** Epoch millis from {@code expires_in}, else from an absolute instant (seconds or millis), else the default. */
    private static Long expiresAt(TokenResponseSpec s, ObjectNode json) {
        long now = System.currentTimeMillis();
        Long expiresAt = null;
        Long expiresIn = JsonFields.number(json, s.pointer(s.expiresIn()));
        if (expiresIn != null) {
            expiresAt = expiresIn > 0 ? now + expiresIn * 1000 : null;
        } else if (s.expiresAt() != null) {
            Long at = JsonFields.number(json, s.pointer(s.expiresAt()));
            if (at != null) {
                expiresAt = at > 100_000_000_000L ? at : at * 1000;
            }
        }
        if (expiresIn == null && expiresAt == null && s.defaultExpiresIn() != null) {
            expiresAt = now + s.defaultExpiresIn() * 1000;
        }
        return expiresAt;
    }

    /** The granted scopes: a JSON array, or text split on commas and spaces; the requested ones when not stated. */
    private static List<String> scopes(TokenResponseSpec s, ObjectNode json, List<String> requestedScopes) {
        JsonNode scopeNode = json.at(s.pointer(s.scope()));
        if (scopeNode.isArray()) {
            List<String> scopes = new ArrayList<>();
            scopeNode.forEach(n -> scopes.add(n.asText()));
            return scopes;
        }
        String scopeText = scopeNode.isMissingNode() || scopeNode.isNull() ? null : scopeNode.asText();
        return scopeText == null ? requestedScopes
                : Arrays.stream(scopeText.trim().split("[,\\s]+")).filter(x -> !x.isEmpty()).toList();
    }

    /** The per-connection values the template's {@code capture} names. */
    private static Map<String, String> captured(ProviderTemplate t, ObjectNode json) {
        Map<String, String> captured = new LinkedHashMap<>();
        t.capture().forEach((name, ptr) -> {
            String v = JsonFields.text(json, ptr);
            if (v != null) {
                captured.put(name, v);
            }
        });
        return captured;
    }

    private static String raw(ObjectNode json) {
        try {
            return JsonSerialization.writeValueAsString(json);
        } catch (IOException e) {
            return null;
        }
    }

    /** JSON object, or a form-encoded answer turned into one (GitHub without Accept: application/json). */
    static ObjectNode parseBody(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        String b = body.trim();
        if (b.startsWith("{")) {
            try {
                JsonNode n = JsonSerialization.readValue(b, JsonNode.class);
                return n instanceof ObjectNode o ? o : null;
            } catch (IOException e) {
                return null;
            }
        }
        if (b.contains("=") && !b.contains("<") && !b.contains(" ")) {
            return parseForm(b);
        }
        return null;
    }

    private static ObjectNode parseForm(String b) {
        ObjectNode o = JsonSerialization.mapper.createObjectNode();
        for (String pair : b.split("&")) {
            int i = pair.indexOf('=');
            if (i <= 0) {
                return null;
            }
            o.put(URLDecoder.decode(pair.substring(0, i), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8));
        }
        return o;
    }

    /** Error codes are echoed back to apps: keep them to a safe alphabet and length. */
    static String safeCode(String s) {
        String c = s.replaceAll("[^A-Za-z0-9_.-]", "_");
        return c.length() > 64 ? c.substring(0, 64) : c;
    }

    static String safeText(String s) {
        String c = s.replaceAll("\\p{Cntrl}", " ");
        return c.length() > 200 ? c.substring(0, 200) + "…" : c;
    }
}
