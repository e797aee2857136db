package io.kcconnections.connect.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.connection.ConnectError;
import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.rest.Responses;
import io.kcconnections.connect.webhooks.WebhookEndpoints;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/{realm}/connect/webhook-endpoints}: the endpoints apps (clients) register to receive their
 * connections' lifecycle events, each endpoint's deliveries, and enabling again an endpoint that answered 410 Gone
 * (the delivery pass disabled it), and rotating an endpoint's secret (the previous one keeps signing beside the new
 * one for an overlap). Reads need {@code view-clients}, writes {@code manage-clients}; a secret is answered once, at
 * creation or rotation, and never put in an admin event.
 */
public class AdminWebhookEndpointsResource {

    private final KeycloakSession session;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    AdminWebhookEndpointsResource(KeycloakSession session, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    private WebhookEndpoints endpoints() {
        return new WebhookEndpoints(session.getProvider(ConnectService.class));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        auth.clients().requireManage();
        return Responses.handle(() -> {
            Map<String, Object> created = endpoints().create(WebhookEndpoints.Input.parse(body));
            adminEvent.operation(OperationType.CREATE).resource(ResourceType.CUSTOM)
                    .resourcePath("connect", "webhook-endpoints", (String) created.get("id"))
                    .representation(Map.of("clientId", created.get("clientId"), "events", created.get("events"))).success();
            return Responses.json(201, created);
        });
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("clientId") String clientId) {
        auth.clients().requireView();
        return Responses.handle(() -> Responses.json(200, Map.of("endpoints", endpoints().list(clientId))));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        auth.clients().requireManage();
        return Responses.handle(() -> {
            if (!endpoints().delete(id)) {
                throw ConnectError.notFound("no webhook endpoint with this id");
            }
            adminEvent.operation(OperationType.DELETE).resource(ResourceType.CUSTOM)
                    .resourcePath("connect", "webhook-endpoints", id).success();
            return Response.noContent().build();
        });
    }

    @POST
    @Path("{id}/enable")
    @Produces(MediaType.APPLICATION_JSON)
    public Response enable(@PathParam("id") String id) {
        auth.clients().requireManage();
        return Responses.handle(() -> {
            Map<String, Object> enabled = endpoints().enable(id);
            adminEvent.operation(OperationType.UPDATE).resource(ResourceType.CUSTOM)
                    .resourcePath("connect", "webhook-endpoints", id).representation(Map.of("enabled", true)).success();
            return Responses.json(200, enabled);
        });
    }

    @POST
    @Path("{id}/rotate-secret")
    @Produces(MediaType.APPLICATION_JSON)
    public Response rotateSecret(@PathParam("id") String id, @QueryParam("overlapSeconds") String overlapSeconds,
                                 String body) {
        auth.clients().requireManage();
        return Responses.handle(() -> {
            Map<String, Object> rotated = endpoints().rotate(id, WebhookEndpoints.overlap(body, overlapSeconds));
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("secretRotatedAt", rotated.get("secretRotatedAt"));
            event.put("previousSecretExpiresAt", rotated.get("previousSecretExpiresAt"));
            adminEvent.operation(OperationType.UPDATE).resource(ResourceType.CUSTOM)
                    .resourcePath("connect", "webhook-endpoints", id).representation(event).success();
            return Responses.json(200, rotated);
        });
    }

    @GET
    @Path("{id}/deliveries")
    @Produces(MediaType.APPLICATION_JSON)
    public Response deliveries(@PathParam("id") String id, @QueryParam("first") Integer first,
                               @QueryParam("max") Integer max) {
        auth.clients().requireView();
        return Responses.handle(() -> Responses.json(200, Map.of("deliveries", endpoints().deliveries(id, first, max))));
    }
}
