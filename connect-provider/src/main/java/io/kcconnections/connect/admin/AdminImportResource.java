package io.kcconnections.connect.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.connect.connection.ConnectError;
import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.connection.Imports;
import io.kcconnections.connect.rest.Responses;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.util.JsonSerialization;

/**
 * {@code POST /admin/realms/{realm}/connect/import[?dry_run=true]}: connections brought from another token store,
 * body {@code {"connections": [{"user", "provider", "connection_id", "access_token", "refresh_token", "expires_at",
 * "scopes", "account_id", "account_name", "metadata"}]}} (at most {@value Imports#MAX_ROWS}). Answers the counts and
 * each row's outcome, never a token. Needs {@code manage-users}: it writes tokens for people.
 */
public class AdminImportResource {

    private final ConnectAdminResource parent;

    AdminImportResource(ConnectAdminResource parent) {
        this.parent = parent;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response importConnections(@QueryParam("dry_run") boolean dryRun, String body) {
        parent.auth().users().requireManage();
        return Responses.handle(() -> {
            List<Imports.Outcome> results = parent.session().getProvider(ConnectService.class).imports().run(rows(body), dryRun);
            Map<String, Integer> counts = new TreeMap<>();
            results.forEach(r -> counts.merge(r.result(), 1, Integer::sum));
            if (!dryRun) {
                parent.adminEvent().operation(OperationType.ACTION).resource(ResourceType.CUSTOM)
                        .resourcePath(parent.session().getContext().getUri()).detail("counts", counts.toString()).success();
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dry_run", dryRun);
            out.put("counts", counts);
            out.put("results", results.stream().map(AdminImportResource::view).toList());
            return Responses.json(200, out);
        });
    }

    private static List<Imports.Row> rows(String body) throws ConnectError {
        JsonNode root;
        try {
            root = body == null ? null : JsonSerialization.mapper.readTree(body);
        } catch (Exception e) {
            root = null;
        }
        if (root == null || !root.path("connections").isArray()) {
            throw ConnectError.badRequest("invalid_request", "the body must be {\"connections\": [...]}");
        }
        if (root.get("connections").size() > Imports.MAX_ROWS) {
            throw ConnectError.badRequest("invalid_request", "at most " + Imports.MAX_ROWS + " connections per call");
        }
        List<Imports.Row> rows = new ArrayList<>();
        for (JsonNode c : root.get("connections")) {
            rows.add(new Imports.Row(text(c, "user"), text(c, "provider"), text(c, "connection_id"),
                    text(c, "access_token"), text(c, "refresh_token"), expiresAt(c.get("expires_at")), strings(c.get("scopes")),
                    text(c, "account_id"), text(c, "account_name"), stringMap(c.get("metadata"))));
        }
        return rows;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    /** Epoch seconds (a number, or milliseconds when over 10^12, as some stores keep them) or an ISO-8601 instant. */
    private static Long expiresAt(JsonNode v) throws ConnectError {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            long n = v.asLong();
            return n > 1_000_000_000_000L ? n : n * 1000L;
        }
        try {
            return Instant.parse(v.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ConnectError.badRequest("invalid_request", "expires_at must be epoch seconds or an ISO-8601 instant");
        }
    }

    private static List<String> strings(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v != null && v.isArray()) {
            v.forEach(x -> out.add(x.asText()));
        } else if (v != null && v.isTextual()) {
            out.addAll(List.of(v.asText().trim().split("[\\s,]+")));
            out.removeIf(String::isEmpty);
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonNode v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v != null && v.isObject()) {
            v.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    private static Map<String, Object> view(Imports.Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", o.index());
        m.put("user", o.user());
        m.put("provider", o.provider());
        m.put("connection_id", o.connectionId());
        m.put("result", o.result());
        if (o.detail() != null) {
            m.put("detail", o.detail());
        }
        return m;
    }
}
