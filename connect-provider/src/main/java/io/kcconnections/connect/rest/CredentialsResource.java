package io.kcconnections.connect.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.connection.Caller;
import io.kcconnections.connect.connection.Callers;
import io.kcconnections.connect.connection.ConnectError;
import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.connection.CredentialJson;
import io.kcconnections.connect.connection.Credentials;
import io.kcconnections.connect.credentials.CredentialProvider;
import io.kcconnections.connect.credentials.CredentialType;
import io.kcconnections.connect.credentials.FieldSpec;
import io.kcconnections.connect.store.Credential;
import io.kcconnections.connect.store.Health;
import io.kcconnections.connect.store.Stores;
import org.keycloak.models.KeycloakSession;

/**
 * {@code /realms/{realm}/connect/credentials}: a caller's typed credentials (API keys, basic, bearer, SMTP, database,
 * generic HTTP, OAuth app clients). Create, list, read (never a secret), change fields, delete, reveal one field, check
 * now. Bearer-authenticated like the rest of the connect API.
 */
public class CredentialsResource {

    private final KeycloakSession session;
    private final ConnectService connect;

    CredentialsResource(KeycloakSession session, ConnectService connect) {
        this.session = session;
        this.connect = connect;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("user_id") String userId) {
        return Responses.handle(() -> {
            Caller caller = Callers.authenticate(session);
            return Responses.json(200, Map.of("credentials", views(session, connect.credentials().list(caller, userId))));
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        return Responses.handle(() -> {
            Caller caller = Callers.authenticate(session);
            Credential c = connect.credentials().create(Credentials.Owner.of(caller), caller.client(), CredentialJson.input(body));
            return Responses.json(201, CredentialJson.view(c, null));
        });
    }

    @GET
    @Path("{connection_id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("connection_id") String connectionId) {
        return Responses.handle(() -> {
            Caller caller = Callers.authenticate(session);
            return Responses.json(200, views(session, List.of(connect.credentials().visible(caller, connectionId, true))).get(0));
        });
    }

    @PATCH
    @Path("{connection_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("connection_id") String connectionId, String body) {
        return Responses.handle(() -> {
            Caller caller = Callers.authenticate(session);
            Credential c = connect.credentials().visible(caller, connectionId, false);
            return Responses.json(200, views(session, List.of(connect.credentials().update(c, CredentialJson.changes(body)))).get(0));
        });
    }

    @DELETE
    @Path("{connection_id}")
    public Response delete(@PathParam("connection_id") String connectionId) {
        return Responses.handle(() -> {
            Caller caller = Callers.authenticate(session);
            connect.credentials().delete(connect.credentials().visible(caller, connectionId, false));
            return Response.noContent().build();
        });
    }

    /** One field's value; any refusal is the same 404. Audited. */
    @GET
    @Path("{connection_id}/secrets/{field}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response reveal(@PathParam("connection_id") String connectionId, @PathParam("field") String field) {
        return Responses.handle(() -> revealed(connect.credentials().reveal(Callers.authenticate(session), connectionId, field)));
    }

    static Response revealed(Credentials.Revealed r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connection_id", r.credential().connectionId());
        body.put("type", r.credential().type());
        body.put("provider", r.credential().provider());
        body.put("field", r.field());
        body.put("value", r.value());
        return Responses.json(200, body);
    }

    /** Checks the credential now (the provider's check call, SMTP login, database {@code SELECT 1}). */
    @GET
    @Path("{connection_id}/health")
    @Produces(MediaType.APPLICATION_JSON)
    public Response health(@PathParam("connection_id") String connectionId) {
        return Responses.handle(() -> {
            Caller caller = Callers.authenticate(session);
            Credential c = connect.credentials().visible(caller, connectionId, true);
            Health.State h = connect.prober().checkNow(c.id());
            if (h == null) {
                throw ConnectError.badRequest("not_checkable", c.type() + " credentials have no health check");
            }
            Map<String, Object> body = CredentialJson.health(h);
            body.put("connection_id", c.connectionId());
            return Responses.json(200, body);
        });
    }

    /** Credentials with their health, in one lookup. */
    static List<Map<String, Object>> views(KeycloakSession session, List<Credential> list) {
        Map<String, Health.State> health = Stores.health(session).byIds(list.stream().map(Credential::id).toList());
        return list.stream().map(c -> CredentialJson.view(c, health.get(c.id()))).toList();
    }

    /** The types and their fields, and the catalog's API-key, token and basic providers. */
    static Map<String, Object> types(ConnectService connect) {
        Map<String, Object> types = new LinkedHashMap<>();
        for (CredentialType t : CredentialType.values()) {
            types.put(t.id(), t.fields().stream().map(CredentialsResource::field).toList());
        }
        List<Map<String, Object>> providers = connect.credentialCatalog().all().values().stream()
                .map(CredentialsResource::provider).toList();
        return Map.of("types", types, "providers", providers);
    }

    private static Map<String, Object> field(FieldSpec f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        m.put("required", f.required());
        m.put("secret", f.secret());
        m.put("format", f.format().name().toLowerCase(java.util.Locale.ROOT));
        if (!f.values().isEmpty()) {
            m.put("values", f.values());
        }
        return m;
    }

    private static Map<String, Object> provider(CredentialProvider p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("display_name", p.displayName());
        m.put("category", p.category());
        m.put("types", p.types());
        m.put("base_url", p.baseUrl());
        m.put("params", p.params().keySet());
        m.put("check", p.check().method() + " " + p.check().path());
        m.put("docs", p.docs());
        return m;
    }
}
