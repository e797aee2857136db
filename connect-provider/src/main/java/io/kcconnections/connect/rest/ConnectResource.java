package io.kcconnections.connect.rest;

import java.time.Instant;
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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.connection.Authorizations;
import io.kcconnections.connect.connection.Caller;
import io.kcconnections.connect.connection.ConnectError;
import io.kcconnections.connect.connection.Callers;
import io.kcconnections.connect.connection.Callbacks;
import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.connection.ConnectionView;
import io.kcconnections.connect.connection.CredentialJson;
import io.kcconnections.connect.connection.Grants;
import io.kcconnections.connect.connection.Inputs;
import io.kcconnections.connect.connection.Links;
import io.kcconnections.connect.connection.Starts;
import io.kcconnections.connect.connection.TokenReads;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.ConnectionStatus;
import io.kcconnections.connect.store.Health;
import io.kcconnections.connect.store.Stores;
import org.keycloak.models.KeycloakSession;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.services.ErrorPage;

/**
 * {@code /realms/{realm}/connect}: the routes. Each parses its request, calls the connect service
 * ({@link ConnectService}) and maps the result; every error is JSON except the browser-facing callback, which
 * redirects or shows Keycloak's themed error page.
 */
public class ConnectResource {

    private final KeycloakSession session;
    private final ConnectService connect;

    public ConnectResource(KeycloakSession session) {
        this.session = session;
        this.connect = session.getProvider(ConnectService.class);
    }

    /** The OpenAPI 3.1 document of this API and the admin API, with this realm's URLs in {@code servers}; no token needed. */
    @GET
    @Path("openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response openApi() {
        return OpenApiDocument.serve(session);
    }

    @GET
    @Path("providers")
    @Produces(MediaType.APPLICATION_JSON)
    public Response providers() {
        return Responses.handle(() -> {
            Callers.authenticate(session);
            List<Map<String, Object>> providers = connect.registry().all(session, connect.realm()).values().stream()
                    .map(ProviderViews::of).toList();
            return Responses.json(200, Map.of("providers", providers));
        });
    }

    @GET
    @Path("authorize")
    @Produces(MediaType.APPLICATION_JSON)
    public Response authorize(@QueryParam("provider") String provider, @QueryParam("connection_id") String connectionId,
                              @QueryParam("redirect_uri") String redirectUri, @QueryParam("scopes") String scopes,
                              @QueryParam("mcp_server_url") String mcpServerUrl) {
        return Responses.handle(() -> {
            Caller caller = Callers.authenticate(session);
            Authorizations.Started s = connect.authorizations().start(caller, new Authorizations.Request(provider,
                    connectionId, redirectUri, scopes, mcpServerUrl, session.getContext().getUri().getQueryParameters()));
            return Responses.json(200, started(s));
        });
    }

    /** A start URL for the person's browser: {@code authorize_url} (the name apps already read) and its lifetime. */
    static Map<String, Object> started(Authorizations.Started s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("authorize_url", s.startUrl());
        body.put("connection_id", s.connectionId());
        body.put("provider", s.provider());
        if (s.mcp() != null) {
            body.put("mcp_resource", s.mcp().resource());
            body.put("mcp_issuer", s.mcp().issuer());
        }
        body.put("expires_in", s.expiresIn());
        body.put("expires_at", Instant.now().plusSeconds(s.expiresIn()).toString());
        return body;
    }

    @GET
    @Path("start/{handle}")
    public Response start(@PathParam("handle") String handle) {
        Starts.Outcome o = connect.starts().open(handle);
        if (o instanceof Starts.Redirect r) {
            return Response.status(302).location(r.location()).build();
        }
        if (o instanceof Starts.Login l) {
            return l.response();
        }
        Starts.Page p = (Starts.Page) o;
        return ErrorPage.error(session, null, Response.Status.fromStatusCode(p.status()), p.messageKey());
    }

    /** Where a connect link without a redirect URI ends: "you can close this page" (or what went wrong). */
    @GET
    @Path("done")
    public Response done(@QueryParam("success") String success, @QueryParam("error") String error) {
        LoginFormsProvider forms = session.getProvider(LoginFormsProvider.class);
        if ("true".equals(success)) {
            return forms.setSuccess("connectDone").createInfoPage();
        }
        return ErrorPage.error(session, null, Response.Status.BAD_REQUEST,
                "access_denied".equals(error) ? "connectDeniedAtProvider" : "connectFailedAtProvider");
    }

    @GET
    @Path("callback/{provider}")
    public Response callbackGet(@PathParam("provider") String provider) {
        return callback(provider, session.getContext().getUri().getQueryParameters());
    }

    @POST
    @Path("callback/{provider}")
    public Response callbackPost(@PathParam("provider") String provider) {
        return callback(provider, Responses.queryAndForm(session));
    }

    private Response callback(String provider, MultivaluedMap<String, String> params) {
        Callbacks.Outcome o = connect.callbacks().finish(provider, params);
        if (o instanceof Callbacks.Redirect r) {
            return Response.status(302).location(r.location()).build();
        }
        return ErrorPage.error(session, null, Response.Status.BAD_REQUEST, ((Callbacks.ErrorPage) o).messageKey());
    }

    @POST
    @Path("device")
    @Produces(MediaType.APPLICATION_JSON)
    public Response device() {
        return Responses.handle(() -> {
            Caller caller = Callers.authenticate(session);
            Grants.DeviceStarted d = connect.grants().startDevice(caller, grantRequest());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("connection_id", d.connectionId());
            body.put("provider", d.provider());
            body.put("status", ConnectionStatus.PENDING.id());
            body.put("user_code", d.authorization().userCode());
            body.put("verification_uri", d.authorization().verificationUri());
            body.put("verification_uri_complete", d.authorization().verificationUriComplete());
            body.put("expires_in", d.authorization().expiresIn());
            body.put("interval", d.authorization().interval());
            return Responses.json(200, body);
        });
    }

    @POST
    @Path("client-connections")
    @Produces(MediaType.APPLICATION_JSON)
    public Response clientConnection() {
        return Responses.handle(() -> {
            Caller caller = Callers.authenticate(session);
            Grants.ClientConnection c = connect.grants().createClientConnection(caller, grantRequest());
            return Responses.json(c.renewed() ? 200 : 201, ConnectionView.of(c.connection()));
        });
    }

    /** {@code provider}, {@code connection_id}, {@code scopes} from a form body or the query, each at most once. */
    private Grants.Request grantRequest() throws ConnectError {
        MultivaluedMap<String, String> p = Responses.queryAndForm(session);
        return new Grants.Request(Inputs.single(p, "provider"), Inputs.single(p, "connection_id"), Inputs.single(p, "scopes"));
    }

    @GET
    @Path("connections")
    @Produces(MediaType.APPLICATION_JSON)
    public Response connections(@QueryParam("user_id") String userId) {
        return Responses.handle(() -> {
            Caller caller = Callers.authenticate(session);
            return Responses.json(200, Map.of("connections", withHealth(connect.access().list(caller, userId))));
        });
    }

    @GET
    @Path("connections/{connection_id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response connection(@PathParam("connection_id") String connectionId, @QueryParam("provider") String provider) {
        return Responses.handle(() -> {
            Caller caller = Callers.authenticate(session);
            return Responses.json(200, withHealth(List.of(connect.access().current(caller, connectionId, provider))).get(0));
        });
    }

    /** The owner's views of connections, each with its health (the prober's last word), in one lookup. */
    private List<Map<String, Object>> withHealth(List<Connection> list) {
        Map<String, Health.State> health = Stores.health(session).byIds(list.stream().map(Connection::id).toList());
        return list.stream().map(c -> {
            Map<String, Object> v = ConnectionView.forOwner(c, session.getContext().getRealm());
            v.put("health", CredentialJson.health(health.get(c.id())));
            return v;
        }).toList();
    }

    @DELETE
    @Path("connections/{connection_id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response disconnect(@PathParam("connection_id") String connectionId, @QueryParam("provider") String provider) {
        return Responses.handle(() -> {
            Caller caller = Callers.authenticate(session);
            Connection c = connect.access().removable(caller, connectionId, provider);
            connect.disconnects().disconnect(connect.realm(), c, caller.client());
            return Response.noContent().build();
        });
    }

    @GET
    @Path("token/{connection_id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@PathParam("connection_id") String connectionId, @QueryParam("provider") String provider,
                          @QueryParam("redirect_uri") String redirectUri, @QueryParam("field") String field) {
        if (field != null) {
            // One field of a typed credential (same answer and audit as .../credentials/{id}/secrets/{field}).
            return Responses.handle(() -> CredentialsResource.revealed(
                    connect.credentials().reveal(Callers.authenticate(session), connectionId, field)));
        }
        return token(new TokenReads.Lookup(connectionId, provider, null, redirectUri));
    }

    /** The caller's one connection of a provider ({@code user_id} names the person, for readers). */
    @GET
    @Path("token")
    @Produces(MediaType.APPLICATION_JSON)
    public Response tokenByProvider(@QueryParam("provider") String provider, @QueryParam("user_id") String userId,
                                    @QueryParam("redirect_uri") String redirectUri) {
        return token(new TokenReads.Lookup(null, provider, userId, redirectUri));
    }

    private Response token(TokenReads.Lookup lookup) {
        return Responses.handle(() -> {
            TokenReads.Released r = connect.tokens().read(lookup);
            Connection c = r.connection();
            Long expiresAt = c.tokens().expiresAt();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("token", r.accessToken());
            body.put("token_type", c.tokens().tokenType() == null ? "Bearer" : c.tokens().tokenType());
            body.put("expires_at", expiresAt == null ? null : Instant.ofEpochMilli(expiresAt).toString());
            body.put("expires_in", expiresAt == null ? null : Math.max(0, (expiresAt - r.at()) / 1000));
            body.put("scopes", c.tokens().scopes());
            body.put("connection_id", c.connectionId());
            body.put("provider", c.provider());
            body.put("account_id", c.identity().accountId());
            body.put("status", c.status().id());
            body.put("metadata", c.tokens().metadata());
            return Responses.json(200, body);
        });
    }

    /** {@code /credentials}: typed credentials (API keys, basic, bearer, SMTP, database, generic HTTP, OAuth apps). */
    @Path("credentials")
    public CredentialsResource credentials() {
        return new CredentialsResource(session, connect);
    }

    /** The credential types with their fields, and the catalog's API-key, token and basic-auth providers. */
    @GET
    @Path("credential-types")
    @Produces(MediaType.APPLICATION_JSON)
    public Response credentialTypes() {
        return Responses.handle(() -> {
            Callers.authenticate(session);
            return Responses.json(200, CredentialsResource.types(connect));
        });
    }

    /** {@code /mcp/catalog}: known remote MCP servers, installed per person as MCP connections. */
    @Path("mcp/catalog")
    public McpCatalogResource mcpCatalog() {
        return new McpCatalogResource(session, connect);
    }

    /** {@code /webhooks/{provider}/{route}}: signed webhook deliveries from providers (no bearer token). */
    @Path("webhooks")
    public WebhookResource webhooks() {
        return new WebhookResource(session, connect);
    }

    /** A connect link for one of the realm's users, minted by a backend (form or query parameters). */
    @POST
    @Path("links")
    @Produces(MediaType.APPLICATION_JSON)
    public Response link() {
        return Responses.handle(() -> {
            Caller caller = Callers.authenticate(session);
            MultivaluedMap<String, String> p = Responses.queryAndForm(session);
            Authorizations.Started s = connect.links().mint(caller, new Links.Request(Inputs.single(p, "user_id"),
                    Inputs.single(p, "provider"), Inputs.single(p, "mcp_server_url"), Inputs.single(p, "connection_id"),
                    Inputs.single(p, "scopes"), Inputs.single(p, "redirect_uri"), p));
            Map<String, Object> body = started(s);
            body.put("user_id", Inputs.single(p, "user_id"));
            return Responses.json(201, body);
        });
    }
}
