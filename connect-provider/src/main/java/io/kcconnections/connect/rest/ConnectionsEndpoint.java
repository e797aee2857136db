package io.kcconnections.connect.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.store.Connection;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * {@code /connect/connections}: a person sees and removes their own connections; a service account holding the
 * reader role may list a user's ({@code ?user_id=}). Never a token in any answer.
 */
final class ConnectionsEndpoint extends EndpointSupport {

    ConnectionsEndpoint(KeycloakSession session) {
        super(session);
    }

    Response list(String userId) {
        try {
            AuthenticationManager.AuthResult auth = CallerAuth.authenticate(session);
            String owner = auth.user().getId();
            if (userId != null && !userId.equals(owner)) {
                if (!isReader(auth)) {
                    throw ApiError.forbidden("access_denied", "only the reader role may list another user's connections");
                }
                UserModel u = session.users().getUserById(realm, userId);
                if (u == null) {
                    throw ApiError.notFound("no such user");
                }
                owner = u.getId();
            } else if (CallerAuth.isServiceAccount(auth.user()) && userId == null) {
                // A service account without ?user_id= sees the connections its client owns.
                List<Map<String, Object>> out = connect.store().listByOwnerClient(realm.getId(), auth.user().getServiceAccountClientLink())
                        .stream().map(ConnectionView::of).toList();
                return json(200, Map.of("connections", out));
            }
            List<Map<String, Object>> out = connect.store().listByUser(realm.getId(), owner).stream()
                    .map(ConnectionView::of).toList();
            return json(200, Map.of("connections", out));
        } catch (ApiError e) {
            return e.toResponse();
        }
    }

    Response get(String connectionId, String provider) {
        try {
            AuthenticationManager.AuthResult auth = CallerAuth.authenticate(session);
            Connection c = visible(auth, connectionId, provider, true);
            // An app polls a pending device authorization here: poll the provider when a poll is due.
            Connection now = connect.refresher().pollIfDue(session, realm, c);
            if (now == null) {
                throw ApiError.notFound("the connection was removed");
            }
            return json(200, ConnectionView.of(now));
        } catch (ApiError e) {
            return e.toResponse();
        }
    }

    Response delete(String connectionId, String provider) {
        try {
            AuthenticationManager.AuthResult auth = CallerAuth.authenticate(session);
            Connection c = visible(auth, connectionId, provider, false);
            Disconnector.disconnect(session, realm, c, auth.client());
            return Response.noContent().build();
        } catch (ApiError e) {
            return e.toResponse();
        }
    }
}
