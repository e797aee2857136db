package io.kcconnections.connect.connection;

import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.connect.store.Credential;
import io.kcconnections.connect.store.Health;
import org.keycloak.util.JsonSerialization;

/**
 * Credential requests and answers as JSON: strict parsing of a create or change (an object; {@code fields} an object
 * of strings), and the view, which names the secret fields and never holds their values.
 */
public final class CredentialJson {

    /** The largest request body taken (64 KiB). */
    public static final int MAX_BODY = 65_536;

    private CredentialJson() {
    }

    /** {@code {"connection_id", "provider", "type", "fields": {…}}}. */
    public static Credentials.Input input(String body) throws ConnectError {
        JsonNode root = object(body);
        return new Credentials.Input(text(root, "connection_id"), text(root, "provider"), text(root, "type"),
                fields(root.get("fields"), false));
    }

    /** {@code {"fields": {"password": "…", "username": null}}}: null removes an optional field. */
    public static Map<String, String> changes(String body) throws ConnectError {
        JsonNode root = object(body);
        Iterator<String> names = root.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!n.equals("fields")) {
                throw ConnectError.badRequest("invalid_credential", Inputs.shown(n) + ": only fields can change");
            }
        }
        return fields(root.get("fields"), true);
    }

    public static Map<String, Object> view(Credential c, Health.State h) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("connection_id", c.connectionId());
        v.put("type", c.type());
        v.put("provider", c.provider());
        v.put("user_id", c.userId());
        v.put("client", c.ownerClient());
        v.put("fields", new LinkedHashMap<>(c.fields()));
        v.put("secret_fields", List.copyOf(new TreeSet<>(c.secrets().keySet())));
        v.put("created_at", Instant.ofEpochMilli(c.createdAt()).toString());
        v.put("updated_at", Instant.ofEpochMilli(c.updatedAt()).toString());
        v.put("health", health(h));
        return v;
    }

    /** A health row as listings show it; {@code unknown} when there is none yet. */
    public static Map<String, Object> health(Health.State h) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("status", h == null ? "unknown" : h.status());
        v.put("consecutive_failures", h == null ? 0 : h.failures());
        v.put("last_check_at", h == null || h.lastCheckAt() == null ? null : Instant.ofEpochMilli(h.lastCheckAt()).toString());
        v.put("last_ok_at", h == null || h.lastOkAt() == null ? null : Instant.ofEpochMilli(h.lastOkAt()).toString());
        v.put("last_error", h == null ? null : h.lastError());
        return v;
    }

    private static JsonNode object(String body) throws ConnectError {
        if (body == null || body.isBlank()) {
            throw ConnectError.badRequest("invalid_request", "a JSON object is required");
        }
        if (body.length() > MAX_BODY) {
            throw new ConnectError(413, "request_too_large", "the body is larger than 64 KiB");
        }
        try {
            JsonNode root = JsonSerialization.readValue(body, JsonNode.class);
            if (root == null || !root.isObject()) {
                throw ConnectError.badRequest("invalid_request", "a JSON object is required");
            }
            return root;
        } catch (IOException e) {
            throw ConnectError.badRequest("invalid_request", "the body is not JSON");
        }
    }

    private static String text(JsonNode root, String name) throws ConnectError {
        JsonNode v = root.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ConnectError.badRequest("invalid_credential", name + ": must be a string");
        }
        return v.asText();
    }

    private static Map<String, String> fields(JsonNode node, boolean nullsAllowed) throws ConnectError {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw ConnectError.badRequest("invalid_credential", "fields: must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull() && nullsAllowed) {
                out.put(e.getKey(), null);
            } else if (v.isTextual()) {
                out.put(e.getKey(), v.asText());
            } else if (v.isInt() && e.getKey().equals("port")) {
                out.put(e.getKey(), String.valueOf(v.asInt()));
            } else {
                throw ConnectError.badRequest("invalid_credential", Inputs.shown(e.getKey()) + ": must be a string");
            }
        }
        return out;
    }
}
