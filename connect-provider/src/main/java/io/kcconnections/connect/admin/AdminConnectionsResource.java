package io.kcconnections.connect.admin;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.ConnectService;
import io.kcconnections.connect.rest.ConnectionView;
import io.kcconnections.connect.rest.Disconnector;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.ConnectionStatus;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.UserModel;
import org.keycloak.services.ErrorResponse;

/**
 * Connections as an admin sees them: {@code /admin/realms/{realm}/connect/connections} (the realm's, for admins who
 * may view users) and {@code /admin/realms/{realm}/connect/users/{id}/connections} (one user's: view to read,
 * manage to delete). Keycloak's own user permissions decide, fine-grained ones included. Never a token.
 */
public class AdminConnectionsResource {

    private final ConnectAdminResource parent;
    private final UserModel user;

    AdminConnectionsResource(ConnectAdminResource parent, UserModel user) {
        this.parent = parent;
        this.user = user;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> list(@QueryParam("status") String status,
                                          @QueryParam("first") @DefaultValue("0") int first,
                                          @QueryParam("max") @DefaultValue("100") int max) {
        if (user != null) {
            parent.auth().users().requireView(user);
            return store().listByUser(parent.realm().getId(), user.getId()).stream().map(ConnectionView::forAdmin).toList();
        }
        parent.auth().users().requireView();
        ConnectionStatus st;
        try {
            st = status == null || status.isBlank() ? null : ConnectionStatus.of(status);
        } catch (IllegalArgumentException e) {
            throw ErrorResponse.error("status must be active, degraded or needs_reauth", Response.Status.BAD_REQUEST);
        }
        return store().listByRealm(parent.realm().getId(), st, Math.max(0, first), Math.min(Math.max(1, max), 1000))
                .stream().map(ConnectionView::forAdmin).toList();
    }

    @GET
    @Path("{connectionId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> get(@PathParam("connectionId") String connectionId, @QueryParam("provider") String provider) {
        requireUserScope();
        parent.auth().users().requireView(user);
        return ConnectionView.forAdmin(find(connectionId, provider));
    }

    @DELETE
    @Path("{connectionId}")
    public Response delete(@PathParam("connectionId") String connectionId, @QueryParam("provider") String provider) {
        requireUserScope();
        parent.auth().users().requireManage(user);
        Connection c = find(connectionId, provider);
        String revoked = Disconnector.disconnect(parent.session(), parent.realm(), c, null);
        parent.adminEvent().operation(OperationType.DELETE).resource(ResourceType.CUSTOM)
                .resourcePath(parent.session().getContext().getUri())
                .detail("provider", c.provider()).detail("connection_id", c.connectionId()).detail("revoked", revoked)
                .success();
        return Response.noContent().build();
    }

    private void requireUserScope() {
        if (user == null) {
            throw new NotFoundException();
        }
    }

    private Connection find(String connectionId, String provider) {
        List<Connection> found = store().listByUser(parent.realm().getId(), user.getId()).stream()
                .filter(c -> c.connectionId().equals(connectionId) && (provider == null || c.provider().equals(provider)))
                .toList();
        if (found.isEmpty()) {
            throw ErrorResponse.error("connection not found", Response.Status.NOT_FOUND);
        }
        if (found.size() > 1) {
            throw ErrorResponse.error("several providers have this connection_id: pass provider", Response.Status.BAD_REQUEST);
        }
        return found.get(0);
    }

    private io.kcconnections.connect.store.ConnectionStore store() {
        return parent.session().getProvider(ConnectService.class).store();
    }
}
