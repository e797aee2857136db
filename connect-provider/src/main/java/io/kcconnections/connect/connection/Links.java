package io.kcconnections.connect.connection;

import jakarta.ws.rs.core.MultivaluedMap;

import org.keycloak.models.UserModel;

/**
 * Connect links for backends and agents: a client whose service account holds the link-issuer role mints a start URL
 * for one of the realm's users (a chat bot hands it to the person). Only that person, signed in to Keycloak, can
 * complete it; without a redirect URI the browser ends on Keycloak's "you can close this page".
 */
public final class Links {

    private final ConnectService connect;

    Links(ConnectService connect) {
        this.connect = connect;
    }

    /** What a backend asks for: the person, the provider (or an MCP server URL), and where to go when done. */
    public record Request(String userId, String provider, String mcpServerUrl, String connectionId, String scopes,
                          String redirectUri, MultivaluedMap<String, String> params) {
    }

    public Authorizations.Started mint(Caller caller, Request r) throws ConnectError {
        Throttle.connectStart(connect, caller);
        connect.keyRing();
        String role = connect.settings().linkIssuerRole();
        if (!caller.isServiceAccount() || !caller.hasRealmRole(role)) {
            throw ConnectError.forbidden("link_issuer_required",
                    "connect links are minted by a client's service account with the realm role " + role);
        }
        if (r.userId() == null || r.userId().isBlank()) {
            throw ConnectError.badRequest("invalid_request", "user_id is required");
        }
        UserModel user = Inputs.plausibleUserId(r.userId())
                ? connect.session().users().getUserById(connect.realm(), r.userId()) : null;
        if (user == null || !user.isEnabled() || user.getServiceAccountClientLink() != null) {
            throw ConnectError.notFound("no such user");
        }
        return connect.authorizations().ticket(user.getId(), caller.client(), new Authorizations.Request(r.provider(),
                r.connectionId(), r.redirectUri(), r.scopes(), r.mcpServerUrl(), r.params()), true);
    }
}
