package io.kcconnections.connect.mcp;

import io.kcconnections.connect.net.FetchException;
import io.kcconnections.connect.net.GuardedFetch;
import java.util.List;

import io.kcconnections.connect.net.HostPolicy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Metadata checks with the production host policy (private hosts not allowed): what the IT cannot serve over https. */
class McpMetadataTest {

    private static final HostPolicy STRICT = new HostPolicy(false);
    private static final String SERVER = "https://mcp.example.com/mcp";
    private static final String ISSUER = "https://auth.example.com";

    private static String as(String token) {
        return "{\"issuer\":\"" + ISSUER + "\",\"authorization_endpoint\":\"https://auth.example.com/authorize\","
                + "\"token_endpoint\":\"" + token + "\",\"code_challenge_methods_supported\":[\"S256\"]}";
    }

    @Test
    void wellFormedMetadataIsAccepted() throws Exception {
        McpDiscovery.Prm prm = McpDiscovery.parseProtectedResource("{\"resource\":\"" + SERVER
                + "\",\"authorization_servers\":[\"" + ISSUER + "\"],\"scopes_supported\":[\"read\"]}", SERVER, STRICT);
        assertEquals(List.of(ISSUER), prm.authorizationServers());
        assertEquals(List.of("read"), prm.scopes());
        McpDiscovery.AuthorizationServer a = McpDiscovery.parseAuthorizationServer(as("https://auth.example.com/token"), ISSUER, STRICT);
        assertEquals("https://auth.example.com/token", a.tokenEndpoint());
    }

    @Test
    void endpointsOnPrivateOrLoopbackAddressesOrHttpAreRefused() {
        for (String bad : List.of("http://auth.example.com/token", "https://127.0.0.1/token", "https://10.0.0.7/token",
                "https://[::1]/token", "https://localhost/token", "https://metadata.internal/token",
                "https://169.254.169.254/latest", "https://user:pw@auth.example.com/token")) {
            FetchException e = assertThrows(FetchException.class, () -> McpDiscovery.parseAuthorizationServer(as(bad), ISSUER, STRICT), bad);
            assertEquals("mcp_address_refused", e.code(), bad);
            assertEquals(502, e.status());
        }
        FetchException e = assertThrows(FetchException.class, () -> McpDiscovery.parseProtectedResource("{\"resource\":\"" + SERVER
                + "\",\"authorization_servers\":[\"https://192.168.1.1\"]}", SERVER, STRICT));
        assertEquals("mcp_metadata_invalid", e.code());
    }

    @Test
    void issuerMismatchAndMissingPkceAreRefused() {
        assertEquals("mcp_issuer_mismatch", assertThrows(FetchException.class, () -> McpDiscovery.parseAuthorizationServer(
                as("https://auth.example.com/token"), "https://other.example.com", STRICT)).code());
        assertEquals("mcp_pkce_unsupported", assertThrows(FetchException.class, () -> McpDiscovery.parseAuthorizationServer(
                as("https://auth.example.com/token").replace("S256", "plain"), ISSUER, STRICT)).code());
        assertEquals("mcp_pkce_unsupported", assertThrows(FetchException.class, () -> McpDiscovery.parseAuthorizationServer(
                as("https://auth.example.com/token").replace(",\"code_challenge_methods_supported\":[\"S256\"]", ""), ISSUER,
                STRICT)).code(), "no declared PKCE methods: refused (MCP authorization spec)");
        assertEquals("mcp_metadata_invalid", assertThrows(FetchException.class, () -> McpDiscovery.parseAuthorizationServer(
                "[1,2]", ISSUER, STRICT)).code());
    }

    @Test
    void resourceMustCoverTheServer() {
        assertTrue(McpDiscovery.covers("https://mcp.example.com/mcp", SERVER));
        assertFalse(McpDiscovery.covers("https://mcp.example.com", SERVER), "a prefix names more than this server");
        assertTrue(McpDiscovery.covers("https://mcp.example.com:443/mcp/", SERVER));
        assertFalse(McpDiscovery.covers("https://mcp.example.com/mc", SERVER));
        assertFalse(McpDiscovery.covers("https://evil.example.com/mcp", SERVER));
        assertFalse(McpDiscovery.covers("http://mcp.example.com/mcp", SERVER));
    }

    @Test
    void appUrlIsCheckedBeforeAnyRequest() {
        GuardedFetch f = new GuardedFetch(STRICT, 65536);
        assertNotNull(f.refusal("http://mcp.example.com/mcp"));
        assertNotNull(f.refusal("https://127.0.0.1/mcp"));
        assertNotNull(f.refusal("https://localhost/mcp"));
        assertNotNull(f.refusal("https://x.example.com/" + "a".repeat(3000)));
        FetchException e = assertThrows(FetchException.class, () -> McpDiscovery.discoverNow(f, STRICT, "https://10.1.2.3/mcp"));
        assertEquals(400, e.status());
        assertEquals("invalid_mcp_server_url", e.code());
    }

    @Test
    void wellKnownLocations() {
        assertEquals(List.of("https://mcp.example.com/.well-known/oauth-protected-resource/mcp",
                "https://mcp.example.com/.well-known/oauth-protected-resource"), McpDiscovery.protectedResourceCandidates(SERVER));
        assertEquals(List.of("https://kc.example.com/.well-known/oauth-authorization-server/realms/a",
                        "https://kc.example.com/.well-known/openid-configuration/realms/a",
                        "https://kc.example.com/realms/a/.well-known/openid-configuration"),
                McpDiscovery.authorizationServerCandidates("https://kc.example.com/realms/a"));
        assertEquals("https://x.example.com/prm", McpDiscovery.resourceMetadataUrl(
                "Bearer error=\"invalid_token\", resource_metadata=\"https://x.example.com/prm\""));
        assertNull(McpDiscovery.resourceMetadataUrl("Bearer realm=\"x\""));
    }
}
