package io.kcconnections.connect.rest;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.ConnectSettings;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.mcp.McpConnect;
import io.kcconnections.connect.mcp.McpDiscovery;
import io.kcconnections.connect.mcp.McpException;
import org.jboss.logging.Logger;
import io.kcconnections.connect.oauth.Pkce;
import io.kcconnections.connect.spi.template.TemplateParam;
import io.kcconnections.connect.store.Connection;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.managers.AuthenticationManager;

/** {@code GET /connect/authorize}: where to send the person's browser to connect an account. */
final class AuthorizeEndpoint extends EndpointSupport {

    private static final Logger LOG = Logger.getLogger(AuthorizeEndpoint.class);

    AuthorizeEndpoint(KeycloakSession session) {
        super(session);
    }

    /**
     * Applies the per-connection values the app passes as query parameters named like the template's per-connection
     * parameters ({@code &shop=acme.myshopify.com}), checked like configured values. Nothing is stored on refusal.
     */
    private ResolvedProvider withConnectionValues(ResolvedProvider provider) throws ApiError {
        List<TemplateParam> params = provider.connectionParams();
        if (params.isEmpty()) {
            return provider;
        }
        MultivaluedMap<String, String> query = session.getContext().getUri().getQueryParameters();
        Map<String, String> values = new LinkedHashMap<>();
        for (TemplateParam p : params) {
            List<String> given = query.get(p.name());
            if (given == null || given.isEmpty()) {
                continue;
            }
            if (given.size() > 1) {
                throw ApiError.badRequest("invalid_request", p.name() + " is given more than once");
            }
            values.put(p.name(), given.get(0));
        }
        ResolvedProvider.Result r = provider.withConnectionValues(values);
        if (!r.ok()) {
            throw ApiError.badRequest("invalid_request", safe(String.join("; ", r.problems())));
        }
        return r.provider();
    }

    /** A problem text echoed to the caller: printable ASCII only, bounded. */
    private static String safe(String s) {
        String t = s.replaceAll("[^\\x20-\\x7E…]", "_");
        return t.length() > 500 ? t.substring(0, 500) + "…" : t;
    }

    /**
     * An MCP server named by URL: discovery, the realm's registration at its authorization server, and the provider
     * built from both. Adds the notes the callback needs to find them again.
     */
    private ResolvedProvider mcpProvider(String serverUrl, Map<String, String> notes, List<String> defaultScopes)
            throws ApiError {
        if (serverUrl.length() > 2048) {
            throw ApiError.badRequest("invalid_mcp_server_url", "mcp_server_url is longer than 2048 characters");
        }
        try {
            McpDiscovery.McpServer server = McpConnect.discover(session, serverUrl);
            ResolvedProvider p = McpConnect.provider(session, realm,
                    McpConnect.registration(session, realm, server, callbackUri(McpConnect.PROVIDER)), server.resource());
            if (p == null) {
                throw new ApiError(502, "mcp_registration_failed", "the registration at the authorization server is unusable");
            }
            notes.put(McpConnect.SERVER_URL, serverUrl);
            notes.put(McpConnect.RESOURCE, server.resource());
            notes.put(McpConnect.ISSUER, server.as().issuer());
            defaultScopes.addAll(server.scopes());
            return p;
        } catch (McpException e) {
            LOG.infof("MCP server %s refused: %s", McpConnect.shown(serverUrl), e.getMessage());
            throw new ApiError(e.status(), e.code(), safe(e.getMessage()));
        }
    }

    Response handle(String providerName,
                              String connectionId,
                              String redirectUri,
                              String scopes,
                              String mcpServerUrl) {
        try {
            AuthenticationManager.AuthResult auth = CallerAuth.authenticate(session);
            KeyRing ring = keyRing();
            if (CallerAuth.isServiceAccount(auth.user())) {
                throw ApiError.forbidden("user_token_required", "a connection is made for a person: use a user's access token");
            }
            // Checked before anything is fetched for an MCP server URL.
            String cid = newConnectionId(connectionId);
            Map<String, String> mcpNotes = new HashMap<>();
            List<String> mcpScopes = new java.util.ArrayList<>();
            ResolvedProvider provider;
            if (mcpServerUrl != null && !mcpServerUrl.isBlank()) {
                if (providerName != null && !providerName.isBlank() && !McpConnect.PROVIDER.equals(providerName)) {
                    throw ApiError.badRequest("invalid_request", "give either provider or mcp_server_url");
                }
                // The app's redirect URI is checked before anything is fetched from the URL.
                RedirectPolicy.check(session, auth.client(), redirectUri, connect.settings());
                provider = mcpProvider(mcpServerUrl.trim(), mcpNotes, mcpScopes);
            } else if (McpConnect.PROVIDER.equals(providerName)) {
                throw ApiError.badRequest("invalid_request", "an MCP server is connected by mcp_server_url");
            } else {
                provider = withConnectionValues(provider(providerName));
            }
            Connection existing = connect.store().find(realm.getId(), provider.name(), cid).orElse(null);
            if (existing != null && !auth.user().getId().equals(existing.userId())) {
                throw ApiError.forbidden("connection_id_in_use", "connection_id belongs to another owner");
            }
            List<String> requested = parseScopes(scopes);
            ConnectSettings settings = connect.settings();
            String redirect = RedirectPolicy.check(session, auth.client(), redirectUri, settings);

            String state = Pkce.random(32);
            String verifier = provider.pkce() ? Pkce.verifier() : null;
            List<String> effectiveScopes = requested.isEmpty() && !mcpScopes.isEmpty() ? mcpScopes : provider.scopes(requested);
            Map<String, String> notes = new HashMap<>();
            notes.put("realm", realm.getId());
            notes.put("user", auth.user().getId());
            notes.put("client", auth.client().getClientId());
            notes.put("provider", provider.name());
            notes.put("connection", cid);
            notes.put("redirect", redirect);
            notes.put("scopes", String.join(" ", effectiveScopes));
            provider.connectionValues().forEach((k, v) -> notes.put(CONNECTION_VALUE_NOTE + k, v));
            notes.putAll(mcpNotes);
            if (verifier != null) {
                notes.put("verifier", ring.encrypt(verifier, stateAad(state)));
            }
            session.singleUseObjects().put(stateKey(state), settings.stateTtlSeconds(), notes);

            String url = connect.oauth().authorizeUrl(provider, realm, callbackUri(provider.name()), state,
                    verifier == null ? null : Pkce.challenge(verifier), effectiveScopes);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("authorize_url", url);
            body.put("connection_id", cid);
            body.put("provider", provider.name());
            if (!mcpNotes.isEmpty()) {
                body.put("mcp_resource", mcpNotes.get(McpConnect.RESOURCE));
                body.put("mcp_issuer", mcpNotes.get(McpConnect.ISSUER));
            }
            body.put("expires_in", settings.stateTtlSeconds());
            return json(200, body);
        } catch (ApiError e) {
            return e.toResponse();
        }
    }

}
