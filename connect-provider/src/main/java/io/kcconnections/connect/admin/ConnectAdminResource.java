package io.kcconnections.connect.admin;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.connection.Credentials;
import io.kcconnections.connect.connection.Inputs;
import io.kcconnections.connect.login.LoginSync;
import io.kcconnections.connect.refresh.RefreshPass;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/{realm}/connect}: the admin API. Keycloak has already authenticated the admin; every route
 * checks the admin's permissions on its first line and records admin events. Sub-resources live in their own classes.
 */
public class ConnectAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    public ConnectAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                                AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    KeycloakSession session() {
        return session;
    }

    RealmModel realm() {
        return realm;
    }

    AdminPermissionEvaluator auth() {
        return auth;
    }

    AdminEventBuilder adminEvent() {
        return adminEvent;
    }

    /** The realm's connections (admins who may view users). */
    @Path("connections")
    public AdminConnectionsResource connections() {
        return new AdminConnectionsResource(this, null);
    }

    /** One user's connections. An unknown user is a 404 (after Keycloak's permission check on users). */
    @Path("users/{userId}/connections")
    public AdminConnectionsResource userConnections(@PathParam("userId") String userId) {
        UserModel user = Inputs.plausibleUserId(userId) ? session.users().getUserById(realm, userId) : null;
        if (user == null) {
            auth.users().requireQuery();
            throw new NotFoundException("user not found");
        }
        return new AdminConnectionsResource(this, user);
    }

    /** One user's typed credentials (user permissions decide). */
    @Path("users/{userId}/credentials")
    public AdminCredentialsResource userCredentials(@PathParam("userId") String userId) {
        UserModel user = Inputs.plausibleUserId(userId) ? session.users().getUserById(realm, userId) : null;
        if (user == null) {
            auth.users().requireQuery();
            throw new NotFoundException("user not found");
        }
        return new AdminCredentialsResource(this, new Credentials.Owner(user.getId(), null), new AdminCredentialsResource.Guard() {
            public void requireView() {
                auth.users().requireView(user);
            }

            public void requireManage() {
                auth.users().requireManage(user);
            }
        });
    }

    /** A client's service-account credentials, by the client's id (client permissions decide). */
    @Path("clients/{id}/credentials")
    public AdminCredentialsResource clientCredentials(@PathParam("id") String id) {
        ClientModel client = id == null || id.length() > 36 ? null : realm.getClientById(id);
        if (client == null || !client.isServiceAccountsEnabled()) {
            auth.clients().requireList();
            throw new NotFoundException("no client with a service account has this id");
        }
        return new AdminCredentialsResource(this, new Credentials.Owner(null, client.getId()), new AdminCredentialsResource.Guard() {
            public void requireView() {
                auth.clients().requireView(client);
            }

            public void requireManage() {
                auth.clients().requireManage(client);
            }
        });
    }

    /** The realm's health summary, and a probe of the whole realm now. */
    @Path("health")
    public AdminHealthResource health() {
        return new AdminHealthResource(this);
    }

    /**
     * Refreshes what is due in this realm now, on this node, and answers with the pass's counts (the background
     * refresher does the same on its own schedule, for every realm).
     */
    @Path("refresh")
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> refreshNow() {
        auth.users().requireManage();
        ConnectService connect = session.getProvider(ConnectService.class);
        RefreshPass.Result r = connect.refreshPass().runPass(connect.settings(), realm.getId());
        adminEvent.operation(OperationType.ACTION).resource(ResourceType.CUSTOM)
                .resourcePath(session.getContext().getUri()).success();
        return Map.of("claimed", r.claimed(), "refreshed", r.refreshed(), "failed", r.failed(),
                "skipped", r.skipped(), "millis", r.millis());
    }

    /**
     * Brings the realm's identity providers in step with the providers offered for login now (this also happens at
     * start-up, when a realm is created and after every change of a realm provider configuration) and answers with
     * what was done to each alias: created, updated, unchanged, disabled, conflict or invalid.
     */
    @Path("login-sync")
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public List<LoginSync.Outcome> loginSync() {
        auth.realm().requireManageIdentityProviders();
        List<LoginSync.Outcome> out = LoginSync.sync(session, realm);
        adminEvent.operation(OperationType.ACTION).resource(ResourceType.IDENTITY_PROVIDER)
                .resourcePath(session.getContext().getUri()).success();
        return out;
    }

    /** {@code /encryption}: the realm's stored secrets against the encryption keys, and moving them after a rotation. */
    @Path("encryption")
    public AdminEncryptionResource encryption() {
        return new AdminEncryptionResource(this);
    }

    /** {@code /mcp-clients}: the realm's clients at MCP authorization servers, registered or configured. */
    @Path("mcp-clients")
    public AdminMcpClientsResource mcpClients() {
        return new AdminMcpClientsResource(session, realm, auth, adminEvent);
    }

    /** {@code /import}: connections brought from another token store (manage users). */
    @Path("import")
    public AdminImportResource imports() {
        return new AdminImportResource(this);
    }

    /** {@code /catalog}: every provider template the server knows, for picking one to configure. */
    @Path("catalog")
    public AdminCatalogResource catalog() {
        return new AdminCatalogResource(session, auth);
    }

    /** {@code /webhook-endpoints}: apps' endpoints for signed lifecycle events, and their deliveries. */
    @Path("webhook-endpoints")
    public AdminWebhookEndpointsResource webhookEndpoints() {
        return new AdminWebhookEndpointsResource(session, auth, adminEvent);
    }

    /** {@code /webhooks/{provider}/{route}}: webhook routes (signing secrets) and their activity. */
    @Path("webhooks")
    public AdminWebhooksResource webhooks() {
        return new AdminWebhooksResource(session, auth, adminEvent);
    }

    /** {@code /providers}: the realm's provider configurations (each method checks its own permission first). */
    @Path("providers")
    public AdminProvidersResource providers() {
        return new AdminProvidersResource(session, realm, auth, adminEvent);
    }
}
