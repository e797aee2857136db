package io.kcconnections.connect.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The guarded fetch's own guards: URLs shown without credentials, a resolver that refuses internal addresses. */
class GuardedFetchTest {

    @Test
    void shownUrlsCarryNoCredentials() {
        assertEquals("https://…@mcp.example.com/mcp", GuardedFetch.shown("https://user:pa55@mcp.example.com/mcp?api_key=k#frag"));
        assertEquals("https://mcp.example.com/mcp", GuardedFetch.shown("https://mcp.example.com/mcp#access_token=t"));
        assertEquals("http://127.0.0.1:1/x_y", GuardedFetch.shown("http://127.0.0.1:1/x\ny"));
        assertEquals("", GuardedFetch.shown(null));
    }

    @Test
    void pinnedResolverRefusesInternalAddressesAtConnectTime() throws Exception {
        for (String host : new String[]{"127.0.0.1", "localhost", "10.0.0.1", "169.254.169.254", "::1", "64:ff9b::a9fe:a9fe"}) {
            assertThrows(PinnedClients.RefusedAddress.class, () -> PinnedClients.PINNED.resolve(host), host);
        }
        assertEquals("8.8.8.8", PinnedClients.PINNED.resolve("8.8.8.8")[0].getHostAddress());
    }
}
