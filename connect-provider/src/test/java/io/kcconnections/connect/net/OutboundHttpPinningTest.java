package io.kcconnections.connect.net;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.models.KeycloakSession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Provider calls connect to the address they checked: a name that passed the caller's pre-check and resolves inward
 * when the call connects (DNS rebinding; here {@code localhost}, as if the pre-check had been passed) is refused before
 * a single byte is sent, unless private hosts are allowed or the operator chose Keycloak's client.
 */
class OutboundHttpPinningTest {

    private HttpServer server;
    private final AtomicInteger received = new AtomicInteger();
    private CloseableHttpClient keycloaksClient;
    private final AtomicInteger keycloakClientUses = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            received.incrementAndGet();
            byte[] b = "{\"access_token\":\"t\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        keycloaksClient = HttpClients.createDefault();
    }

    @AfterEach
    void stop() throws Exception {
        keycloaksClient.close();
        server.stop(0);
    }

    private OutboundRequest token() {
        return new OutboundRequest("POST", "http://localhost:" + server.getAddress().getPort() + "/", false,
                Map.of("grant_type", "refresh_token"), Map.of("Accept", "application/json"));
    }

    private KeycloakSession session() {
        return StubSession.withHttpClient(keycloaksClient, HttpClientProvider.DEFAULT_MAX_CONSUMED_RESPONSE_SIZE,
                keycloakClientUses);
    }

    @Test
    void aNameResolvingInwardAtConnectTimeIsRefusedAndNothingIsSent() {
        OutboundHttp http = new OutboundHttp(null, new HostPolicy(false), OutboundHttp.Options.DEFAULTS);
        assertTrue(http.pinned());
        PinnedClients.RefusedAddress e = assertThrows(PinnedClients.RefusedAddress.class, () -> http.send(token()));
        assertEquals("host localhost resolves to a non-public address", e.getMessage());
        assertEquals(0, received.get(), "the server got no request");
    }

    @Test
    void theStrictPathNeverTouchesKeycloaksClient() {
        OutboundHttp http = new OutboundHttp(session(), new HostPolicy(false), OutboundHttp.Options.DEFAULTS);
        assertThrows(PinnedClients.RefusedAddress.class, () -> http.send(token()));
        assertEquals(0, keycloakClientUses.get());
        assertEquals(0, received.get());
    }

    @Test
    void withPrivateHostsAllowedKeycloaksClientCarriesTheCall() throws Exception {
        OutboundHttp http = new OutboundHttp(session(), new HostPolicy(true), OutboundHttp.Options.DEFAULTS);
        assertFalse(http.pinned());
        OutboundHttp.Reply r = http.send(token());
        assertEquals(200, r.status());
        assertEquals("{\"access_token\":\"t\"}", r.body());
        assertEquals(1, received.get());
        assertEquals(1, keycloakClientUses.get());
    }

    @Test
    void theOperatorMayChooseKeycloaksClientAndLosesThePinning() throws Exception {
        OutboundHttp http = new OutboundHttp(session(), new HostPolicy(false),
                new OutboundHttp.Options(OutboundHttp.DEFAULT_DEADLINE_MILLIS, OutboundHttp.DEFAULT_MAX_RESPONSE_BYTES, true));
        assertFalse(http.pinned());
        assertEquals(200, http.send(token()).status());
        assertEquals(1, received.get(), "documented trade-off: only the caller's pre-check guards this path");
    }

    @Test
    void pinnedRequestsFollowNoRedirectAndNoWaitOutlastsTheDeadline() {
        RequestConfig c = OutboundHttp.pinnedConfig(4_000);
        assertFalse(c.isRedirectsEnabled());
        assertEquals(4_000, c.getSocketTimeout());
        assertEquals(4_000, c.getConnectTimeout());
        assertEquals(10_000, OutboundHttp.pinnedConfig(30_000).getConnectTimeout());
    }
}
