package io.kcconnections.connect.connection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.mcp.McpConnect;
import io.kcconnections.connect.mcp.McpDiscovery;
import io.kcconnections.connect.net.FetchException;
import io.kcconnections.connect.oauth.Pkce;
import io.kcconnections.connect.spi.template.TemplateParam;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.Stores;
import org.jboss.logging.Logger;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;

/**
 * Step 1 of the connect path, <em>authorize</em>: an app asks where to send its user's browser. Checks the caller,
 * the provider (or the MCP server named by URL), the connection id, the redirect URI and the scopes; then keeps a
 * {@link PendingAuthorization} under a fresh state and answers the provider's authorization URL (with PKCE).
 */
public final class Authorizations {

    private static final Logger LOG = Logger.getLogger(Authorizations.class);
    private static final int MAX_URL = 2048;

    private final ConnectService connect;

    Authorizations(ConnectService connect) {
        this.connect = connect;
    }

    /**
     * What the app asked for.
     *
     * @param query every query parameter, for the provider's per-connection values ({@code &shop=…})
     */
    public record Request(String provider, String connectionId, String redirectUri, String scopes,
                          String mcpServerUrl, MultivaluedMap<String, String> query) {
    }

    /** Where to send the browser, and for how long the authorization stays open. */
    public record Started(String authorizeUrl, String connectionId, String provider, PendingAuthorization.Mcp mcp,
                          int expiresIn) {
    }

    public Started start(Caller caller, Request r) throws ConnectError {
        KeyRing ring = connect.keyRing();
        if (caller.isServiceAccount()) {
            throw ConnectError.forbidden("user_token_required", "a connection is made for a person: use a user's access token");
        }
        // Checked before anything is fetched for an MCP server URL.
        String cid = Inputs.newConnectionId(r.connectionId());
        Target target = target(caller, r);
        ResolvedProvider provider = target.provider();
        RealmModel realm = connect.realm();
        Connection existing = Stores.connections(connect.session()).find(realm.getId(), provider.name(), cid).orElse(null);
        Access.requireFreeFor(existing, caller.userId());
        List<String> requested = Inputs.scopes(r.scopes());
        String redirect = RedirectPolicy.check(connect.session(), caller.client(), r.redirectUri(), connect.settings());
        List<String> scopes = requested.isEmpty() && !target.scopes().isEmpty() ? target.scopes() : provider.scopes(requested);

        String state = Pkce.random(32);
        String verifier = provider.pkce() ? Pkce.verifier() : null;
        PendingAuthorization pending = new PendingAuthorization(realm.getId(), caller.userId(),
                caller.client().getClientId(), provider.name(), cid, redirect, scopes, provider.connectionValues(),
                target.mcp(), null);
        if (verifier != null) {
            pending = pending.withVerifier(ring.encrypt(verifier, AuthorizationStates.aad(state)));
        }
        int ttl = connect.settings().stateTtlSeconds();
        AuthorizationStates.put(connect.session(), state, pending, ttl);
        String url = connect.oauth().authorizeUrl(provider, realm, callbackUri(provider.name()), state,
                verifier == null ? null : Pkce.challenge(verifier), scopes);
        return new Started(url, cid, provider.name(), target.mcp(), ttl);
    }

    /** The provider to connect, with the MCP server's details and default scopes when named by URL. */
    private record Target(ResolvedProvider provider, PendingAuthorization.Mcp mcp, List<String> scopes) {
    }

    private Target target(Caller caller, Request r) throws ConnectError {
        String name = r.provider();
        if (r.mcpServerUrl() != null && !r.mcpServerUrl().isBlank()) {
            if (name != null && !name.isBlank() && !McpConnect.PROVIDER.equals(name)) {
                throw ConnectError.badRequest("invalid_request", "give either provider or mcp_server_url");
            }
            // The app's redirect URI is checked before anything is fetched from the URL.
            RedirectPolicy.check(connect.session(), caller.client(), r.redirectUri(), connect.settings());
            return mcpTarget(r.mcpServerUrl().trim());
        }
        if (McpConnect.PROVIDER.equals(name)) {
            throw ConnectError.badRequest("invalid_request", "an MCP server is connected by mcp_server_url");
        }
        return new Target(withConnectionValues(connect.access().provider(name), r.query()), null, List.of());
    }

    /**
     * Applies the per-connection values the app passes as query parameters named like the template's per-connection
     * parameters ({@code &shop=acme.myshopify.com}), checked like configured values. Nothing is stored on refusal.
     */
    private static ResolvedProvider withConnectionValues(ResolvedProvider provider, MultivaluedMap<String, String> query)
            throws ConnectError {
        List<TemplateParam> params = provider.connectionParams();
        if (params.isEmpty()) {
            return provider;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (TemplateParam p : params) {
            String given = Inputs.single(query, p.name());
            if (given != null) {
                values.put(p.name(), given);
            }
        }
        ResolvedProvider.Result res = provider.withConnectionValues(values);
        if (!res.ok()) {
            throw ConnectError.badRequest("invalid_request", Inputs.safe(String.join("; ", res.problems())));
        }
        return res.provider();
    }

    /**
     * An MCP server named by URL: discovery, the realm's registration at its authorization server, and the provider
     * built from both.
     */
    private Target mcpTarget(String serverUrl) throws ConnectError {
        if (serverUrl.length() > MAX_URL) {
            throw ConnectError.badRequest("invalid_mcp_server_url", "mcp_server_url is longer than 2048 characters");
        }
        McpConnect mcp = connect.mcp();
        RealmModel realm = connect.realm();
        try {
            McpDiscovery.McpServer server = mcp.discover(serverUrl);
            ResolvedProvider p = mcp.provider(connect.session(), realm, mcp.registration(connect.session(), realm, server,
                    callbackUri(McpConnect.PROVIDER)), server.resource());
            if (p == null) {
                throw new ConnectError(502, "mcp_registration_failed", "the registration at the authorization server is unusable");
            }
            return new Target(p, new PendingAuthorization.Mcp(serverUrl, server.resource(), server.as().issuer()),
                    new ArrayList<>(server.scopes()));
        } catch (FetchException e) {
            LOG.infof("MCP server %s refused: %s", McpConnect.shown(serverUrl), e.getMessage());
            throw new ConnectError(e.status(), e.code(), Inputs.safe(e.getMessage()));
        }
    }

    /** The callback URL registered at providers for this realm: {@code /realms/{realm}/connect/callback/{provider}}. */
    String callbackUri(String provider) {
        return Urls.realmBase(connect.session().getContext().getUri().getBaseUri()).path(connect.realm().getName())
                .path("connect").path("callback").path(provider).build().toString();
    }
}
