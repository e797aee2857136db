package io.kcconnections.connect.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.connection.ConnectError;
import org.keycloak.models.KeycloakSession;

/** The HTTP edge of every resource: JSON answers, the one mapping of {@link ConnectError}, request parameters. */
public final class Responses {

    private Responses() {
    }

    /** A resource's work, which may refuse with a {@link ConnectError}. */
    @FunctionalInterface
    public interface Work {
        Response run() throws ConnectError;
    }

    /** Runs {@code work}; a {@link ConnectError} becomes its JSON answer. */
    public static Response handle(Work work) {
        try {
            return work.run();
        } catch (ConnectError e) {
            return e.toResponse();
        }
    }

    /** A JSON answer that no cache keeps (token answers and everything about connections). */
    public static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body)
                .cacheControl(ConnectError.noStore()).header("Pragma", "no-cache").build();
    }

    /** Query parameters, overlaid with a form body's when there is one. */
    static MultivaluedMap<String, String> queryAndForm(KeycloakSession session) {
        MultivaluedMap<String, String> all = new MultivaluedHashMap<>();
        all.putAll(session.getContext().getUri().getQueryParameters());
        try {
            MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
            if (form != null) {
                form.forEach(all::put);
            }
        } catch (RuntimeException e) {
            // Not a form body: query parameters only.
        }
        return all;
    }
}
