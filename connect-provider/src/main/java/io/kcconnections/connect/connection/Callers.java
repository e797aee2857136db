package io.kcconnections.connect.connection;

import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;

/** Bearer authentication with Keycloak's own verifier (signature, session, revocation, DPoP). */
public final class Callers {

    private static final Logger LOG = Logger.getLogger(Callers.class);

    private Callers() {
    }

    /**
     * @return the verified caller
     * @throws ConnectError 401 for a missing, malformed or invalid token
     */
    public static Caller authenticate(KeycloakSession session) throws ConnectError {
        List<String> headers = session.getContext().getRequestHeaders().getRequestHeader("Authorization");
        if (headers == null || headers.isEmpty()) {
            throw ConnectError.unauthorized("a bearer token is required");
        }
        if (headers.size() > 1) {
            throw ConnectError.unauthorized("more than one Authorization header");
        }
        String h = headers.get(0).trim();
        int sp = h.indexOf(' ');
        if (sp < 0 || !h.substring(0, sp).equalsIgnoreCase("Bearer") || h.substring(sp + 1).isBlank()) {
            throw ConnectError.unauthorized("the Authorization header must be 'Bearer <token>'");
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
            throw ConnectError.unauthorized("the bearer token is invalid or expired");
        }
        if (!auth.user().isEnabled()) {
            throw ConnectError.unauthorized("the user is disabled");
        }
        return new Caller(auth.user(), auth.client(), auth.token());
    }
}
