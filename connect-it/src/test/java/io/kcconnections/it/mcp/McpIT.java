package io.kcconnections.it.mcp;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.it.harness.Admin;
import io.kcconnections.it.harness.Browser;
import io.kcconnections.it.harness.Connect;
import io.kcconnections.it.harness.Db;
import io.kcconnections.it.harness.FreshRealm;
import io.kcconnections.it.harness.Http;
import io.kcconnections.it.harness.SecretLedger;
import io.kcconnections.it.harness.TestRealm;
import io.kcconnections.it.harness.TestServer;
import io.kcconnections.it.fakes.McpTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An MCP server connected from its URL alone: RFC 9728 discovery from the server's 401, the upstream realm's
 * metadata, a dynamic client registration there (RFC 7591, persisted), the connect flow with PKCE and the RFC 8707
 * resource, a token the MCP server accepts, and refresh after a restart. Then hostile metadata, refused.
 */
class McpIT {

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
        // The upstream realm lets this loopback host register clients anonymously (its Trusted Hosts policy).
        Admin admin = TestServer.admin();
        for (JsonNode c : admin.get("/" + TestServer.UPSTREAM_REALM + "/components?type=" + TRUSTED_HOSTS_TYPE).json()) {
            if ("trusted-hosts".equals(c.path("providerId").asText()) && "anonymous".equals(c.path("subType").asText())) {
                ObjectNode copy = c.deepCopy();
                ObjectNode cfg = copy.putObject("config");
                cfg.putArray("trusted-hosts").add("127.0.0.1");
                cfg.putArray("host-sending-registration-request-must-match").add("true");
                cfg.putArray("client-uris-must-match").add("true");
                Http.Resp r = admin.put("/" + TestServer.UPSTREAM_REALM + "/components/" + c.get("id").asText(), copy);
                assertEquals(204, r.status(), r::toString);
            }
        }
    }

    @AfterAll
    static void stopMcp() throws Exception {
        TestServer.restoreDefaults();
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

    /**
     * Registrations need the server's URL from configuration, never from a request's Host header; the test server
     * runs without {@code hostname}, so each realm gets its Frontend URL.
     */
    @BeforeEach
    void frontendUrl() {
        frontendUrl(TestServer.baseUrl());
    }

    private void frontendUrl(String url) {
        ObjectNode rep = (ObjectNode) realm.admin().get("/" + realm.name).json();
        rep.with("attributes").put("frontendUrl", url);
        Http.Resp r = realm.admin().put("/" + realm.name, rep);
        assertEquals(204, r.status(), r::toString);
    }

    /** An MCP server at {@code /name} whose authorization server {@code /as-name} registers clients anonymously. */
    private static void issuer(String name) {
        String m = mcp.base();
        mcp.mcpEndpoint("/" + name, "/prm/" + name);
        mcp.route("/prm/" + name, McpTestServer.Answer.json("{\"resource\":\"" + m + "/" + name
                + "\",\"authorization_servers\":[\"" + m + "/as-" + name + "\"]}"));
        mcp.route("/.well-known/oauth-authorization-server/as-" + name, McpTestServer.Answer.json("{\"issuer\":\"" + m
                + "/as-" + name + "\",\"authorization_endpoint\":\"" + m + "/a\",\"token_endpoint\":\"" + m
                + "/t\",\"registration_endpoint\":\"" + m + "/as-" + name
                + "/register\",\"code_challenge_methods_supported\":[\"S256\"]}"));
        mcp.route("/as-" + name + "/register", new McpTestServer.Answer(201, "{\"client_id\":\"x-" + name
                + "\",\"client_secret\":\"s-" + name + "\"}", Map.of("Content-Type", "application/json")));
    }

    private Http.Resp authorize(String bearer, String serverUrl, String cid) {
        return Connect.authorize(realm, bearer, Connect.params("mcp_server_url", serverUrl, "redirect_uri", Connect.APP_REDIRECT,
                "connection_id", cid));
    }

    /** The realm's stored registrations, column to value. */
    private List<Map<String, Object>> registrations() throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        try (java.sql.Connection c = TestServer.get().jdbc();
             PreparedStatement ps = c.prepareStatement("select cr.* from CONNECT_CLIENT_REG cr join REALM r on r.ID = cr.REALM_ID where r.NAME = ?")) {
            ps.setString(1, realm.name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        m.put(rs.getMetaData().getColumnLabel(i).toUpperCase(java.util.Locale.ROOT), rs.getString(i));
                    }
                    out.add(m);
                }
            }
        }
        return out;
    }

    private String connect(String alice, String cid, String[] person) {
        Http.Resp r = authorize(alice, mcp.base() + "/mcp", cid);
        assertEquals(200, r.status(), r::toString);
        Browser b = Connect.browserOf(alice);
        String landed = b.loginAndFollow(r.json().get("authorize_url").asText(), person[0], person[1]);
        b.lastCode();
        return landed;
    }

    @Test
    @DisplayName("MCP by URL: discovery, dynamic registration (stored encrypted, once), connect with resource, restart, refresh")
    void connectFromUrlAlone() throws Exception {
        String alice = realm.alice();
        String[] person = realm.upstreamUser();
        // Without a configured hostname or Frontend URL the callback would come from the request: no registration.
        frontendUrl("");
        int upstreamClients = TestServer.admin().get("/" + TestServer.UPSTREAM_REALM + "/clients").json().size();
        Http.Resp noHost = authorize(alice, mcp.base() + "/mcp", "my-mcp");
        assertEquals(503, noHost.status(), noHost::toString);
        assertEquals("hostname_required", noHost.json().get("error").asText());
        assertEquals(0, registrations().size());
        assertEquals(0, Db.count(realm.name));
        assertEquals(upstreamClients, TestServer.admin().get("/" + TestServer.UPSTREAM_REALM + "/clients").json().size(),
                "nothing was registered upstream");
        frontendUrl(TestServer.baseUrl());
        Http.Resp r = authorize(alice, mcp.base() + "/mcp", "my-mcp");
        assertEquals(200, r.status(), r::toString);
        assertEquals("mcp", r.json().get("provider").asText());
        assertEquals(mcp.base() + "/mcp", r.json().get("mcp_resource").asText());
        Browser b = Connect.browserOf(alice);
        String authorizeUrl = b.providerUrl(r.json().get("authorize_url").asText());
        assertTrue(authorizeUrl.startsWith(TestServer.baseUrl() + "/realms/upstream/protocol/openid-connect/auth?"), authorizeUrl);
        assertEquals(mcp.base() + "/mcp", Http.queryParam(authorizeUrl, "resource"), "RFC 8707 resource");
        assertNotNull(Http.queryParam(authorizeUrl, "code_challenge"), "PKCE");
        assertEquals("openid profile", Http.queryParam(authorizeUrl, "scope"), "the resource's scopes");

        List<Map<String, Object>> regs = registrations();
        assertEquals(1, regs.size(), regs::toString);
        String clientId = (String) regs.get(0).get("CLIENT_ID");
        registeredUpstream.add(clientId);
        assertEquals(Http.queryParam(authorizeUrl, "client_id"), clientId);
        JsonNode upstreamClient = realm.admin().client(TestServer.UPSTREAM_REALM, clientId);
        String upstreamSecret = SecretLedger.note(realm.admin().get("/" + TestServer.UPSTREAM_REALM + "/clients/"
                + upstreamClient.get("id").asText() + "/client-secret").json().get("value").asText());
        assertFalse(String.valueOf(regs.get(0).get("CLIENT_SECRET")).contains(upstreamSecret), "the secret is encrypted");
        assertNotNull(regs.get(0).get("REGISTRATION_TOKEN"));
        Http.Resp listed = realm.admin().get("/" + realm.name + "/connect/mcp-clients");
        assertEquals(200, listed.status(), listed::toString);
        assertEquals("dynamic", listed.json().get(0).get("source").asText(), listed::toString);
        assertEquals(clientId, listed.json().get(0).get("clientId").asText());
        assertTrue(listed.json().get(0).get("clientSecretSet").asBoolean());
        assertFalse(listed.body().contains(upstreamSecret), "no secret in the admin view");

        String landed = b.loginAndFollow(authorizeUrl, person[0], person[1]);
        b.lastCode();
        assertEquals("true", Http.queryParam(landed, "success"), landed);
        Http.Resp t = Connect.token(realm, alice, "my-mcp", "mcp");
        assertEquals(200, t.status(), t::toString);
        assertEquals(mcp.base() + "/mcp", t.json().at("/metadata/mcp.resource").asText());
        Http.Resp call = Http.get(mcp.base() + "/mcp", t.json().get("token").asText());
        assertEquals(200, call.status(), "the MCP server accepts the token: " + call);
        assertTrue(call.body().contains(person[0]));

        // A second connection reuses the registration: no second client upstream.
        assertEquals("true", Http.queryParam(connect(alice, "my-mcp-2", person), "success"));
        assertEquals(1, registrations().size());
        assertEquals(clientId, registrations().get(0).get("CLIENT_ID"));

        // Restart (room for three registrations per realm, one per person): the registration and the connection are
        // still there, and the connection still refreshes.
        TestServer.restartWith(Map.of("CONNECT_MCP_MAX_REGISTRATIONS", "3", "CONNECT_MCP_MAX_REGISTRATIONS_PER_USER", "1"));
        String alice2 = realm.alice();
        assertEquals(clientId, registrations().get(0).get("CLIENT_ID"));
        Db.expireIn(realm.name, "my-mcp", 5);
        Http.Resp refreshed = Connect.token(realm, alice2, "my-mcp", "mcp");
        assertEquals(200, refreshed.status(), refreshed::toString);
        assertNotEquals(t.json().get("token").asText(), refreshed.json().get("token").asText(), "refreshed");
        assertEquals(200, Http.get(mcp.base() + "/mcp", refreshed.json().get("token").asText()).status());
        assertEquals(1, realm.admin().events(TestServer.UPSTREAM_REALM, "CLIENT_REGISTER").stream()
                .filter(e -> clientId.equals(e.path("clientId").asText())).count(), "registered once");

        // Alice's connects made one registration, her quota: a server at a second issuer is refused before registering.
        String m = mcp.base();
        issuer("second");
        Http.Resp over = authorize(alice2, m + "/second", "second");
        assertEquals(403, over.status(), over::toString);
        assertEquals("mcp_registration_limit", over.json().get("error").asText());
        assertTrue(over.json().get("error_description").asText().contains("per-user"), over::toString);
        assertEquals(null, mcp.hits.get("/as-second/register"), "no registration attempted");
        assertEquals(1, registrations().size());

        // Bob asks for three new issuers at once: his one slot goes to exactly one of them (the quota is atomic).
        String bob = realm.bob();
        List<java.util.concurrent.Future<Http.Resp>> racing = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            for (String name : List.of("race1", "race2", "race3")) {
                issuer(name);
                racing.add(pool.submit(() -> authorize(bob, m + "/" + name, name)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (var f : racing) {
                statuses.add(f.get().status());
            }
            assertEquals(1, statuses.stream().filter(x -> x == 200).count(), statuses::toString);
            assertEquals(2, statuses.stream().filter(x -> x == 403).count(), statuses::toString);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, registrations().size(), "alice's and one of bob's");
        // A third person fills the realm's quota; a fourth is refused by it.
        realm.admin().createUser(realm.name, "carol", "carol");
        realm.admin().createUser(realm.name, "dave", "dave");
        assertEquals(200, authorize(realm.userToken("carol", "carol"), m + "/second", "c1").status());
        issuer("fourth");
        Http.Resp full = authorize(realm.userToken("dave", "dave"), m + "/fourth", "d1");
        assertEquals(403, full.status(), full::toString);
        assertTrue(full.json().get("error_description").asText().contains("(mcp-max-registrations)"), full::toString);
        assertEquals(null, mcp.hits.get("/as-fourth/register"), "no registration attempted");
        assertEquals(3, registrations().size());

        // Removing the realm removes its registrations.
        realm.close();
        assertEquals(0, registrations().size());
        realm = TestRealm.create();
    }

    @Test
    @DisplayName("an admin's client for an issuer is used instead of a registration; admin API checks and refusals")
    void adminConfiguredClient() throws Exception {
        String issuer = TestServer.baseUrl() + "/realms/" + TestServer.UPSTREAM_REALM;
        String callback = realm.url("/connect/callback/mcp");
        String clientId = "mcp-pre-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String secret = SecretLedger.note("pre-secret-" + java.util.UUID.randomUUID());
        ObjectNode c = Http.JSON.createObjectNode();
        c.put("clientId", clientId).put("enabled", true).put("publicClient", false).put("secret", secret)
                .put("standardFlowEnabled", true).putArray("redirectUris").add(callback);
        assertEquals(201, realm.admin().post("/" + TestServer.UPSTREAM_REALM + "/clients", c).status());
        registeredUpstream.add(clientId);
        String path = "/" + realm.name + "/connect/mcp-clients";

        // Refusals: nothing stored.
        ObjectNode bad = Http.JSON.createObjectNode().put("issuer", "ftp://127.0.0.1/x").put("clientId", clientId).put("clientSecret", secret);
        Http.Resp r1 = realm.admin().put(path, bad);
        assertEquals(400, r1.status(), r1::toString);
        assertEquals("invalid_mcp_client", r1.json().get("error").asText());
        Http.Resp r2 = realm.admin().put(path, Http.JSON.createObjectNode().put("issuer", issuer).put("clientId", clientId)
                .put("tokenEndpointAuthMethod", "none").put("clientSecret", secret));
        assertEquals(400, r2.status(), r2::toString);
        Http.Resp r3 = realm.admin().put(path, Http.JSON.createObjectNode().put("issuer", issuer));
        assertEquals(400, r3.status(), r3::toString);
        assertEquals(400, realm.admin().put(path, Http.JSON.createArrayNode()).status());
        Http.Resp byUser = Http.sendJson("PUT", TestServer.baseUrl() + "/admin/realms" + path,
                Http.JSON.createObjectNode().put("issuer", issuer).put("clientId", clientId).put("clientSecret", secret), realm.alice());
        assertEquals(403, byUser.status(), byUser::toString);
        assertEquals(403, Http.get(TestServer.baseUrl() + "/admin/realms" + path, realm.alice()).status());
        assertEquals(401, Http.get(TestServer.baseUrl() + "/admin/realms" + path, null).status());
        assertEquals(0, registrations().size());

        ObjectNode good = Http.JSON.createObjectNode().put("issuer", issuer).put("clientId", clientId).put("clientSecret", secret);
        Http.Resp put = realm.admin().put(path, good);
        assertEquals(201, put.status(), put::toString);
        assertEquals(callback, put.json().get("redirectUri").asText(), "the callback to register at the authorization server");
        assertEquals("configured", put.json().get("source").asText());
        assertFalse(put.body().contains(secret), "never the secret");
        assertFalse(String.valueOf(registrations().get(0).get("CLIENT_SECRET")).contains(secret), "stored encrypted");

        // Connecting uses it: no registration at the upstream.
        Http.Resp a = authorize(realm.alice(), mcp.base() + "/mcp", "pre");
        assertEquals(200, a.status(), a::toString);
        Browser b = Connect.browserOf(realm.alice());
        String providerUrl = b.providerUrl(a.json().get("authorize_url").asText());
        assertEquals(clientId, Http.queryParam(providerUrl, "client_id"));
        String[] person = realm.upstreamUser();
        String landed = b.loginAndFollow(providerUrl, person[0], person[1]);
        b.lastCode();
        assertEquals("true", Http.queryParam(landed, "success"), landed);
        Http.Resp t = Connect.token(realm, realm.alice(), "pre", "mcp");
        assertEquals(200, t.status(), t::toString);
        assertEquals(200, Http.get(mcp.base() + "/mcp", t.json().get("token").asText()).status());
        assertEquals(1, registrations().size());
        assertEquals("configured", registrations().get(0).get("SOURCE"));

        // Only an admin removes it.
        assertEquals(403, Http.delete(TestServer.baseUrl() + "/admin/realms" + path + "?issuer=" + Http.enc(issuer),
                realm.alice()).status());
        assertEquals(1, registrations().size());
        // Removed: listed no more; a second removal is a 404.
        assertEquals(204, realm.admin().delete(path + "?issuer=" + Http.enc(issuer)).status());
        assertEquals(0, realm.admin().get(path).json().size());
        assertEquals(404, realm.admin().delete(path + "?issuer=" + Http.enc(issuer)).status());
    }

    @Test
    @DisplayName("without the test-only allowance: http, loopback and private MCP URLs are refused before any request")
    void strictHostPolicy() throws Exception {
        realm.close();
        try {
            TestServer.restartWith(Map.of("CONNECT_ALLOW_PRIVATE_HOSTS", "false"));
            realm = TestRealm.create();
            String alice = realm.alice();
            int before = mcp.hits.values().stream().mapToInt(Integer::intValue).sum();
            for (String url : List.of(mcp.base() + "/mcp", mcp.base().replace("http:", "https:") + "/mcp",
                    "https://localhost/mcp", "https://10.1.2.3/mcp", "https://192.168.1.1/mcp", "https://169.254.169.254/latest",
                    "https://[::1]/mcp")) {
                Http.Resp r = authorize(alice, url, "strict");
                assertEquals(400, r.status(), () -> url + " -> " + r);
                assertEquals("invalid_mcp_server_url", r.json().get("error").asText(), r::toString);
                assertTrue(r.json().get("error_description").asText().startsWith("mcp_server_url is refused"), r::toString);
            }
            // A host that does not resolve is not refused by the policy (nothing to check) but is unreachable.
            Http.Resp nowhere = authorize(alice, "https://no-such-host.invalid/mcp", "strict");
            assertEquals(502, nowhere.status(), nowhere::toString);
            assertEquals("mcp_unreachable", nowhere.json().get("error").asText());
            assertEquals(before, mcp.hits.values().stream().mapToInt(Integer::intValue).sum(), "no request reached the server");
            assertEquals(0, Db.count(realm.name));
            assertEquals(0, registrations().size());
        } finally {
            realm.close();
            TestServer.restoreDefaults();
            realm = TestRealm.create();
        }
    }

    private void assertRefused(String path, int status, String error) throws Exception {
        Http.Resp r = authorize(realm.alice(), mcp.base() + path, "hostile");
        assertEquals(status, r.status(), r::toString);
        assertEquals(error, r.json().get("error").asText(), r::toString);
        assertFalse(r.json().get("error_description").asText().isBlank());
        assertEquals(0, Db.count(realm.name), "no connection stored");
        assertEquals(0, registrations().size(), "no registration stored");
    }

    @Test
    @DisplayName("hostile MCP metadata is refused with a clear error, nothing stored")
    void hostileMetadata() throws Exception {
        String m = mcp.base();
        // Issuer mismatch: the authorization server's metadata names another issuer.
        mcp.mcpEndpoint("/evil-issuer", "/prm/evil-issuer");
        mcp.route("/prm/evil-issuer", McpTestServer.Answer.json("{\"resource\":\"" + m + "/evil-issuer\",\"authorization_servers\":[\""
                + m + "/as-evil\"]}"));
        mcp.route("/.well-known/oauth-authorization-server/as-evil", McpTestServer.Answer.json("{\"issuer\":\"" + m
                + "/somebody-else\",\"authorization_endpoint\":\"" + m + "/a\",\"token_endpoint\":\"" + m + "/t\"}"));
        assertRefused("/evil-issuer", 502, "mcp_issuer_mismatch");

        // The metadata names another resource.
        mcp.mcpEndpoint("/other-resource", "/prm/other-resource");
        mcp.route("/prm/other-resource", McpTestServer.Answer.json("{\"resource\":\"" + m + "/elsewhere\",\"authorization_servers\":[\""
                + m + "/as-evil\"]}"));
        assertRefused("/other-resource", 502, "mcp_resource_mismatch");
        // A server claiming its whole host (a prefix of its URL) as the resource: on a shared host, tokens for all of it.
        mcp.mcpEndpoint("/tenant/mcp", "/prm/tenant");
        mcp.route("/prm/tenant", McpTestServer.Answer.json("{\"resource\":\"" + m + "\",\"authorization_servers\":[\""
                + m + "/as-evil\"]}"));
        assertRefused("/tenant/mcp", 502, "mcp_resource_mismatch");

        // An authorization server that does not declare PKCE S256.
        mcp.mcpEndpoint("/no-pkce", "/prm/no-pkce");
        mcp.route("/prm/no-pkce", McpTestServer.Answer.json("{\"resource\":\"" + m + "/no-pkce\",\"authorization_servers\":[\""
                + m + "/as-nopkce\"]}"));
        mcp.route("/.well-known/oauth-authorization-server/as-nopkce", McpTestServer.Answer.json("{\"issuer\":\"" + m
                + "/as-nopkce\",\"authorization_endpoint\":\"" + m + "/a\",\"token_endpoint\":\"" + m + "/t\"}"));
        assertRefused("/no-pkce", 502, "mcp_pkce_unsupported");

        // An oversized document (200 KB).
        mcp.mcpEndpoint("/big", "/prm/big");
        mcp.route("/prm/big", McpTestServer.Answer.json("{\"resource\":\"" + m + "/big\",\"pad\":\"" + "x".repeat(200_000) + "\"}"));
        assertRefused("/big", 502, "mcp_document_too_large");

        // A redirect loop, and a redirect chain longer than the limit.
        mcp.mcpEndpoint("/loop", "/prm/loop");
        mcp.route("/prm/loop", new McpTestServer.Answer(302, "", Map.of("Location", m + "/prm/loop")));
        assertRefused("/loop", 502, "mcp_redirect_loop");
        mcp.mcpEndpoint("/chain", "/prm/chain0");
        for (int i = 0; i < 6; i++) {
            mcp.route("/prm/chain" + i, new McpTestServer.Answer(302, "", Map.of("Location", "/prm/chain" + (i + 1))));
        }
        assertRefused("/chain", 502, "mcp_too_many_redirects");

        // A redirect to a non-http scheme, and metadata naming an endpoint with user info.
        mcp.mcpEndpoint("/to-file", "/prm/to-file");
        mcp.route("/prm/to-file", new McpTestServer.Answer(302, "", Map.of("Location", "file:///etc/passwd")));
        assertRefused("/to-file", 502, "mcp_address_refused");
        mcp.mcpEndpoint("/userinfo-url", "/prm/userinfo-url");
        mcp.route("/prm/userinfo-url", McpTestServer.Answer.json("{\"resource\":\"" + m + "/userinfo-url\",\"authorization_servers\":[\""
                + m + "/as-ui\"]}"));
        mcp.route("/.well-known/oauth-authorization-server/as-ui", McpTestServer.Answer.json("{\"issuer\":\"" + m
                + "/as-ui\",\"authorization_endpoint\":\"" + m + "/a\",\"token_endpoint\":\"http://user:pw@127.0.0.1/t\"}"));
        assertRefused("/userinfo-url", 502, "mcp_address_refused");

        // A registration answer that tries to make the server resolve one of its own vault secrets.
        mcp.mcpEndpoint("/vault", "/prm/vault");
        mcp.route("/prm/vault", McpTestServer.Answer.json("{\"resource\":\"" + m + "/vault\",\"authorization_servers\":[\""
                + m + "/as-vault\"]}"));
        mcp.route("/.well-known/oauth-authorization-server/as-vault", McpTestServer.Answer.json("{\"issuer\":\"" + m
                + "/as-vault\",\"authorization_endpoint\":\"" + m + "/a\",\"token_endpoint\":\"" + m
                + "/t\",\"registration_endpoint\":\"" + m + "/as-vault/register\",\"code_challenge_methods_supported\":[\"S256\"]}"));
        mcp.route("/as-vault/register", new McpTestServer.Answer(201, "{\"client_id\":\"x\",\"client_secret\":\"${vault.secret}\"}",
                Map.of("Content-Type", "application/json")));
        assertRefused("/vault", 502, "mcp_registration_failed");

        // The app's URL itself: not http(s), user info, a fragment.
        assertEquals(400, authorize(realm.alice(), "ftp://127.0.0.1/mcp", "h").status());
        // (The password in the URL is noted as a secret: no log may show it.)
        String urlPassword = SecretLedger.note("url-pw-" + java.util.UUID.randomUUID());
        assertEquals(400, authorize(realm.alice(), "http://user:" + urlPassword + "@127.0.0.1:1/mcp", "h").status());
        assertEquals(502, authorize(realm.alice(), m + "/nothing-here?api_key=" + urlPassword, "h").status());
        Http.Resp both = Connect.authorize(realm, realm.alice(), Connect.params("provider", "keycloak", "mcp_server_url",
                m + "/mcp", "redirect_uri", Connect.APP_REDIRECT));
        assertEquals(400, both.status(), both::toString);
        assertEquals(401, authorize(null, m + "/mcp", "h").status());
        assertEquals(0, Db.count(realm.name));
        assertEquals(0, registrations().size());
    }
}
