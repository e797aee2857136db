package io.kcconnections.connect.rest;

import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kcconnections.connect.admin.ConnectAdminResource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document ({@link OpenApiDocument#RESOURCE}) has exactly the routes the JAX-RS annotations make: every
 * resource method of {@link ConnectResource} (under {@code /realms/{realm}/connect}) and of {@link ConnectAdminResource}
 * with its sub-resource locators (under {@code /admin/realms/{realm}/connect}), and nothing else.
 */
class OpenApiRoutesTest {

    private static final Map<Class<? extends Annotation>, String> METHODS = Map.of(GET.class, "GET", POST.class, "POST",
            PUT.class, "PUT", DELETE.class, "DELETE", PATCH.class, "PATCH", HEAD.class, "HEAD", OPTIONS.class, "OPTIONS");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** "METHOD /path/{template}" of every resource method reachable from {@code type} under {@code prefix}. */
    static Set<String> routes(Class<?> type, String prefix, int depth) {
        assertTrue(depth < 5, "sub-resource locators nest too deep at " + prefix);
        Set<String> out = new TreeSet<>();
        String base = join(prefix, type.isAnnotationPresent(Path.class) ? type.getAnnotation(Path.class).value() : "");
        for (Method m : type.getDeclaredMethods()) {
            if (m.isSynthetic() || m.isBridge()) {
                continue;
            }
            String path = m.isAnnotationPresent(Path.class) ? join(base, m.getAnnotation(Path.class).value()) : base;
            String verb = METHODS.entrySet().stream().filter(e -> m.isAnnotationPresent(e.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (verb != null) {
                out.add(verb + " " + path);
            } else if (m.isAnnotationPresent(Path.class)) {
                out.addAll(routes(m.getReturnType(), path, depth + 1));   // a sub-resource locator
            }
        }
        return out;
    }

    /** Joins path segments, dropping regular expressions from templates ({id: .*} is {id}). */
    private static String join(String a, String b) {
        String s = (a + "/" + b).replaceAll("/+", "/").replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
        return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static JsonNode document() throws Exception {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            assertNotNull(in, OpenApiDocument.RESOURCE);
            return JSON.readTree(in);
        }
    }

    /** The document's routes: a path item with its own servers is at the server's root, others under the realm. */
    static Set<String> documented(JsonNode doc) {
        Set<String> out = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> item = it.next();
            String prefix = item.getValue().has("servers") ? "" : "/realms/{realm}";
            for (Iterator<String> names = item.getValue().fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!List.of("servers", "parameters", "summary", "description").contains(name)) {
                    out.add(name.toUpperCase(java.util.Locale.ROOT) + " " + prefix + item.getKey());
                }
            }
        }
        return out;
    }

    @Test
    void theDocumentHasExactlyTheAnnotatedRoutes() throws Exception {
        Set<String> code = new TreeSet<>(routes(ConnectResource.class, "/realms/{realm}/connect", 0));
        code.addAll(routes(ConnectAdminResource.class, "/admin/realms/{realm}/connect", 0));
        assertTrue(code.contains("GET /realms/{realm}/connect/openapi.json"), "the document's own route: " + code);
        assertTrue(code.contains("DELETE /admin/realms/{realm}/connect/users/{userId}/connections/{connectionId}"),
                "sub-resource locators are followed: " + code);
        Set<String> doc = documented(document());

        Set<String> undocumented = new TreeSet<>(code);
        undocumented.removeAll(doc);
        Set<String> unknown = new TreeSet<>(doc);
        unknown.removeAll(code);
        assertTrue(undocumented.isEmpty() && unknown.isEmpty(), "routes missing from openapi.json: " + undocumented
                + "; openapi.json routes no resource serves: " + unknown);
        assertEquals(code, doc);
    }

    @Test
    void everyOperationIsComplete() throws Exception {
        JsonNode doc = document();
        assertTrue(doc.get("openapi").asText().startsWith("3.1."));
        Set<String> ids = new TreeSet<>();
        doc.get("paths").fields().forEachRemaining(item -> item.getValue().fields().forEachRemaining(op -> {
            if (op.getKey().equals("servers")) {
                return;
            }
            String where = op.getKey() + " " + item.getKey();
            JsonNode o = op.getValue();
            assertTrue(ids.add(o.path("operationId").asText()), "a unique operationId: " + where);
            assertFalse(o.path("summary").asText().isBlank(), "summary: " + where);
            assertTrue(o.path("responses").size() > 0, "responses: " + where);
            for (String t : templates(item.getKey())) {
                boolean declared = false;
                for (JsonNode p : o.path("parameters")) {
                    JsonNode param = p.has("$ref") ? resolve(doc, p.get("$ref").asText()) : p;
                    declared |= param.path("in").asText().equals("path") && param.path("name").asText().equals(t);
                }
                assertTrue(declared, "path parameter {" + t + "} declared: " + where);
            }
        }));
        assertEquals("bearer", doc.at("/components/securitySchemes/bearer/scheme").asText());
        assertTrue(doc.at("/components/schemas/Error/properties").has("error_description"));
    }

    private static List<String> templates(String path) {
        return java.util.regex.Pattern.compile("\\{(\\w+)}").matcher(path).results().map(r -> r.group(1)).toList();
    }

    private static JsonNode resolve(JsonNode doc, String ref) {
        return doc.at(ref.substring(1));
    }

    @Test
    void servedWithTheRealmsUrls() throws Exception {
        JsonNode doc = JSON.readTree(OpenApiDocument.render(URI.create("https://sso.example.com/auth/"), "my realm"));
        assertEquals("https://sso.example.com/auth/realms/my%20realm", doc.at("/servers/0/url").asText());
        assertEquals("https://sso.example.com/auth", doc.at("/servers/1/url").asText());
        assertEquals("https://sso.example.com/auth",
                doc.at("/paths/~1admin~1realms~1{realm}~1connect~1providers/servers/0/url").asText());
        String demo = OpenApiDocument.render(URI.create("http://localhost:8080/"), "demo");
        assertFalse(demo.contains("${realm.url}") || demo.contains("${server.url}"), "every placeholder filled in");
    }
}
