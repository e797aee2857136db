package io.kcconnections.connect.oauth;

import java.util.List;
import java.util.Map;

/**
 * A normalised token response.
 *
 * @param accessToken  never null
 * @param refreshToken null when the response carried none (keep the stored one)
 * @param tokenType    as sent, {@code Bearer} when absent
 * @param expiresAt    epoch millis, null when the token does not expire
 * @param scopes       granted scopes (the requested ones when the response does not say)
 * @param idToken      OpenID Connect ID token, if any
 * @param raw          the whole response as JSON text (stored encrypted)
 * @param captured     per-connection values named by the template's {@code capture}
 */
public record TokenSet(String accessToken, String refreshToken, String tokenType, Long expiresAt, List<String> scopes,
                       String idToken, String raw, Map<String, String> captured) {

    @Override
    public String toString() {
        return "TokenSet[tokenType=" + tokenType + ", expiresAt=" + expiresAt + ", scopes=" + scopes
                + ", refreshToken=" + (refreshToken != null ? "present" : "absent") + "]";
    }
}
