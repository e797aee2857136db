package io.kcconnections.connect.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.refresh.KeyRewrap;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;

/**
 * {@code /admin/realms/{realm}/connect/encryption}: where the realm's stored secrets stand after a key rotation
 * ({@code GET}, view-realm), and moving them to the primary key now ({@code POST /rewrap}, manage-realm). The same
 * move runs in the background every cleanup interval; this one answers when it is done for the realm, or after
 * {@code max_rows} rows (call again to go on: it resumes from what is left).
 */
public class AdminEncryptionResource {

    private static final int DEFAULT_ROWS = 10_000;

    private final ConnectAdminResource parent;

    AdminEncryptionResource(ConnectAdminResource parent) {
        this.parent = parent;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response progress() {
        parent.auth().realm().requireViewRealm();
        return answer(rewrap().progress(parent.realm().getId()));
    }

    @Path("rewrap")
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response rewrapNow(@QueryParam("max_rows") Integer maxRows) {
        parent.auth().realm().requireManageRealm();
        int rows = maxRows == null ? DEFAULT_ROWS : Math.max(1, Math.min(maxRows, 1_000_000));
        KeyRewrap.Progress p = rewrap().rewrap(parent.realm().getId(), rows);
        parent.adminEvent().operation(OperationType.ACTION).resource(ResourceType.CUSTOM)
                .resourcePath(parent.session().getContext().getUri()).success();
        return answer(p);
    }

    private KeyRewrap rewrap() {
        return parent.session().getProvider(ConnectService.class).keyRewrap();
    }

    private static Response answer(KeyRewrap.Progress p) {
        if (p == null) {
            return Response.status(503).type(MediaType.APPLICATION_JSON).entity(Map.of("error", "encryption_unavailable",
                    "error_description", "token encryption is not configured on this server")).build();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("primary_key_id", p.primaryKeyId());
        m.put("key_ids", p.keyIds());
        m.put("connections_on_older_keys", p.connectionsOnOlderKeys());
        m.put("mcp_registrations_on_older_keys", p.registrationsOnOlderKeys());
        m.put("webhook_routes_on_older_keys", p.webhookRoutesOnOlderKeys());
        m.put("webhook_endpoints_on_older_keys", p.webhookEndpointsOnOlderKeys());
        m.put("credentials_on_older_keys", p.credentialsOnOlderKeys());
        m.put("done", p.done());
        m.put("moved", p.moved());
        m.put("unreadable", p.unreadable());
        return Response.ok(m).build();
    }
}
