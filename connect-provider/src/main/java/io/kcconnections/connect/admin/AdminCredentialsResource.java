package io.kcconnections.connect.admin;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.connection.CredentialJson;
import io.kcconnections.connect.connection.Credentials;
import io.kcconnections.connect.rest.Responses;
import io.kcconnections.connect.store.Credential;
import io.kcconnections.connect.store.Health;
import io.kcconnections.connect.store.Stores;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;

/**
 * {@code .../users/{id}/credentials} and {@code .../clients/{id}/credentials}: an admin stores, reads (never a
 * secret), changes and removes typed credentials for a person or for a client's service account. Keycloak's user or
 * client permissions decide (view to read, manage to write); admin events record every write, never a value.
 */
public class AdminCredentialsResource {

    /** The permission checks of the owner an admin named: a user's or a client's. */
    interface Guard {
        void requireView();

        void requireManage();
    }

    private final ConnectAdminResource parent;
    private final Credentials.Owner owner;
    private final Guard guard;

    AdminCredentialsResource(ConnectAdminResource parent, Credentials.Owner owner, Guard guard) {
        this.parent = parent;
        this.owner = owner;
        this.guard = guard;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list() {
        guard.requireView();
        var rows = Stores.credentials(parent.session());
        var list = owner.userId() != null ? rows.listByUser(parent.realm().getId(), owner.userId())
                : rows.listByOwnerClient(parent.realm().getId(), owner.ownerClient());
        Map<String, Health.State> health = Stores.health(parent.session()).byIds(list.stream().map(Credential::id).toList());
        return Responses.json(200, list.stream().map(c -> CredentialJson.view(c, health.get(c.id()))).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        guard.requireManage();
        return Responses.handle(() -> {
            Credential c = credentials().create(owner, null, CredentialJson.input(body));
            event(OperationType.CREATE, c);
            return Responses.json(201, CredentialJson.view(c, null));
        });
    }

    @GET
    @Path("{connectionId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("connectionId") String connectionId) {
        guard.requireView();
        return Responses.handle(() -> {
            Credential c = credentials().ofOwner(owner, connectionId);
            return Responses.json(200, CredentialJson.view(c, Stores.health(parent.session()).byIds(java.util.List.of(c.id())).get(c.id())));
        });
    }

    @PATCH
    @Path("{connectionId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("connectionId") String connectionId, String body) {
        guard.requireManage();
        return Responses.handle(() -> {
            Credential c = credentials().update(credentials().ofOwner(owner, connectionId), CredentialJson.changes(body));
            event(OperationType.UPDATE, c);
            return Responses.json(200, CredentialJson.view(c, null));
        });
    }

    @DELETE
    @Path("{connectionId}")
    public Response delete(@PathParam("connectionId") String connectionId) {
        guard.requireManage();
        return Responses.handle(() -> {
            Credential c = credentials().ofOwner(owner, connectionId);
            credentials().delete(c);
            event(OperationType.DELETE, c);
            return Response.noContent().build();
        });
    }

    private void event(OperationType op, Credential c) {
        parent.adminEvent().operation(op).resource(ResourceType.CUSTOM).resourcePath(parent.session().getContext().getUri())
                .detail("connection_id", c.connectionId()).detail("type", c.type()).success();
    }

    private Credentials credentials() {
        return parent.session().getProvider(ConnectService.class).credentials();
    }
}
