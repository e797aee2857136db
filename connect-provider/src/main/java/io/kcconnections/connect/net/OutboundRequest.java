package io.kcconnections.connect.net;

import java.util.Map;

/**
 * One outbound HTTP request, fully built: what {@link OutboundHttp#send} puts on the wire.
 *
 * @param method  {@code POST}, {@code GET} or {@code DELETE}
 * @param url     the absolute URL, query included
 * @param json    whether {@code body} goes out as a JSON object (else as an {@code application/x-www-form-urlencoded}
 *                form); a DELETE with an empty body sends none
 * @param body    the body's members, in order; null for a POST without any body (no entity, no Content-Type)
 * @param headers the request headers, in order
 */
public record OutboundRequest(String method, String url, boolean json, Map<String, String> body,
                              Map<String, String> headers) {

    /** Whether this request needs a DELETE that carries a body (which Keycloak's SimpleHttp does not send). */
    boolean deleteWithBody() {
        return "DELETE".equals(method) && body != null && !body.isEmpty();
    }
}
