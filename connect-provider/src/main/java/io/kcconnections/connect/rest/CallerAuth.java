package io.kcconnections.connect.rest;

import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;

/** Bearer authentication with Keycloak's own verifier (signature, session, revocation, DPoP). */
final class CallerAuth {

    private static final Logger LOG = Logger.getLogger(CallerAuth.class);

    private CallerAuth() {
    }

    /**
     * @return the verified caller
     * @throws ApiError 401 for a missing, malformed or invalid token
     */
    static AuthenticationManager.AuthResult authenticate(KeycloakSession session) throws ApiError {
        List<String> headers = session.getContext().getRequestHeaders().getRequestHeader("Authorization");
        if (headers == null || headers.isEmpty()) {
            throw ApiError.unauthorized("a bearer token is required");
        }
        if (headers.size() > 1) {
            throw ApiError.unauthorized("more than one Authorization header");
        }
        String h = headers.get(0).trim();
        int sp = h.indexOf(' ');
        if (sp < 0 || !h.substring(0, sp).equalsIgnoreCase("Bearer") || h.substring(sp + 1).isBlank()) {
            throw ApiError.unauthorized("the Authorization header must be 'Bearer <token>'");
        }
        String token = h.substring(sp + 1).trim();
        AuthenticationManager.AuthResult auth;
        try {
            auth = new AppAuthManager.BearerTokenAuthenticator(session).setTokenString(token).authenticate();
        } catch (RuntimeException e) {
            LOG.debugf("bearer authentication failed: %s", e.getClass().getSimpleName());
            auth = null;
        }
        if (auth == null || auth.user() == null) {
            throw ApiError.unauthorized("the bearer token is invalid or expired");
        }
        if (!auth.user().isEnabled()) {
            throw ApiError.unauthorized("the user is disabled");
        }
        return auth;
    }

    static boolean isServiceAccount(UserModel user) {
        return user.getServiceAccountClientLink() != null;
    }

    /** Whether the token carries a realm role (roles in the token, as Keycloak's own endpoints check them). */
    static boolean hasRealmRole(AccessToken token, String role) {
        return token.getRealmAccess() != null && token.getRealmAccess().isUserInRole(role);
    }
}
