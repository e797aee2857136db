package io.kcconnections.connect.spi.template;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How to revoke a grant at the provider when a connection is deleted (RFC 7009 by default).
 *
 * @param url          revocation endpoint; may use template placeholders and {@code {client_id}}
 * @param method       {@code POST} (default) or {@code DELETE}
 * @param clientAuth   how the client authenticates; default: the template's client auth method
 * @param token        which token to revoke: {@code refresh} (default, revokes the grant where supported) or {@code access}
 * @param param        body or query member carrying the token, default {@code token}
 * @param placement    where the token goes: {@code body} (default), {@code query}, {@code bearer} (Authorization header),
 *                     or {@code path} (URL-encoded as one more path segment of {@code url}, HubSpot's
 *                     {@code DELETE /oauth/v1/refresh-tokens/{token}}; no body is sent, so client authentication is
 *                     only sent when it is a header)
 * @param tokenTypeHint whether to send {@code token_type_hint}
 * @param bodyFormat   default: form
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record RevokeSpec(
        @JsonProperty("url") String url,
        @JsonProperty("method") String method,
        @JsonProperty("clientAuth") ClientAuthMethod clientAuth,
        @JsonProperty("token") Which token,
        @JsonProperty("param") String param,
        @JsonProperty("placement") Placement placement,
        @JsonProperty("tokenTypeHint") boolean tokenTypeHint,
        @JsonProperty("bodyFormat") BodyFormat bodyFormat) {

    public RevokeSpec {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("revoke.url is required");
        }
        method = method == null ? "POST" : method.trim().toUpperCase(Locale.ROOT);
        if (!method.equals("POST") && !method.equals("DELETE")) {
            throw new IllegalArgumentException("revoke.method must be POST or DELETE: " + method);
        }
        token = token == null ? Which.REFRESH : token;
        param = param == null || param.isBlank() ? "token" : param;
        placement = placement == null ? Placement.BODY : placement;
        bodyFormat = bodyFormat == null ? BodyFormat.FORM : bodyFormat;
    }

    /** Which stored token a revocation sends. */
    public enum Which {
        ACCESS, REFRESH;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Which of(String v) {
            return v == null ? null : Which.valueOf(v.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** Where the token travels in a revocation request. */
    public enum Placement {
        BODY, QUERY, BEARER, PATH;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Placement of(String v) {
            return v == null ? null : Placement.valueOf(v.trim().toUpperCase(Locale.ROOT));
        }
    }
}
