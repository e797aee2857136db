package io.kcconnections.connect.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An error answered as JSON {@code {"error": code, "error_description": text}}. Thrown inside resource methods and
 * turned into a response at their edge, so no error ever falls through to an HTML page. Descriptions are built from
 * constants and sanitised values only.
 */
public final class ApiError extends Exception {

    private final int status;
    private final String code;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiError(int status, String code, String description) {
        super(description, null, false, false);
        this.status = status;
        this.code = code;
    }

    public ApiError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Response toResponse() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", getMessage());
        Response.ResponseBuilder b = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body)
                .cacheControl(noStore());
        headers.forEach(b::header);
        return b.build();
    }

    static CacheControl noStore() {
        CacheControl cc = new CacheControl();
        cc.setNoStore(true);
        cc.setNoCache(true);
        return cc;
    }

    public static ApiError badRequest(String code, String description) {
        return new ApiError(400, code, description);
    }

    public static ApiError unauthorized(String description) {
        return new ApiError(401, "invalid_token", description).header("WWW-Authenticate", "Bearer");
    }

    public static ApiError forbidden(String code, String description) {
        return new ApiError(403, code, description);
    }

    public static ApiError notFound(String description) {
        return new ApiError(404, "not_found", description);
    }

    /** A value echoed into a description: short, printable, no markup. */
    static String shown(String v) {
        if (v == null) {
            return "";
        }
        String s = v.replaceAll("[^A-Za-z0-9._:/@+-]", "_");
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
