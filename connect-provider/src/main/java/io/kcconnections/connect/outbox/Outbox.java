package io.kcconnections.connect.outbox;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.kcconnections.connect.catalog.ProviderRegistry;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.Stores;
import io.kcconnections.connect.store.WebhookOut;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.util.JsonSerialization;

/**
 * Records a connection's lifecycle event in the webhook outbox, in the session's transaction (so it commits with the
 * change it describes, or not at all): one row per endpoint that should hear of it, the endpoints of the app that
 * made the connection (the owning client of a client connection) and of the apps the admin allows for its provider
 * ({@code allowedClients}) — the apps that may read its tokens ({@code connection.Access}). Connections made before
 * the app was recorded have no app, so only allowed apps hear of them. A disabled endpoint (it answered 410 Gone) is
 * left out: nothing is queued for it until an admin enables it again. The payload
 * {@code {type, timestamp, data:{connection_id, provider, user_id, status, …}}} never carries a token.
 */
public final class Outbox {

    public static final String CREATED = "connection.created";
    public static final String RECONNECTED = "connection.reconnected";
    public static final String REFRESH_FAILED = "connection.refresh_failed";
    public static final String NEEDS_REAUTH = "connection.needs_reauth";
    public static final String RECOVERED = "connection.recovered";
    public static final String REVOKED = "connection.revoked";
    public static final String DELETED = "connection.deleted";
    public static final List<String> TYPES = List.of(CREATED, RECONNECTED, REFRESH_FAILED, NEEDS_REAUTH, RECOVERED,
            REVOKED, DELETED);

    private static final Logger LOG = Logger.getLogger(Outbox.class);

    private Outbox() {
    }

    /**
     * Queues {@code type} for a connection's endpoints.
     *
     * @param registry the provider registry (for {@code allowedClients}); null: only the connection's app
     * @param detail   extra members of {@code data} (reason, failures, status …); never a token
     * @return how many deliveries were queued
     */
    public static int record(KeycloakSession session, ProviderRegistry registry, Connection c, String type,
                             Map<String, Object> detail) {
        RealmModel realm = session.realms().getRealm(c.realmId());
        if (realm == null) {
            return 0;
        }
        WebhookOut store = Stores.webhookOut(session);
        List<WebhookOut.Endpoint> endpoints = store.endpointsOf(realm.getId(), clients(session, registry, realm, c))
                .stream().filter(e -> e.enabled() && e.accepts(type)).toList();
        if (endpoints.isEmpty()) {
            return 0;
        }
        long now = System.currentTimeMillis();
        String payload = payload(type, now, realm, c, detail);
        for (WebhookOut.Endpoint e : endpoints) {
            store.enqueue(new WebhookOut.Message(UUID.randomUUID().toString(), realm.getId(), e.id(), type, payload, now,
                    WebhookOut.PENDING, 0, now, null, null, null));
        }
        LOG.debugf("connection %s: %s queued for %d webhook endpoints", c.id(), type, endpoints.size());
        return endpoints.size();
    }

    /** The internal ids of the clients that may hear of a connection. */
    private static Set<String> clients(KeycloakSession session, ProviderRegistry registry, RealmModel realm, Connection c) {
        Set<String> ids = new LinkedHashSet<>();
        String app = c.clientOwned() ? c.identity().ownerClient() : c.identity().appClient();
        if (app != null) {
            ids.add(app);
        }
        ResolvedProvider p = registry == null ? null : registry.find(session, realm, c.provider());
        if (p != null) {
            for (String clientId : p.config().allowedClients()) {
                ClientModel allowed = session.clients().getClientByClientId(realm, clientId);
                if (allowed != null) {
                    ids.add(allowed.getId());
                }
            }
        }
        return ids;
    }

    static String payload(String type, long at, RealmModel realm, Connection c, Map<String, Object> detail) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("connection_id", c.connectionId());
        data.put("provider", c.provider());
        data.put("user_id", c.userId());
        data.put("status", c.status().id());
        data.put("realm", realm.getName());
        if (c.identity().accountId() != null) {
            data.put("account_id", c.identity().accountId());
        }
        data.putAll(detail);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", Instant.ofEpochMilli(at).toString());
        body.put("data", data);
        try {
            return JsonSerialization.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("webhook payload", e);
        }
    }
}
