package io.kcconnections.connect.admin;

import java.util.List;

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

import io.kcconnections.connect.connection.ConnectError;
import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.connection.ConnectionView;
import io.kcconnections.connect.connection.CredentialJson;
import io.kcconnections.connect.rest.Responses;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.ConnectionStatus;
import io.kcconnections.connect.store.Connections;
import io.kcconnections.connect.store.Stores;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.UserModel;

/**
 * {@code /admin/realms/{realm}/connect/connections} (the realm's, filtered by status and provider, paged) and
 * {@code .../users/{id}/connections} (one user's; read one, remove one after revoking it at the provider). Keycloak's
 * user permissions decide, fine-grained ones included; never a token in any answer.
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
    public Response list(@QueryParam("status") String status, @QueryParam("provider") String provider,
                         @QueryParam("first") @DefaultValue("0") int first,
                         @QueryParam("max") @DefaultValue("100") int max) {
        if (user != null) {
            parent.auth().users().requireView(user);
            return Responses.json(200, views(store().listByUser(parent.realm().getId(), user.getId())));
        }
        parent.auth().users().requireView();
        return Responses.handle(() -> {
            ConnectionStatus st;
            try {
                st = status == null || status.isBlank() ? null : ConnectionStatus.of(status);
            } catch (IllegalArgumentException e) {
                throw ConnectError.badRequest("invalid_request", "status must be active, degraded or needs_reauth");
            }
            String p = provider == null || provider.isBlank() ? null : provider;
            return Responses.json(200, views(store().listByRealm(parent.realm().getId(), st, p, Math.max(0, first),
                    Math.min(Math.max(1, max), 1000))));
        });
    }

    @GET
    @Path("{connectionId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("connectionId") String connectionId, @QueryParam("provider") String provider) {
        requireUserScope();
        parent.auth().users().requireView(user);
        return Responses.handle(() -> Responses.json(200, ConnectionView.forAdmin(find(connectionId, provider), parent.realm())));
    }

    @DELETE
    @Path("{connectionId}")
    public Response delete(@PathParam("connectionId") String connectionId, @QueryParam("provider") String provider) {
        requireUserScope();
        parent.auth().users().requireManage(user);
        return Responses.handle(() -> {
            Connection c = find(connectionId, provider);
            String revoked = parent.session().getProvider(ConnectService.class).disconnects()
                    .disconnect(parent.realm(), c, null);
            parent.adminEvent().operation(OperationType.DELETE).resource(ResourceType.CUSTOM)
                    .resourcePath(parent.session().getContext().getUri())
                    .detail("provider", c.provider()).detail("connection_id", c.connectionId()).detail("revoked", revoked)
                    .success();
            return Response.noContent().build();
        });
    }

    private void requireUserScope() {
        if (user == null) {
            throw new NotFoundException();
        }
    }

    private Connection find(String connectionId, String provider) throws ConnectError {
        List<Connection> found = store().listByUser(parent.realm().getId(), user.getId()).stream()
                .filter(c -> c.connectionId().equals(connectionId) && (provider == null || c.provider().equals(provider)))
                .toList();
        if (found.isEmpty()) {
            throw ConnectError.notFound("connection not found");
        }
        if (found.size() > 1) {
            throw ConnectError.badRequest("ambiguous_connection", "several providers have this connection_id: pass provider");
        }
        return found.get(0);
    }

    /** Admin views, each with its health (the prober's last word), in one lookup. */
    private List<java.util.Map<String, Object>> views(List<Connection> list) {
        var health = Stores.health(parent.session()).byIds(list.stream().map(Connection::id).toList());
        return list.stream().map(c -> {
            var v = ConnectionView.forAdmin(c, parent.realm());
            v.put("health", CredentialJson.health(health.get(c.id())));
            return v;
        }).toList();
    }

    private Connections store() {
        return Stores.connections(parent.session());
    }
}
