package io.kcconnections.connect.connection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.mcp.McpConnect;
import io.kcconnections.connect.mcp.McpDiscovery;
import io.kcconnections.connect.net.FetchException;
import io.kcconnections.connect.oauth.Pkce;
import io.kcconnections.connect.spi.template.TemplateParam;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.Stores;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;

/**
 * Step 1 of the connect path, <em>authorize</em>: an app asks where to send its user's browser. Checks the caller,
 * the provider (or the MCP server named by URL), the connection id, the redirect URI and the scopes; then keeps a
 * start ticket ({@link PendingAuthorization}) under a fresh handle and answers the Keycloak start URL that only this
 * person can complete ({@link Starts}, step 2).
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

    /** The start URL to send the person's browser to, and for how long it stays open. */
    public record Started(String startUrl, String connectionId, String provider, PendingAuthorization.Mcp mcp,
                          int expiresIn) {
    }

    public Started start(Caller caller, Request r) throws ConnectError {
        Throttle.connectStart(connect, caller);
        connect.keyRing();
        if (caller.isServiceAccount()) {
            throw ConnectError.forbidden("user_token_required", "a connection is made for a person: use a user's access token");
        }
        return ticket(caller.userId(), caller.client(), r, false);
    }

    /**
     * Checks the request and keeps a start ticket for {@code userId} under a fresh handle: only that person, signed
     * in to Keycloak in a browser, can complete it.
     *
     * @param donePage without a redirect URI the browser ends on Keycloak's "you can close this page" page
     */
    Started ticket(String userId, ClientModel client, Request r, boolean donePage) throws ConnectError {
        // Checked before anything is fetched for an MCP server URL.
        String cid = Inputs.newConnectionId(r.connectionId());
        Target target = target(userId, client, r, donePage);
        ResolvedProvider provider = target.provider();
        Inputs.requireNotAnotherLoginId(cid, provider.name(), userId);
        RealmModel realm = connect.realm();
        Connection existing = Stores.connections(connect.session()).find(realm.getId(), provider.name(), cid).orElse(null);
        Access.requireFreeFor(existing, userId);
        if (existing == null) {
            requireRoomFor(userId);
        }
        List<String> requested = Inputs.scopes(r.scopes());
        String redirect = redirect(client, r.redirectUri(), donePage);
        List<String> scopes = requested.isEmpty() && !target.scopes().isEmpty() ? target.scopes() : provider.scopes(requested);
        PendingAuthorization ticket = new PendingAuthorization(realm.getId(), userId, client.getClientId(), provider.name(),
                cid, redirect, scopes, provider.connectionValues(), target.mcp(), null, null);
        String handle = Pkce.random(32);
        int ttl = connect.settings().startTtlSeconds();
        AuthorizationStates.putStart(connect.session(), handle, ticket, ttl);
        return new Started(Starts.url(connect, handle), cid, provider.name(), target.mcp(), ttl);
    }

    /**
     * A start URL for a person who has no usable connection yet, handed out with a {@code not_connected} or
     * {@code needs_reauth} answer so an app or agent can pass it on. Null when none can be made (a provider that
     * needs values the app did not give, a person who is gone, a refused redirect URI).
     *
     * @param values per-connection values of the connection to make again (its metadata)
     */
    String connectUrl(String userId, ClientModel client, String provider, String connectionId, String redirectUri,
                      Map<String, String> values) {
        if (userId == null || client == null) {
            return null;
        }
        MultivaluedHashMap<String, String> query = new MultivaluedHashMap<>();
        values.forEach(query::putSingle);
        boolean mcp = McpConnect.PROVIDER.equals(provider);
        Request r = new Request(mcp ? null : provider, connectionId, redirectUri, null,
                mcp ? values.get(McpConnect.SERVER_URL) : null, query);
        try {
            return ticket(userId, client, r, true).startUrl();
        } catch (ConnectError e) {
            LOG.debugf("no connect URL for provider %s: %s", Inputs.shown(provider), e.code());
            return null;
        }
    }

    /** 403 {@code connection_limit} when the person already has {@code max-connections-per-user} connections. */
    void requireRoomFor(String userId) throws ConnectError {
        int max = connect.settings().maxConnectionsPerUser();
        if (Stores.connections(connect.session()).countByUser(connect.realm().getId(), userId) >= max) {
            throw ConnectError.forbidden("connection_limit", "this person has " + max
                    + " connections, the most allowed (max-connections-per-user): remove one first");
        }
    }

    /** The app's redirect URI, checked against the client's; or, when allowed and none is given, the done page. */
    private String redirect(ClientModel client, String requested, boolean donePage) throws ConnectError {
        if (donePage && (requested == null || requested.isBlank())) {
            return Starts.donePage(connect);
        }
        return RedirectPolicy.check(connect.session(), client, requested, connect.settings());
    }

    /**
     * The provider a pending authorization connects, as it was asked for: the MCP server's registration, or the
     * realm's provider with the connection's values. Null when it is not usable any more (logged).
     */
    ResolvedProvider providerOf(PendingAuthorization p) {
        RealmModel realm = connect.realm();
        ResolvedProvider provider = p.mcp() != null
                ? connect.mcp().provider(connect.session(), realm, p.mcp().issuer(), p.mcp().resource())
                : connect.registry().find(connect.session(), realm, p.provider());
        if (provider == null) {
            return null;
        }
        ResolvedProvider.Result withValues = provider.withConnectionValues(p.connectionValues());
        if (!withValues.ok()) {
            LOG.warnf("connection %s (%s): its values are refused now: %s", Inputs.shown(p.connectionId()), p.provider(),
                    String.join("; ", withValues.problems()));
            return null;
        }
        return withValues.provider();
    }

    /** The provider to connect, with the MCP server's details and default scopes when named by URL. */
    private record Target(ResolvedProvider provider, PendingAuthorization.Mcp mcp, List<String> scopes) {
    }

    private Target target(String userId, ClientModel client, Request r, boolean donePage) throws ConnectError {
        String name = r.provider();
        if (r.mcpServerUrl() != null && !r.mcpServerUrl().isBlank()) {
            if (name != null && !name.isBlank() && !McpConnect.PROVIDER.equals(name)) {
                throw ConnectError.badRequest("invalid_request", "give either provider or mcp_server_url");
            }
            // The app's redirect URI is checked before anything is fetched from the URL.
            redirect(client, r.redirectUri(), donePage);
            return mcpTarget(r.mcpServerUrl().trim(), userId);
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
    private Target mcpTarget(String serverUrl, String userId) throws ConnectError {
        if (serverUrl.length() > MAX_URL) {
            throw ConnectError.badRequest("invalid_mcp_server_url", "mcp_server_url is longer than 2048 characters");
        }
        McpConnect mcp = connect.mcp();
        RealmModel realm = connect.realm();
        try {
            McpDiscovery.McpServer server = mcp.discover(serverUrl);
            ResolvedProvider p = mcp.provider(connect.session(), realm, mcp.registration(connect.session(), realm, server,
                    callbackUri(McpConnect.PROVIDER), userId), server.resource());
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
