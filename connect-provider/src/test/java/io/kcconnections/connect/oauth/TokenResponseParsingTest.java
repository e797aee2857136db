package io.kcconnections.connect.oauth;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenResponseParsingTest {

    private static ProviderTemplate template(String extra) throws Exception {
        return ProviderTemplate.parse("name: p\nauthorizeUrl: https://p.example.com/a\ntokenUrl: https://p.example.com/t\n" + extra);
    }

    @Test
    void standardJson() throws Exception {
        ObjectNode json = TokenResponses.parseBody("{\"access_token\":\"at\",\"refresh_token\":\"rt\",\"expires_in\":3600,"
                + "\"scope\":\"a b\",\"token_type\":\"bearer\"}");
        TokenSet t = TokenResponses.toTokenSet(template(""), json, List.of("x"));
        assertEquals("at", t.accessToken());
        assertEquals("rt", t.refreshToken());
        assertEquals(List.of("a", "b"), t.scopes());
        assertTrue(t.expiresAt() > System.currentTimeMillis() + 3500_000);
        assertEquals("bearer", t.tokenType());
    }

    @Test
    void formEncodedAnswerLikeGithubWithoutAcceptHeader() throws Exception {
        ObjectNode json = TokenResponses.parseBody("access_token=gho_abc&scope=repo%2Cgist&token_type=bearer");
        TokenSet t = TokenResponses.toTokenSet(template(""), json, List.of());
        assertEquals("gho_abc", t.accessToken());
        assertEquals(List.of("repo", "gist"), t.scopes());
        assertNull(t.expiresAt(), "no expiry stated: the token does not expire");
        assertNull(t.refreshToken());
    }

    @Test
    void nestedTokenLikeSlackUserTokens() throws Exception {
        ObjectNode json = TokenResponses.parseBody("{\"ok\":true,\"access_token\":\"xoxb-bot\",\"team\":{\"id\":\"T1\"},"
                + "\"authed_user\":{\"id\":\"U1\",\"access_token\":\"xoxp-user\",\"scope\":\"search:read,chat:write\","
                + "\"refresh_token\":\"xoxe-r\",\"expires_in\":43200,\"token_type\":\"user\"}}");
        TokenSet t = TokenResponses.toTokenSet(template("tokenResponse: {path: /authed_user}\ncapture: {team_id: /team/id}\n"), json, List.of());
        assertEquals("xoxp-user", t.accessToken());
        assertEquals("xoxe-r", t.refreshToken());
        assertEquals(List.of("search:read", "chat:write"), t.scopes());
        assertEquals("T1", t.captured().get("team_id"));
    }

    @Test
    void expiryFallbacks() throws Exception {
        TokenSet absolute = TokenResponses.toTokenSet(template("tokenResponse: {expiresAt: expires_at}\n"),
                TokenResponses.parseBody("{\"access_token\":\"a\",\"expires_at\":4102444800}"), List.of());
        assertEquals(4102444800_000L, absolute.expiresAt());
        TokenSet millis = TokenResponses.toTokenSet(template("tokenResponse: {expiresAt: expires_at}\n"),
                TokenResponses.parseBody("{\"access_token\":\"a\",\"expires_at\":4102444800000}"), List.of());
        assertEquals(4102444800_000L, millis.expiresAt());
        TokenSet fallback = TokenResponses.toTokenSet(template("tokenResponse: {defaultExpiresIn: 7200}\n"),
                TokenResponses.parseBody("{\"access_token\":\"a\",\"instance_url\":\"https://x.my.salesforce.com\"}"), List.of());
        assertNotNull(fallback.expiresAt());
        TokenSet text = TokenResponses.toTokenSet(template(""), TokenResponses.parseBody("{\"access_token\":\"a\",\"expires_in\":\"60\"}"), List.of());
        assertTrue(text.expiresAt() - System.currentTimeMillis() <= 60_000);
    }

    @Test
    void noAccessTokenIsAnInvalidResponse() throws Exception {
        ProviderCallException e = assertThrows(ProviderCallException.class, () ->
                TokenResponses.toTokenSet(template(""), TokenResponses.parseBody("{\"token\":\"a\"}"), List.of()));
        assertEquals("invalid_response", e.code());
        assertEquals(ProviderCallException.Kind.TRANSIENT, e.kind());
    }

    @Test
    void garbageIsNotParsed() {
        assertNull(TokenResponses.parseBody("<html>Bad gateway</html>"));
        assertNull(TokenResponses.parseBody(""));
        assertNull(TokenResponses.parseBody("[1,2]"));
        assertNull(TokenResponses.parseBody("{not json"));
    }

    @Test
    void errorCodesAreSanitised() {
        assertEquals("invalid_grant", TokenResponses.safeCode("invalid_grant"));
        assertEquals("_script_", TokenResponses.safeCode("<script>"));
        assertTrue(TokenResponses.safeText("a\nb\u0000c").indexOf('\n') < 0);
    }
}
