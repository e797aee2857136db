package io.kcconnections.connect.admin;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.rest.Responses;
import io.kcconnections.connect.webhooks.WebhookRoutes;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/{realm}/connect/webhooks/{provider}/{route}}: a webhook route's configuration (its secret is
 * written, never answered) and its activity. Reads need {@code view-realm}, writes {@code manage-realm}; admin events
 * never carry the secret.
 */
public class AdminWebhooksResource {

    private final KeycloakSession session;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    AdminWebhooksResource(KeycloakSession session, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    private WebhookRoutes routes() {
        return new WebhookRoutes(session.getProvider(ConnectService.class));
    }

    @GET
    @Path("{provider}/{route}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("provider") String provider, @PathParam("route") String route) {
        auth.realm().requireViewRealm();
        return Responses.handle(() -> Responses.json(200, routes().view(provider, route)));
    }

    @PUT
    @Path("{provider}/{route}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("provider") String provider, @PathParam("route") String route, String body) {
        auth.realm().requireManageRealm();
        return Responses.handle(() -> {
            boolean created = routes().put(provider, route, WebhookRoutes.Input.parse(body));
            adminEvent.operation(created ? OperationType.CREATE : OperationType.UPDATE).resource(ResourceType.CUSTOM)
                    .resourcePath("connect", "webhooks", provider, route).representation(Map.of("scheme", "set")).success();
            return Response.noContent().build();
        });
    }

    @DELETE
    @Path("{provider}/{route}")
    public Response delete(@PathParam("provider") String provider, @PathParam("route") String route) {
        auth.realm().requireManageRealm();
        return Responses.handle(() -> {
            if (routes().delete(provider, route)) {
                adminEvent.operation(OperationType.DELETE).resource(ResourceType.CUSTOM)
                        .resourcePath("connect", "webhooks", provider, route).success();
            }
            return Response.noContent().build();
        });
    }

    @GET
    @Path("{provider}/{route}/activity")
    @Produces(MediaType.APPLICATION_JSON)
    public Response activity(@PathParam("provider") String provider, @PathParam("route") String route,
                             @QueryParam("first") Integer first, @QueryParam("max") Integer max) {
        auth.realm().requireViewRealm();
        return Responses.handle(() -> Responses.json(200,
                Map.of("deliveries", routes().activity(provider, route, first, max))));
    }
}
