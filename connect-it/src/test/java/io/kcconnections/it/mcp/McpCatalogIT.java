package io.kcconnections.it.mcp;

import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.it.fakes.McpTestServer;
import io.kcconnections.it.harness.Admin;
import io.kcconnections.it.harness.Browser;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MCP server catalog: the bundled servers and the operator's file (here one entry pointing at a loopback MCP server
 * whose authorization server is the upstream realm), searched with a bearer token; installing is connecting through
 * the MCP flow, idempotent both ways.
 */
class McpCatalogIT {

    private static final String TRUSTED_HOSTS_TYPE = "org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy";
    private static McpTestServer mcp;
    private static final List<String> registeredUpstream = new ArrayList<>();

    @FreshRealm
    private TestRealm realm;

    @BeforeAll
    static void startMcp() throws Exception {
        mcp = new McpTestServer();
        String upstream = TestServer.baseUrl() + "/realms/" + TestServer.UPSTREAM_REALM;
        mcp.mcpEndpoint("/mcp", "/.well-known/oauth-protected-resource/mcp");
        mcp.route("/.well-known/oauth-protected-resource/mcp", McpTestServer.Answer.json("{\"resource\":\"" + mcp.base()
                + "/mcp\",\"authorization_servers\":[\"" + upstream + "\"],\"scopes_supported\":[\"openid\",\"profile\"]}"));
        Admin admin = TestServer.admin();
        for (JsonNode c : admin.get("/" + TestServer.UPSTREAM_REALM + "/components?type=" + TRUSTED_HOSTS_TYPE).json()) {
            if ("trusted-hosts".equals(c.path("providerId").asText()) && "anonymous".equals(c.path("subType").asText())) {
                ObjectNode copy = c.deepCopy();
                ObjectNode cfg = copy.putObject("config");
                cfg.putArray("trusted-hosts").add("127.0.0.1");
                cfg.putArray("host-sending-registration-request-must-match").add("true");
                cfg.putArray("client-uris-must-match").add("true");
                assertEquals(204, admin.put("/" + TestServer.UPSTREAM_REALM + "/components/" + c.get("id").asText(), copy).status());
            }
        }
        Files.writeString(TestServer.mcpCatalogFile(), "{\"servers\":[{\"id\":\"loopback\",\"name\":\"Loopback MCP\",\"url\":\""
                + mcp.base() + "/mcp\",\"auth\":\"oauth\",\"docs\":\"https://example.com/loopback\",\"category\":\"testing\"},"
                + "{\"id\":\"keyed\",\"name\":\"Keyed MCP\",\"url\":\"https://keyed.example/mcp\",\"auth\":\"api_key\","
                + "\"docs\":\"https://example.com/keyed\",\"category\":\"testing\"}]}");
        Files.setLastModifiedTime(TestServer.mcpCatalogFile(), FileTime.fromMillis(System.currentTimeMillis()));
    }

    @AfterAll
    static void stopMcp() throws Exception {
        Files.deleteIfExists(TestServer.mcpCatalogFile());
        if (mcp != null) {
            mcp.close();
        }
        for (String clientId : registeredUpstream) {
            JsonNode found = TestServer.admin().get("/" + TestServer.UPSTREAM_REALM + "/clients?clientId=" + Http.enc(clientId)).json();
            if (found.size() == 1) {
                TestServer.admin().delete("/" + TestServer.UPSTREAM_REALM + "/clients/" + found.get(0).get("id").asText());
            }
        }
    }

    /** Registrations need the server's URL from configuration: the realm's Frontend URL. */
    @BeforeEach
    void frontendUrl() {
        ObjectNode rep = (ObjectNode) realm.admin().get("/" + realm.name).json();
        rep.with("attributes").put("frontendUrl", TestServer.baseUrl());
        assertEquals(204, realm.admin().put("/" + realm.name, rep).status());
    }

    private Http.Resp catalog(String bearer, String q) {
        return Http.get(realm.url("/connect/mcp/catalog" + (q == null ? "" : "?q=" + Http.enc(q))), bearer);
    }

    private Http.Resp install(String bearer, String id) {
        return Http.sendJson("POST", realm.url("/connect/mcp/catalog/" + id + "/install"), "", bearer);
    }

    private Http.Resp uninstall(String bearer, String id) {
        return Http.delete(realm.url("/connect/mcp/catalog/" + id + "/install"), bearer);
    }

    private static List<String> ids(Http.Resp r) {
        List<String> out = new ArrayList<>();
        r.json().get("servers").forEach(s -> out.add(s.get("id").asText()));
        return out;
    }

    @Test
    @DisplayName("Catalog: a bearer token is needed; search by id, name or category; bundled and operator entries")
    void search() {
        assertEquals(401, catalog(null, null).status());
        assertEquals(401, install(null, "github").status());
        assertEquals(401, uninstall(null, "github").status());
        String alice = realm.alice();
        Http.Resp all = catalog(alice, null);
        assertEquals(200, all.status(), all::toString);
        assertTrue(ids(all).containsAll(List.of("github", "linear", "notion", "stripe", "loopback", "keyed")), all::toString);
        assertEquals(List.of("github"), ids(catalog(alice, "GitHub")));
        assertTrue(ids(catalog(alice, "payments")).containsAll(List.of("stripe", "paypal")));
        assertEquals(List.of("loopback", "keyed"), ids(catalog(alice, "testing")));
        assertTrue(ids(catalog(alice, "no-such-server")).isEmpty());
        JsonNode gh = catalog(alice, "github").json().get("servers").get(0);
        assertEquals("https://api.githubcopilot.com/mcp/", gh.get("url").asText());
        assertEquals("oauth", gh.get("auth").asText());
        assertTrue(gh.get("docs").asText().startsWith("https://"));

        assertEquals(404, install(alice, "no-such-server").status());
        Http.Resp keyed = install(alice, "keyed");
        assertEquals(400, keyed.status(), keyed::toString);
        assertEquals("not_installable", keyed.json().get("error").asText());
    }

    @Test
    @DisplayName("Install twice gives the same connection id; after consent it answers the connection; uninstall twice is fine")
    void installIsIdempotent() throws Exception {
        String alice = realm.alice();
        String cid = "mcp-loopback-" + realm.admin().get("/" + realm.name + "/users?exact=true&username=alice").json()
                .get(0).get("id").asText();
        Http.Resp first = install(alice, "loopback");
        assertEquals(200, first.status(), first::toString);
        assertFalse(first.json().get("installed").asBoolean());
        assertEquals(cid, first.json().get("connection_id").asText());
        assertEquals("mcp", first.json().get("provider").asText());
        Http.Resp second = install(alice, "loopback");
        assertEquals(200, second.status(), second::toString);
        assertEquals(cid, second.json().get("connection_id").asText(), "the same connection intent");
        assertEquals(0, Db.count(realm.name), "nothing is stored before the person consents");

        String[] person = realm.upstreamUser();
        Browser b = Connect.browserOf(alice);
        String landed = b.loginAndFollow(second.json().get("authorize_url").asText(), person[0], person[1]);
        b.lastCode();
        assertEquals("true", Http.queryParam(landed, "success"), landed);
        registeredUpstream.add(Http.queryParam(b.visited.stream().filter(u -> u.contains("client_id=")).findFirst()
                .orElse("http://x/?client_id=none"), "client_id"));
        assertEquals(1, Db.count(realm.name));

        for (int i = 0; i < 2; i++) {
            Http.Resp installed = install(alice, "loopback");
            assertEquals(200, installed.status(), installed::toString);
            assertTrue(installed.json().get("installed").asBoolean(), installed::toString);
            assertEquals(cid, installed.json().at("/connection/connection_id").asText(), installed::toString);
            assertFalse(installed.json().has("authorize_url"));
        }
        assertEquals(1, Db.count(realm.name), "no second connection");
        Http.Resp bobs = install(realm.bob(), "loopback");
        assertEquals(200, bobs.status(), bobs::toString);
        assertFalse(bobs.json().get("installed").asBoolean(), "installs are per person: " + bobs);
        assertFalse(bobs.json().get("connection_id").asText().equals(cid));

        assertEquals(204, uninstall(alice, "loopback").status());
        assertEquals(0, Db.count(realm.name));
        assertEquals(204, uninstall(alice, "loopback").status(), "uninstalling twice is fine");
        assertEquals(404, uninstall(alice, "no-such-server").status());
    }
}
