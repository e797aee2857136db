package io.kcconnections.connect.spi.template;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where the fields of a token response sit. Each field is either a member name, looked up under {@link #path()},
 * or an absolute JSON pointer starting with {@code /}.
 *
 * @param path             JSON pointer of the object holding the token fields; empty for the top level
 *                         ({@code /authed_user} for a Slack user token)
 * @param accessToken      default {@code access_token}
 * @param refreshToken     default {@code refresh_token}
 * @param expiresIn        relative lifetime in seconds, default {@code expires_in}
 * @param expiresAt        absolute expiry (epoch seconds, or milliseconds when above 10^12); none by default
 * @param scope            granted scopes, default {@code scope}
 * @param tokenType        default {@code token_type}
 * @param idToken          default {@code id_token}
 * @param defaultExpiresIn lifetime in seconds to assume when the response states none; null means the token does not expire
 * @param refreshPath      JSON pointer of the object holding the token fields in a <em>refresh</em> response, when it
 *                         differs from {@link #path()} (a refreshed Slack user token sits at the top level: {@code ""});
 *                         default: {@link #path()}
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record TokenResponseSpec(
        @JsonProperty("path") String path,
        @JsonProperty("accessToken") String accessToken,
        @JsonProperty("refreshToken") String refreshToken,
        @JsonProperty("expiresIn") String expiresIn,
        @JsonProperty("expiresAt") String expiresAt,
        @JsonProperty("scope") String scope,
        @JsonProperty("tokenType") String tokenType,
        @JsonProperty("idToken") String idToken,
        @JsonProperty("defaultExpiresIn") Long defaultExpiresIn,
        @JsonProperty("refreshPath") String refreshPath) {

    public static final TokenResponseSpec STANDARD = new TokenResponseSpec(null, null, null, null, null, null, null, null, null, null);

    public TokenResponseSpec {
        path = path == null ? "" : path;
        if (!path.isEmpty() && !path.startsWith("/")) {
            throw new IllegalArgumentException("tokenResponse.path must be a JSON pointer starting with '/': " + path);
        }
        accessToken = orDefault(accessToken, "access_token");
        refreshToken = orDefault(refreshToken, "refresh_token");
        expiresIn = orDefault(expiresIn, "expires_in");
        scope = orDefault(scope, "scope");
        tokenType = orDefault(tokenType, "token_type");
        idToken = orDefault(idToken, "id_token");
        refreshPath = refreshPath == null ? path : refreshPath;
        if (!refreshPath.isEmpty() && !refreshPath.startsWith("/")) {
            throw new IllegalArgumentException("tokenResponse.refreshPath must be empty or a JSON pointer starting with '/': "
                    + refreshPath);
        }
        if (defaultExpiresIn != null && defaultExpiresIn <= 0) {
            throw new IllegalArgumentException("tokenResponse.defaultExpiresIn must be positive");
        }
    }

    /** This spec as it applies to refresh responses: {@link #refreshPath()} in place of {@link #path()}. */
    public TokenResponseSpec forRefresh() {
        return refreshPath.equals(path) ? this : new TokenResponseSpec(refreshPath, accessToken, refreshToken, expiresIn,
                expiresAt, scope, tokenType, idToken, defaultExpiresIn, refreshPath);
    }

    /** The absolute JSON pointer of a field given by name or pointer. */
    public String pointer(String field) {
        if (field == null) {
            return null;
        }
        return field.startsWith("/") ? field : path + "/" + field;
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isBlank() ? d : v;
    }
}
