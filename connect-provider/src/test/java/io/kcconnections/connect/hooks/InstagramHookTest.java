package io.kcconnections.connect.hooks;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.connect.spi.ProviderHook;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.util.JsonSerialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstagramHookTest {

    private static final InstagramHook HOOK = new InstagramHook();
    private static final ProviderHook.Context CTX = new ProviderHook.Context(null, null, null,
            Map.of("graph_url", "https://graph.instagram.com"), "the-client");

    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) JsonSerialization.mapper.readTree(s);
    }

    @Test
    @DisplayName("after the code exchange: GET graph/access_token with ig_exchange_token, the short-lived token and the secret")
    void longLivedExchange() throws Exception {
        ProviderHook.Call c = HOOK.afterCodeExchange(CTX, json("{\"access_token\":\"IGQ-short\",\"user_id\":17841,\"permissions\":[]}"));
        assertEquals("GET", c.method());
        assertEquals("https://graph.instagram.com/access_token", c.url());
        assertEquals(Map.of("grant_type", "ig_exchange_token", "access_token", "IGQ-short"), c.query());
        assertTrue(c.withClientSecret());
    }

    @Test
    @DisplayName("a refresh is GET graph/refresh_access_token with ig_refresh_token and the long-lived token, no secret")
    void refresh() {
        ProviderHook.Call c = HOOK.refreshCall(CTX, "IGQ-long");
        assertEquals("GET", c.method());
        assertEquals("https://graph.instagram.com/refresh_access_token", c.url());
        assertEquals(Map.of("grant_type", "ig_refresh_token", "access_token", "IGQ-long"), c.query());
        assertFalse(c.withClientSecret());
    }

    @Test
    @DisplayName("a long-lived token is also the refresh token; a short-lived one is not; Graph error 190 is invalid_grant")
    void answers() throws Exception {
        ObjectNode longLived = json("{\"access_token\":\"IGQ-long\",\"token_type\":\"bearer\",\"expires_in\":5183944}");
        HOOK.tokenResponse(CTX, ProviderHook.Step.CODE_EXCHANGE, longLived);
        assertEquals("IGQ-long", longLived.path("refresh_token").asText());
        ObjectNode shortLived = json("{\"data\":[{\"access_token\":\"IGQ-short\",\"user_id\":\"17841\",\"permissions\":\"x\"}]}");
        HOOK.tokenResponse(CTX, ProviderHook.Step.CODE_EXCHANGE, shortLived);
        assertEquals("IGQ-short", shortLived.path("access_token").asText(), "the documented data[0] wrapping is unwrapped");
        assertFalse(shortLived.has("refresh_token"));
        ObjectNode dead = json("{\"error\":{\"message\":\"Error validating access token: Session has expired\","
                + "\"type\":\"OAuthException\",\"code\":190}}");
        HOOK.tokenResponse(CTX, ProviderHook.Step.REFRESH, dead);
        assertEquals("invalid_grant", dead.path("error").asText());
        ObjectNode other = json("{\"error\":{\"message\":\"Please reduce the amount of data\",\"code\":1}}");
        HOOK.tokenResponse(CTX, ProviderHook.Step.REFRESH, other);
        assertEquals("graph_error_1", other.path("error").asText());
    }
}
