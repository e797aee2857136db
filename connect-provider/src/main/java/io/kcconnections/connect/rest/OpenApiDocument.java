package io.kcconnections.connect.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.models.KeycloakSession;

/**
 * The OpenAPI 3.1 description of the connect API and the admin API ({@code kcconnections/openapi.json} in this jar,
 * written by hand; {@code OpenApiRoutesTest} keeps its routes equal to the JAX-RS ones), answered with this realm's
 * URL and the server's root in {@code servers}. Public: it names routes and shapes, nothing of the realm's data.
 */
public final class OpenApiDocument {

    /** Where the document lives on the class path. */
    public static final String RESOURCE = "/kcconnections/openapi.json";
    private static final String TEXT = load();

    private OpenApiDocument() {
    }

    private static String load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document with {@code ${realm.url}} and {@code ${server.url}} filled in (JSON-escaped). */
    static String render(URI serverBase, String realmName) {
        String root = serverBase.toString().replaceAll("/+$", "");
        String realmUrl = root + "/realms/" + encodeSegment(realmName);
        return TEXT.replace("${realm.url}", jsonEscape(realmUrl)).replace("${server.url}", jsonEscape(root));
    }

    /** GET {@code /realms/{realm}/connect/openapi.json}. */
    static Response serve(KeycloakSession session) {
        String body = render(session.getContext().getUri().getBaseUri(), session.getContext().getRealm().getName());
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8")).cacheControl(cache).build();
    }

    private static String encodeSegment(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
