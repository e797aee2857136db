package io.kcconnections.connect.admin;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.rest.Responses;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.Credential;
import io.kcconnections.connect.store.Health;
import io.kcconnections.connect.store.Stores;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;

/**
 * {@code .../connect/health}: the realm's health summary (counts per kind and status, and the unhealthy ones with
 * their last error) for admins who may view users; {@code POST .../health/probe} checks the whole realm now.
 */
public class AdminHealthResource {

    private final ConnectAdminResource parent;

    AdminHealthResource(ConnectAdminResource parent) {
        this.parent = parent;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response summary() {
        parent.auth().users().requireView();
        Health health = Stores.health(parent.session());
        String realmId = parent.realm().getId();
        List<Map<String, Object>> unhealthy = health.unhealthy(realmId, 100).stream().map(this::describe).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("summary", health.summary(realmId));
        body.put("unhealthy", unhealthy);
        return Responses.json(200, body);
    }

    @POST
    @Path("probe")
    @Produces(MediaType.APPLICATION_JSON)
    public Response probe() {
        parent.auth().users().requireManage();
        int checked = parent.session().getProvider(ConnectService.class).prober().probeRealm(parent.realm().getId());
        parent.adminEvent().operation(OperationType.ACTION).resource(ResourceType.CUSTOM)
                .resourcePath(parent.session().getContext().getUri()).success();
        return Responses.json(200, Map.of("checked", checked));
    }

    private Map<String, Object> describe(Health.State h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", h.kind());
        if (Health.CREDENTIAL.equals(h.kind())) {
            Credential c = Stores.credentials(parent.session()).findById(h.id()).orElse(null);
            m.put("connection_id", c == null ? null : c.connectionId());
            m.put("provider", c == null ? null : c.provider());
            m.put("user_id", c == null ? null : c.userId());
        } else {
            Connection c = Stores.connections(parent.session()).findById(h.id()).orElse(null);
            m.put("connection_id", c == null ? null : c.connectionId());
            m.put("provider", c == null ? null : c.provider());
            m.put("user_id", c == null ? null : c.userId());
        }
        m.put("consecutive_failures", h.failures());
        m.put("last_error", h.lastError());
        m.put("last_check_at", h.lastCheckAt() == null ? null : Instant.ofEpochMilli(h.lastCheckAt()).toString());
        return m;
    }
}
