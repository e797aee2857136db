package io.kcconnections.connect.connection;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.keycloak.jose.jws.crypto.HashUtils;
import org.keycloak.models.KeycloakSession;

/**
 * Pending authorizations in Keycloak's single-use object store (cluster-wide, expiring by itself), keyed by a hash
 * of their handle or state so the store never holds a usable one. Two kinds: a start ticket, under the handle of the
 * start URL an app got (taken once, when its person opens it), and a started authorization, under the state sent to
 * the provider (taken once, by the callback). A replay finds nothing.
 */
final class AuthorizationStates {

    private static final String PREFIX = "kcconnect.state.";
    private static final String START = "kcconnect.start.";

    static void putStart(KeycloakSession session, String handle, PendingAuthorization ticket, int ttlSeconds) {
        session.singleUseObjects().put(START + hash(handle), ttlSeconds, ticket.toNotes());
    }

    /** The ticket of a start URL, left in place; null when unknown, expired or used. */
    static PendingAuthorization peekStart(KeycloakSession session, String handle) {
        Map<String, String> notes = session.singleUseObjects().get(START + hash(handle));
        return notes == null ? null : PendingAuthorization.fromNotes(notes);
    }

    /** Takes the ticket of a start URL; null when another request took it first. */
    static PendingAuthorization takeStart(KeycloakSession session, String handle) {
        Map<String, String> notes = session.singleUseObjects().remove(START + hash(handle));
        return notes == null ? null : PendingAuthorization.fromNotes(notes);
    }

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
