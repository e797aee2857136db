package io.kcconnections.connect.connection;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.keycloak.jose.jws.crypto.HashUtils;
import org.keycloak.models.KeycloakSession;

/**
 * Pending authorizations in Keycloak's single-use object store (cluster-wide, expiring by itself), keyed by a hash
 * of their state so the store never holds a usable state. A state is taken once: a replay finds nothing.
 */
final class AuthorizationStates {

    private static final String PREFIX = "kcconnect.state.";

    private AuthorizationStates() {
    }

    static void put(KeycloakSession session, String state, PendingAuthorization pending, int ttlSeconds) {
        session.singleUseObjects().put(PREFIX + hash(state), ttlSeconds, pending.toNotes());
    }

    /** @return the pending authorization, removed; null when unknown, expired or already used */
    static PendingAuthorization take(KeycloakSession session, String state) {
        Map<String, String> notes = session.singleUseObjects().remove(PREFIX + hash(state));
        return notes == null ? null : PendingAuthorization.fromNotes(notes);
    }

    /** The associated data that binds an encrypted verifier to its state. */
    static String aad(String state) {
        return "kc-connections/v1|state|" + hash(state);
    }

    private static String hash(String s) {
        return HashUtils.sha256UrlEncodedHash(s, StandardCharsets.UTF_8);
    }
}
