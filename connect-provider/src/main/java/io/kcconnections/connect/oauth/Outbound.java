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
record Outbound(String method, String url, BodyFormat format, Map<String, String> body, Map<String, String> headers) {

    /** The same request for {@link io.kcconnections.connect.net.OutboundHttp}. */
    OutboundRequest toRequest() {
        return new OutboundRequest(method, url, format == BodyFormat.JSON, body, headers);
    }
}
