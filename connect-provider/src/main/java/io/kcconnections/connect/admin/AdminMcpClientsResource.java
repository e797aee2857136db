package io.kcconnections.connect.admin;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.connect.ConnectService;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.crypto.KeyRingSource;
import io.kcconnections.connect.crypto.TokenCodec;
import io.kcconnections.connect.mcp.McpConnect;
import io.kcconnections.connect.oauth.OAuthClient;
import io.kcconnections.connect.store.ClientRegistration;
import io.kcconnections.connect.store.ClientRegistrationStore;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.util.JsonSerialization;

/**
 * {@code /admin/realms/{realm}/connect/mcp-clients}: the realm's clients at the authorization servers of MCP servers,
 * one per issuer. Keycloak registers one dynamically (RFC 7591) the first time an issuer is used; an admin may instead
 * give the client to use for an issuer (for authorization servers without dynamic registration, or to use a client
 * made by hand), which Keycloak then never replaces.
 * <ul>
 * <li>{@code GET}: every one, dynamic and configured, never a secret ({@code clientSecretSet});</li>
 * <li>{@code PUT} {@code {issuer, clientId, clientSecret, tokenEndpointAuthMethod}}: configures the client for an
 * issuer, replacing whatever the realm had there. The answer's {@code redirectUri} is the callback to register at
 * the authorization server. The secret may be a vault reference; it is stored encrypted like tokens;</li>
 * <li>{@code DELETE ?issuer=}: forgets it (the next connection registers again, or fails without registration).</li>
 * </ul>
 * Reads need {@code view-realm}, writes {@code manage-realm}. Connections already made keep working only while a
 * client for their issuer is there: they refresh with it.
 */
public class AdminMcpClientsResource {

    /** Admin event resource type of these changes. */
    public static final String RESOURCE_TYPE = "CONNECT_MCP_CLIENT";
    private static final List<String> METHODS = List.of("client_secret_basic", "client_secret_post", "none");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    AdminMcpClientsResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list() {
        auth.realm().requireViewRealm();
        List<Map<String, Object>> out = new ArrayList<>();
        for (ClientRegistration r : new ClientRegistrationStore(session).list(realm.getId())) {
            out.add(view(r));
        }
        return AdminProvidersResource.json(200, out);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response put(String body) {
        auth.realm().requireManageRealm();
        JsonNode j;
        try {
            j = body == null || body.isBlank() ? null : JsonSerialization.mapper.readTree(body);
        } catch (java.io.IOException e) {
            j = null;
        }
        if (j == null || !j.isObject()) {
            return AdminProvidersResource.error(400, "invalid_request", "the body must be a JSON object", null);
        }
        List<String> problems = new ArrayList<>();
        String issuer = text(j, "issuer");
        String clientId = text(j, "clientId");
        String secret = text(j, "clientSecret");
        String method = text(j, "tokenEndpointAuthMethod");
        ConnectService connect = session.getProvider(ConnectService.class);
        if (issuer == null) {
            problems.add("issuer is required");
        } else {
            String bad = issuer.length() > 2048 ? "longer than 2048 characters" : connect.registry().hostPolicy().checkUrl(issuer);
            if (bad == null && (URI.create(issuer).getRawQuery() != null || issuer.contains("#"))) {
                bad = "an issuer has no query or fragment";
            }
            if (bad != null) {
                problems.add("issuer is refused: " + bad);
            }
        }
        if (clientId == null || clientId.length() > 255 || !clientId.matches("[\\x21-\\x7E]+")) {
            problems.add("clientId is required: 1-255 printable characters");
        }
        if (method == null) {
            method = secret == null ? "none" : "client_secret_basic";
        }
        if (!METHODS.contains(method)) {
            problems.add("tokenEndpointAuthMethod must be one of " + String.join(", ", METHODS));
        } else if (method.equals("none") && secret != null) {
            problems.add("a public client (none) has no clientSecret");
        } else if (!method.equals("none") && secret == null) {
            problems.add("clientSecret is required for " + method);
        }
        if (secret != null && secret.length() > 4096) {
            problems.add("clientSecret is longer than 4096 characters");
        }
        if (!problems.isEmpty()) {
            return AdminProvidersResource.error(400, "invalid_mcp_client", "the client is refused: " + String.join("; ", problems), problems);
        }
        KeyRing ring;
        try {
            ring = connect.keyRing(realm);
        } catch (KeyRingSource.KeyUnavailableException e) {
            return AdminProvidersResource.error(503, "encryption_unavailable", "token encryption is not configured on this server", null);
        }
        ClientRegistrationStore store = new ClientRegistrationStore(session);
        ClientRegistration before = store.find(realm.getId(), issuer).orElse(null);
        long now = System.currentTimeMillis();
        String id = UUID.randomUUID().toString();
        ClientRegistration r = new ClientRegistration(id, realm.getId(), issuer, clientId,
                secret == null ? null : ring.encrypt(secret, TokenCodec.aad(realm.getId(), id, ClientRegistration.SECRET)),
                null, null, method, OAuthClient.callbackUri(session, realm, McpConnect.PROVIDER),
                before == null ? Map.of() : before.endpoints(), null, ring.primaryKeyId(), ClientRegistration.CONFIGURED,
                now, now);
        try {
            if (before != null) {
                store.delete(before.id());
            }
            store.insert(r);
        } catch (PersistenceException e) {
            session.getTransactionManager().setRollbackOnly();
            return AdminProvidersResource.error(409, "conflict", "another change to this issuer's client happened at the same moment", null);
        }
        Map<String, Object> rep = view(r);
        adminEvent.operation(before == null ? OperationType.CREATE : OperationType.UPDATE).resource(RESOURCE_TYPE)
                .resourcePath("connect", "mcp-clients").representation(rep).success();
        return AdminProvidersResource.json(before == null ? 201 : 200, rep);
    }

    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    public Response delete(@QueryParam("issuer") String issuer) {
        auth.realm().requireManageRealm();
        if (issuer == null || issuer.isBlank()) {
            return AdminProvidersResource.error(400, "invalid_request", "issuer is required", null);
        }
        ClientRegistrationStore store = new ClientRegistrationStore(session);
        ClientRegistration r = store.find(realm.getId(), issuer).orElse(null);
        if (r == null || !store.delete(r.id())) {
            return AdminProvidersResource.error(404, "not_found", "no client for issuer " + AdminProvidersResource.shown(issuer), null);
        }
        adminEvent.operation(OperationType.DELETE).resource(RESOURCE_TYPE).resourcePath("connect", "mcp-clients")
                .representation(view(r)).success();
        return Response.noContent().build();
    }

    private static Map<String, Object> view(ClientRegistration r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", r.issuer());
        m.put("clientId", r.clientId());
        m.put("source", r.source());
        m.put("tokenEndpointAuthMethod", r.authMethod());
        m.put("clientSecretSet", r.clientSecretCiphertext() != null);
        m.put("redirectUri", r.redirectUri());
        m.put("endpoints", r.endpoints());
        m.put("secretExpiresAt", r.secretExpiresAt());
        m.put("createdAt", r.createdAt());
        m.put("updatedAt", r.updatedAt());
        return m;
    }

    private static String text(JsonNode j, String name) {
        JsonNode n = j.get(name);
        return n != null && n.isTextual() && !n.asText().isBlank() ? n.asText().trim() : null;
    }
}
