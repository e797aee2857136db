package io.kcconnections.connect.rest;

import java.io.InputStream;
import java.util.Map;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.webhooks.WebhookReceiver;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;

/**
 * {@code POST /realms/{realm}/connect/webhooks/{provider}/{route}}: a webhook delivery. No bearer token: the signature
 * authenticates the sender ({@link WebhookReceiver}). The raw body is handed over unread, so its cap holds while it is
 * read.
 */
public class WebhookResource {

    private final KeycloakSession session;
    private final ConnectService connect;

    WebhookResource(KeycloakSession session, ConnectService connect) {
        this.session = session;
        this.connect = connect;
    }

    @POST
    @Path("{provider}/{route}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(@PathParam("provider") String provider, @PathParam("route") String route, InputStream body) {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        long length = headers.getLength();
        return Responses.handle(() -> {
            WebhookReceiver.Accepted a = new WebhookReceiver(connect).receive(provider, route,
                    headers::getHeaderString, length, body);
            return Responses.json(202, a.deliveryId() == null ? Map.of("status", a.status())
                    : Map.of("status", a.status(), "delivery_id", a.deliveryId()));
        });
    }
}
