package io.kcconnections.connect.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.connection.Callers;
import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.connection.ConnectionView;
import io.kcconnections.connect.connection.McpInstalls;
import io.kcconnections.connect.mcp.McpCatalog;
import org.keycloak.models.KeycloakSession;

/**
 * {@code /realms/{realm}/connect/mcp/catalog}: the known remote MCP servers ({@link McpCatalog}) and installing one
 * for the caller's person ({@link McpInstalls}). Every route needs a bearer token like the other user routes.
 */
public class McpCatalogResource {

    private final KeycloakSession session;
    private final ConnectService connect;

    McpCatalogResource(KeycloakSession session, ConnectService connect) {
        this.session = session;
        this.connect = connect;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("q") String q) {
        return Responses.handle(() -> {
            Callers.authenticate(session);
            List<Map<String, Object>> servers = connect.mcpCatalog().search(q).stream().map(McpCatalog.Entry::view).toList();
            return Responses.json(200, Map.of("servers", servers));
        });
    }

    /** 200 with the connection when the person has one to the server already, else 200 with a start URL. */
    @POST
    @Path("{id}/install")
    @Produces(MediaType.APPLICATION_JSON)
    public Response install(@PathParam("id") String id, @QueryParam("redirect_uri") String redirectUri) {
        return Responses.handle(() -> {
            McpInstalls.Installed i = connect.mcpInstalls().install(Callers.authenticate(session), id, redirectUri);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("server", i.entry().view());
            if (i.connection() != null) {
                body.put("installed", true);
                body.put("connection", ConnectionView.forOwner(i.connection(), session.getContext().getRealm()));
            } else {
                body.put("installed", false);
                body.putAll(ConnectResource.started(i.started()));
            }
            return Responses.json(200, body);
        });
    }

    /** 204 whether or not the person had the server installed. */
    @DELETE
    @Path("{id}/install")
    public Response uninstall(@PathParam("id") String id) {
        return Responses.handle(() -> {
            connect.mcpInstalls().uninstall(Callers.authenticate(session), id);
            return Response.noContent().build();
        });
    }
}
