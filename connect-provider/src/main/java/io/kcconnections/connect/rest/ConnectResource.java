package io.kcconnections.connect.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.models.KeycloakSession;

/**
 * {@code /realms/{realm}/connect}: the routes. Each endpoint lives in its own class; every one answers errors as JSON
 * except the browser-facing callback, which redirects or shows Keycloak's themed error page.
 */
public class ConnectResource {

    private final KeycloakSession session;

    public ConnectResource(KeycloakSession session) {
        this.session = session;
    }

    @GET
    @Path("providers")
    @Produces(MediaType.APPLICATION_JSON)
    public Response providers() {
        return new ProvidersEndpoint(session).handle();
    }

    @GET
    @Path("authorize")
    @Produces(MediaType.APPLICATION_JSON)
    public Response authorize(@QueryParam("provider") String provider, @QueryParam("connection_id") String connectionId,
                              @QueryParam("redirect_uri") String redirectUri, @QueryParam("scopes") String scopes,
                              @QueryParam("mcp_server_url") String mcpServerUrl) {
        return new AuthorizeEndpoint(session).handle(provider, connectionId, redirectUri, scopes, mcpServerUrl);
    }

    @POST
    @Path("device")
    @Produces(MediaType.APPLICATION_JSON)
    public Response device() {
        return new GrantsEndpoint(session).startDevice();
    }

    @POST
    @Path("client-connections")
    @Produces(MediaType.APPLICATION_JSON)
    public Response clientConnection() {
        return new GrantsEndpoint(session).createClientConnection();
    }

    @GET
    @Path("callback/{provider}")
    public Response callbackGet(@PathParam("provider") String provider) {
        return new CallbackEndpoint(session).handleGet(provider);
    }

    @POST
    @Path("callback/{provider}")
    public Response callbackPost(@PathParam("provider") String provider) {
        return new CallbackEndpoint(session).handlePost(provider);
    }

    @GET
    @Path("connections")
    @Produces(MediaType.APPLICATION_JSON)
    public Response connections(@QueryParam("user_id") String userId) {
        return new ConnectionsEndpoint(session).list(userId);
    }

    @GET
    @Path("connections/{connection_id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response connection(@PathParam("connection_id") String connectionId, @QueryParam("provider") String provider) {
        return new ConnectionsEndpoint(session).get(connectionId, provider);
    }

    @jakarta.ws.rs.DELETE
    @Path("connections/{connection_id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response disconnect(@PathParam("connection_id") String connectionId, @QueryParam("provider") String provider) {
        return new ConnectionsEndpoint(session).delete(connectionId, provider);
    }

    @GET
    @Path("token/{connection_id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@PathParam("connection_id") String connectionId, @QueryParam("provider") String provider) {
        return new TokenEndpoint(session).handle(connectionId, provider);
    }
}
