package io.kcconnections.connect.connection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The one error type of the connect flow and the admin API, answered as JSON
 * {@code {"error": code, "error_description": text}} (plus {@code problems} where a configuration was refused for
 * several reasons). Thrown by the services and turned into a response at the resource's edge by
 * {@link #toResponse()}, so no error ever falls through to an HTML page. Descriptions are built from constants and
 * sanitised values only ({@link Inputs#shown}).
 */
public final class ConnectError extends Exception {

    private final int status;
    private final String code;
    private final List<String> problems;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public ConnectError(int status, String code, String description) {
        this(status, code, description, null);
    }

    public ConnectError(int status, String code, String description, List<String> problems) {
        super(description, null, false, false);
        this.status = status;
        this.code = code;
        this.problems = problems;
    }

    public ConnectError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Adds a field to the JSON answer (e.g. {@code connect_url}); a null value adds nothing. */
    public ConnectError with(String name, Object value) {
        if (value != null) {
            fields.put(name, value);
        }
        return this;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Response toResponse() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", getMessage());
        if (problems != null) {
            body.put("problems", problems);
        }
        body.putAll(fields);
        Response.ResponseBuilder b = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body)
                .cacheControl(noStore());
        headers.forEach(b::header);
        return b.build();
    }

    /** {@code no-store, no-cache}: for every answer that carries a token or an error. */
    public static CacheControl noStore() {
        CacheControl cc = new CacheControl();
        cc.setNoStore(true);
        cc.setNoCache(true);
        return cc;
    }

    public static ConnectError badRequest(String code, String description) {
        return new ConnectError(400, code, description);
    }

    public static ConnectError unauthorized(String description) {
        return new ConnectError(401, "invalid_token", description).header("WWW-Authenticate", "Bearer");
    }

    public static ConnectError forbidden(String code, String description) {
        return new ConnectError(403, code, description);
    }

    public static ConnectError notFound(String description) {
        return new ConnectError(404, "not_found", description);
    }
}
