package io.kcconnections.connect.webhooks;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.Stores;
import org.keycloak.models.KeycloakSession;
import org.keycloak.util.JsonSerialization;

/**
 * Routing a verified delivery to the connections it concerns. A route may name where the provider's account id is in
 * its payloads, as a JSON pointer ({@code /installation/account/id} for a GitHub App, {@code /team_id} for Slack's
 * Events API); the realm's connections of the route's provider whose account ({@code ACCOUNT_ID}, recorded when they
 * were made) is that id are looked up. A form-encoded body (Slack's slash commands) is read by a one-segment pointer
 * as its field. The payload is parsed for this only: it is never kept or logged.
 */
final class AccountRouting {

    /** Most connections one delivery is routed to (and recorded with). */
    static final int MAX_CONNECTIONS = 5;
    private static final int MAX_ACCOUNT_ID = 255;

    private AccountRouting() {
    }

    static boolean validPointer(String pointer) {
        if (pointer.isEmpty() || pointer.length() > 255 || pointer.charAt(0) != '/') {
            return false;
        }
        try {
            JsonPointer.compile(pointer);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The connections of the account the payload names at the route's pointer; empty without one. */
    static List<Connection> connections(KeycloakSession session, String realmId, String provider, String pointer,
                                        byte[] body) {
        String account = pointer == null ? null : accountId(body, pointer);
        return account == null ? List.of()
                : Stores.connections(session).findByAccount(realmId, provider, account, MAX_CONNECTIONS);
    }

    /** The string or integer at the pointer, at most 255 characters; null when there is none. */
    static String accountId(byte[] body, String pointer) {
        String v;
        try {
            JsonNode root = JsonSerialization.mapper.readTree(body);
            JsonNode n = root == null || !root.isContainerNode() ? null : root.at(JsonPointer.compile(pointer));
            v = n != null && (n.isTextual() || n.isIntegralNumber()) ? n.asText() : null;
        } catch (IOException | RuntimeException e) {
            v = formField(body, pointer);
        }
        return v == null || v.isEmpty() || v.length() > MAX_ACCOUNT_ID ? null : v;
    }

    /** A form-encoded body's field named by a one-segment pointer ({@code /team_id}); null otherwise. */
    private static String formField(byte[] body, String pointer) {
        if (pointer.indexOf('/', 1) >= 0) {
            return null;
        }
        String name = pointer.substring(1).replace("~1", "/").replace("~0", "~");
        try {
            for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        } catch (IllegalArgumentException e) {
            return null; // not form-encoded either
        }
        return null;
    }
}
