package io.kcconnections.connect.admin;

import jakarta.ws.rs.Path;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/{realm}/connect}: the admin API. Keycloak has already authenticated the admin; every route
 * checks the admin's permissions on its first line and records admin events. Sub-resources live in their own classes.
 */
public class ConnectAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    public ConnectAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                                AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    KeycloakSession session() {
        return session;
    }

    RealmModel realm() {
        return realm;
    }

    AdminPermissionEvaluator auth() {
        return auth;
    }

    AdminEventBuilder adminEvent() {
        return adminEvent;
    }

    /** {@code /providers}: the realm's provider configurations (each method checks its own permission first). */
    @Path("providers")
    public AdminProvidersResource providers() {
        return new AdminProvidersResource(session, realm, auth, adminEvent);
    }
}
