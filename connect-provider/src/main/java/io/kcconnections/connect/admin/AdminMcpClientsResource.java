package io.kcconnections.connect.admin;

import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.connection.McpClients;
import io.kcconnections.connect.rest.Responses;
import io.kcconnections.connect.store.ClientRegistration;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

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
        return Responses.json(200, clients().list().stream().map(AdminMcpClientsResource::view).toList());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response put(String body) {
        auth.realm().requireManageRealm();
        return Responses.handle(() -> {
            McpClients.Configured c = clients().configure(McpClients.Request.parse(body));
            Map<String, Object> rep = view(c.registration());
            adminEvent.operation(c.replaced() == null ? OperationType.CREATE : OperationType.UPDATE).resource(RESOURCE_TYPE)
                    .resourcePath("connect", "mcp-clients").representation(rep).success();
            return Responses.json(c.replaced() == null ? 201 : 200, rep);
        });
    }

    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    public Response delete(@QueryParam("issuer") String issuer) {
        auth.realm().requireManageRealm();
        return Responses.handle(() -> {
            ClientRegistration r = clients().remove(issuer);
            adminEvent.operation(OperationType.DELETE).resource(RESOURCE_TYPE).resourcePath("connect", "mcp-clients")
                    .representation(view(r)).success();
            return Response.noContent().build();
        });
    }

    private McpClients clients() {
        return session.getProvider(ConnectService.class).mcpClients();
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
}
