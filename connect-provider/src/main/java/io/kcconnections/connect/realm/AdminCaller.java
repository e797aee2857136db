package io.kcconnections.connect.realm;

import org.keycloak.Token;
import org.keycloak.common.util.Encode;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;

/**
 * The admin behind the current request, as Keycloak's admin REST API authenticated it: {@code AdminRoot} puts the
 * admin's access token in the session's context ({@code KeycloakContext#getBearerToken}) before any admin resource runs,
 * Keycloak's generic components API included. Used where a realm component is checked and Keycloak's resource only
 * required {@code manage-realm}.
 */
final class AdminCaller {

    private AdminCaller() {
    }

    /**
     * Whether the request may manage the realm's identity providers. True when no admin token is in the context
     * (start-up, realm import from files, the server's own jobs): such changes are not made by a realm admin.
     */
    static boolean mayManageIdentityProviders(KeycloakSession session, RealmModel realm) {
        Token token = session.getContext().getBearerToken();
        if (!(token instanceof AccessToken at)) {
            return true;
        }
        String issuer = at.getIssuer();
        RealmModel adminsRealm = issuer == null ? null
                : session.realms().getRealmByName(Encode.decodePath(issuer.substring(issuer.lastIndexOf('/') + 1)));
        if (adminsRealm == null) {
            return false;
        }
        // As Keycloak finds the admin of a token: through the token's session, else its sub or preferred_username.
        UserSessionModel us = at.getSessionId() == null ? null : session.sessions().getUserSession(adminsRealm, at.getSessionId());
        UserModel user = us != null ? us.getUser() : TokenManager.lookupUserFromStatelessToken(session, adminsRealm, at);
        if (user == null) {
            return false;
        }
        ClientModel client = at.getIssuedFor() == null ? null : adminsRealm.getClientByClientId(at.getIssuedFor());
        try {
            return AdminPermissions.evaluator(session, realm, new AdminAuth(adminsRealm, at, user, client))
                    .realm().canManageIdentityProviders();
        } catch (RuntimeException e) {
            return false; // an admin of another realm (Keycloak's evaluator refuses it with ForbiddenException)
        }
    }
}
