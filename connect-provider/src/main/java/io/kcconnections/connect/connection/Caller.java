package io.kcconnections.connect.connection;

import org.keycloak.models.ClientModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;

/**
 * Who is calling, from a verified bearer token: the person or service account, the client (app) the token was
 * issued to, and the token itself (its realm roles).
 */
public record Caller(UserModel user, ClientModel client, AccessToken token) {

    public String userId() {
        return user.getId();
    }

    /** Whether the token belongs to a client's service account rather than a person. */
    public boolean isServiceAccount() {
        return user.getServiceAccountClientLink() != null;
    }

    /** The internal id of the client whose service account this is; null for a person. */
    public String serviceAccountClient() {
        return user.getServiceAccountClientLink();
    }

    /** Whether the token carries a realm role (roles in the token, as Keycloak's own endpoints check them). */
    public boolean hasRealmRole(String role) {
        return token.getRealmAccess() != null && token.getRealmAccess().isUserInRole(role);
    }
}
