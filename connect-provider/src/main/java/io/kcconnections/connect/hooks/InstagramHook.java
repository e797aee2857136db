package io.kcconnections.connect.hooks;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.connect.spi.ProviderHook;

/**
 * Instagram API with Instagram Login ({@code hook: instagram}). The code exchange gives a token that lives one hour
 * and there are no refresh tokens; instead:
 * <ul>
 * <li>right after the exchange the short-lived token is traded for a long-lived one (about 60 days):
 * {@code GET {graph_url}/access_token?grant_type=ig_exchange_token&client_secret=…&access_token=…};</li>
 * <li>a long-lived token (at least 24 hours old, not expired) is renewed for another 60 days:
 * {@code GET {graph_url}/refresh_access_token?grant_type=ig_refresh_token&access_token=…}.</li>
 * </ul>
 * The long-lived token is kept as the connection's refresh token too, so that the refresher renews it
 * ({@code idleRefreshDays} in the template makes that happen well before it expires). Graph API errors
 * ({@code {"error": {"code": 190, …}}}: the token is invalid or expired) are read as {@code invalid_grant}.
 */
final class InstagramHook implements ProviderHook {

    /** Graph API error code of an invalid or expired access token. */
    static final int INVALID_TOKEN = 190;

    @Override
    public Call afterCodeExchange(Context context, ObjectNode answer) {
        String shortLived = answer.path("access_token").asText(null);
        if (shortLived == null) {
            return null;
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("grant_type", "ig_exchange_token");
        q.put("access_token", shortLived);
        return new Call("GET", graph(context) + "/access_token", q, true);
    }

    @Override
    public Call refreshCall(Context context, String refreshToken) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("grant_type", "ig_refresh_token");
        q.put("access_token", refreshToken);
        return new Call("GET", graph(context) + "/refresh_access_token", q, false);
    }

    @Override
    public void tokenResponse(Context context, Step step, ObjectNode response) {
        JsonNode error = response.get("error");
        if (error != null && error.isObject()) {
            boolean dead = error.path("code").asInt() == INVALID_TOKEN;
            String message = error.path("message").asText("");
            response.put("error", dead ? "invalid_grant" : "graph_error_" + error.path("code").asInt());
            response.put("error_description", message);
            return;
        }
        JsonNode data = response.get("data");
        if (!response.has("access_token") && data != null && data.isArray() && data.size() == 1 && data.get(0).isObject()) {
            response.setAll((ObjectNode) data.get(0)); // the documented sample wraps the exchange answer in data[0]
        }
        if (response.hasNonNull("access_token") && response.hasNonNull("expires_in") && !response.has("refresh_token")) {
            response.put("refresh_token", response.get("access_token").asText());
        }
    }

    private static String graph(Context context) {
        String base = context.values().get("graph_url");
        if (base == null || base.isBlank()) {
            throw new IllegalStateException("instagram needs the template value graph_url");
        }
        return base;
    }
}
