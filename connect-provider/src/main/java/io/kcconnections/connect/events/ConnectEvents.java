package io.kcconnections.connect.events;

import java.util.List;

import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Keycloak user events for what happens to connections, so event listeners and the admin console's event views see
 * them. Keycloak's event types are an enum, so each connect event reuses the nearest type and says what it is in the
 * detail {@code connect_event}; {@code identity_provider} names the provider (as Keycloak's brokering events do) and
 * {@code connection_id} the connection. Events never carry tokens, codes or secrets.
 *
 * <table>
 * <caption>Mapping</caption>
 * <tr><th>connect_event</th><th>Keycloak type</th><th>stored by default</th></tr>
 * <tr><td>connect, reconnect, recovered</td><td>FEDERATED_IDENTITY_LINK</td><td>yes</td></tr>
 * <tr><td>connect_failed, refresh_failed, needs_reauth</td><td>FEDERATED_IDENTITY_LINK_ERROR (error = the
 * connect_event)</td><td>yes</td></tr>
 * <tr><td>disconnect</td><td>REMOVE_FEDERATED_IDENTITY</td><td>yes</td></tr>
 * <tr><td>webhook (a verified webhook delivery; {@code webhook_route}, {@code delivery_id}, {@code size}, never the
 * body)</td><td>IDENTITY_PROVIDER_RESPONSE</td><td>no (enable the type in the realm's event settings)</td></tr>
 * <tr><td>health_healthy, health_unhealthy, health_unknown (the prober saw a connection's or credential's health
 * change; {@code kind}, {@code reason})</td><td>FEDERATED_IDENTITY_LINK (an error for unhealthy)</td><td>yes</td></tr>
 * <tr><td>secret_reveal, secret_denied (one field of a typed credential; {@code field})</td>
 * <td>IDENTITY_PROVIDER_RETRIEVE_TOKEN(_ERROR)</td><td>no (enable the type, as for token releases)</td></tr>
 * <tr><td>token_release, token_denied</td><td>IDENTITY_PROVIDER_RETRIEVE_TOKEN(_ERROR)</td><td>no (enable the type in
 * the realm's event settings to store every token release)</td></tr>
 * </table>
 */
public final class ConnectEvents {

    public static final String CONNECT_EVENT = "connect_event";
    public static final String CONNECTION_ID = "connection_id";
    public static final String REASON = "reason";

    private ConnectEvents() {
    }

    /** A builder for one connection's event. */
    public static EventBuilder of(KeycloakSession session, RealmModel realm, String userId, String provider,
                                  String connectionId, String connectEvent) {
        EventBuilder e = session.getContext().getConnection() != null
                ? new EventBuilder(realm, session, session.getContext().getConnection())
                : new EventBuilder(realm, session);
        e.user(userId).detail(Details.IDENTITY_PROVIDER, provider).detail(CONNECTION_ID, connectionId)
                .detail(CONNECT_EVENT, connectEvent);
        return e;
    }

    public static void connected(KeycloakSession session, RealmModel realm, ClientModel client, String userId,
                                 String provider, String connectionId, boolean reconnect) {
        of(session, realm, userId, provider, connectionId, reconnect ? "reconnect" : "connect").client(client)
                .event(EventType.FEDERATED_IDENTITY_LINK).success();
    }

    public static void connectFailed(KeycloakSession session, RealmModel realm, String clientId, String userId,
                                     String provider, String connectionId, String error) {
        of(session, realm, userId, provider, connectionId, "connect_failed").client(clientId)
                .event(EventType.FEDERATED_IDENTITY_LINK).error(error);
    }

    public static void disconnected(KeycloakSession session, RealmModel realm, ClientModel client, String userId,
                                    String provider, String connectionId, String revoked) {
        EventBuilder e = of(session, realm, userId, provider, connectionId, "disconnect").detail("revoked", revoked);
        if (client != null) {
            e.client(client);
        }
        e.event(EventType.REMOVE_FEDERATED_IDENTITY).success();
    }

    public static void tokenReleased(KeycloakSession session, RealmModel realm, ClientModel client, String userId,
                                     String provider, String connectionId) {
        of(session, realm, userId, provider, connectionId, "token_release").client(client)
                .event(EventType.IDENTITY_PROVIDER_RETRIEVE_TOKEN).success();
    }

    public static void tokenDenied(KeycloakSession session, RealmModel realm, ClientModel client, String callerUserId,
                                   String provider, String connectionId, String error) {
        of(session, realm, callerUserId, provider, connectionId, "token_denied").client(client)
                .event(EventType.IDENTITY_PROVIDER_RETRIEVE_TOKEN).error(error);
    }

    public static void refreshFailed(KeycloakSession session, RealmModel realm, String userId, String provider,
                                     String connectionId, String code, int failures) {
        of(session, realm, userId, provider, connectionId, "refresh_failed").detail(REASON, code)
                .detail("failures", String.valueOf(failures)).event(EventType.FEDERATED_IDENTITY_LINK).error("refresh_failed");
    }

    public static void needsReauth(KeycloakSession session, RealmModel realm, String userId, String provider,
                                   String connectionId, String code) {
        of(session, realm, userId, provider, connectionId, "needs_reauth").detail(REASON, code)
                .event(EventType.FEDERATED_IDENTITY_LINK).error("needs_reauth");
    }

    public static void recovered(KeycloakSession session, RealmModel realm, String userId, String provider,
                                 String connectionId) {
        of(session, realm, userId, provider, connectionId, "recovered").event(EventType.FEDERATED_IDENTITY_LINK).success();
    }

    /** A device authorization ended: the person approved it (tokens stored) or it was denied or expired. */
    public static void deviceFinished(KeycloakSession session, RealmModel realm, String userId, String provider,
                                      String connectionId, String error) {
        EventBuilder e = of(session, realm, userId, provider, connectionId, error == null ? "connect" : "connect_failed")
                .detail("grant_type", "device_code").event(EventType.FEDERATED_IDENTITY_LINK);
        if (error == null) {
            e.success();
        } else {
            e.error(error);
        }
    }

    /**
     * A verified webhook delivery from {@code provider} on {@code route}; never its body. {@code connection_id}: the
     * connections it was routed to by the provider's account id (space-separated), and the event's user when that is
     * one connection of a person.
     */
    public static void webhookReceived(KeycloakSession session, RealmModel realm, String provider, String route,
                                       String deliveryId, long size, List<String> connectionIds, String userId) {
        EventBuilder e = session.getContext().getConnection() != null
                ? new EventBuilder(realm, session, session.getContext().getConnection())
                : new EventBuilder(realm, session);
        e.detail(Details.IDENTITY_PROVIDER, provider).detail(CONNECT_EVENT, "webhook").detail("webhook_route", route)
                .detail("delivery_id", deliveryId).detail("size", String.valueOf(size));
        if (!connectionIds.isEmpty()) {
            e.detail(CONNECTION_ID, String.join(" ", connectionIds));
        }
        if (userId != null) {
            e.user(userId);
        }
        e.event(EventType.IDENTITY_PROVIDER_RESPONSE).success();
    }

    /** The prober saw a connection's or credential's health change to {@code status}. */
    public static void healthChanged(KeycloakSession session, RealmModel realm, String userId, String provider,
                                     String connectionId, String kind, String status, String reason) {
        EventBuilder e = of(session, realm, userId, provider, connectionId, "health_" + status).detail("kind", kind);
        if (reason != null) {
            e.detail(REASON, reason);
        }
        e.event(EventType.FEDERATED_IDENTITY_LINK);
        if ("unhealthy".equals(status)) {
            e.error("health_unhealthy");
        } else {
            e.success();
        }
    }

    /** One field of a typed credential was handed to a caller; never its value. */
    public static void secretRevealed(KeycloakSession session, RealmModel realm, ClientModel client, String userId,
                                      String provider, String connectionId, String field) {
        of(session, realm, userId, provider, connectionId, "secret_reveal").client(client).detail("field", field)
                .event(EventType.IDENTITY_PROVIDER_RETRIEVE_TOKEN).success();
    }

    /** A reveal was refused (the caller gets a plain 404). */
    public static void secretDenied(KeycloakSession session, RealmModel realm, ClientModel client, String callerUserId,
                                    String connectionId, String field, String error) {
        of(session, realm, callerUserId, null, connectionId, "secret_denied").client(client).detail("field", field)
                .event(EventType.IDENTITY_PROVIDER_RETRIEVE_TOKEN).error(error);
    }
}
