package io.kcconnections.connect.oauth;

import java.util.Map;

import io.kcconnections.connect.net.OutboundRequest;
import io.kcconnections.connect.spi.template.BodyFormat;

/**
 * One request to a provider endpoint, fully built by {@link ProviderRequests}: what {@link ProviderTransport#send}
 * puts on the wire.
 *
 * @param format how {@code body} is encoded (a DELETE with an empty form body sends none)
 */
record Outbound(String method, String url, BodyFormat format, Map<String, String> body, Map<String, String> headers,
                String shownUrl) {

    Outbound(String method, String url, BodyFormat format, Map<String, String> body, Map<String, String> headers) {
        this(method, url, format, body, headers, null);
    }

    /**
     * The URL as logs may show it: without its query (client secrets, tokens), and with a token that is part of the
     * path (HubSpot's revocation) written as {@code {token}}.
     */
    String shown() {
        String u = shownUrl != null ? shownUrl : url;
        int i = u.indexOf('?');
        return i < 0 ? u : u.substring(0, i);
    }

    /** The same request for {@link io.kcconnections.connect.net.OutboundHttp}. */
    OutboundRequest toRequest() {
        return new OutboundRequest(method, url, format == BodyFormat.JSON, body, headers);
    }
}
