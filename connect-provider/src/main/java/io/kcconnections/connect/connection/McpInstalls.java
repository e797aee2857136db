package io.kcconnections.connect.connection;

import java.util.List;

import jakarta.ws.rs.core.MultivaluedHashMap;

import io.kcconnections.connect.mcp.McpCatalog;
import io.kcconnections.connect.mcp.McpConnect;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.Stores;

/**
 * Installing a server of the MCP catalog ({@link McpCatalog}) is connecting to its URL through the MCP flow of
 * {@link Authorizations} (the same checks, discovery, registration, start ticket), under the connection id
 * {@code mcp-<catalog id>-<user id>} (connection ids are unique in a realm, so the person's id is part of it); so an
 * install is a connection and lasts like one. Both directions are idempotent: a person
 * who already has a connection to the server's URL gets it back instead of a new start URL, and uninstalling what is
 * not installed does nothing.
 */
public final class McpInstalls {

    /** The connection id of a person's install of a catalog server. */
    public static String connectionId(String catalogId, String userId) {
        return "mcp-" + catalogId + "-" + userId;
    }

    private final ConnectService connect;

    McpInstalls(ConnectService connect) {
        this.connect = connect;
    }

    /** The person's connection to the server (already installed), or where to send their browser to connect it. */
    public record Installed(McpCatalog.Entry entry, Connection connection, Authorizations.Started started) {
    }

    public McpCatalog.Entry entry(String id) throws ConnectError {
        return connect.mcpCatalog().find(id).orElseThrow(() -> ConnectError.notFound("no MCP server " + Inputs.shown(id)
                + " in the catalog"));
    }

    /**
     * @param redirectUri where the browser returns (checked like {@code /connect/authorize}'s); none: Keycloak's done page
     */
    public Installed install(Caller caller, String id, String redirectUri) throws ConnectError {
        McpCatalog.Entry e = entry(id);
        requirePerson(caller);
        if (!"oauth".equals(e.auth())) {
            throw ConnectError.badRequest("not_installable", "the MCP server " + e.id() + " uses " + e.auth()
                    + " authentication, which is not connected through Keycloak");
        }
        List<Connection> mine = installed(caller.userId(), e);
        if (!mine.isEmpty()) {
            return new Installed(e, mine.get(0), null);
        }
        connect.keyRing();
        Authorizations.Request r = new Authorizations.Request(null, connectionId(e.id(), caller.userId()), redirectUri, null, e.url(),
                new MultivaluedHashMap<>());
        return new Installed(e, null, connect.authorizations().ticket(caller.userId(), caller.client(), r, true));
    }

    /** Disconnects every connection of the person to the server's URL; how many there were. */
    public int uninstall(Caller caller, String id) throws ConnectError {
        McpCatalog.Entry e = entry(id);
        requirePerson(caller);
        List<Connection> mine = installed(caller.userId(), e);
        for (Connection c : mine) {
            connect.disconnects().disconnect(connect.realm(), c, caller.client());
        }
        return mine.size();
    }

    private static void requirePerson(Caller caller) throws ConnectError {
        if (caller.isServiceAccount()) {
            throw ConnectError.forbidden("user_token_required", "an MCP server is installed for a person: use a user's access token");
        }
    }

    /** The person's connections to the entry's URL, however they were made (catalog or {@code mcp_server_url}). */
    private List<Connection> installed(String userId, McpCatalog.Entry e) {
        return Stores.connections(connect.session()).listByUser(connect.realm().getId(), userId).stream()
                .filter(c -> McpConnect.PROVIDER.equals(c.provider()))
                .filter(c -> e.url().equals(c.tokens().metadata().get(McpConnect.SERVER_URL)))
                .toList();
    }
}
