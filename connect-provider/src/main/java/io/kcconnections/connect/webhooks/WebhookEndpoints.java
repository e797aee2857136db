package io.kcconnections.connect.webhooks;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.connect.connection.ConnectError;
import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.connection.Inputs;
import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.outbox.Outbox;
import io.kcconnections.connect.outbox.OutboxPass;
import io.kcconnections.connect.outbox.WebhookSignature;
import io.kcconnections.connect.store.Stores;
import io.kcconnections.connect.store.WebhookOut;
import org.keycloak.models.ClientModel;
import org.keycloak.util.JsonSerialization;

/**
 * The endpoints apps register to hear about their connections ({@code /admin/realms/{realm}/connect/webhook-endpoints}):
 * one client's URL (https on a public host unless private hosts are allowed), the event types it wants (all when none
 * is named) and a signing secret made here, answered once at creation and stored encrypted with the server's key
 * ring (AAD: realm, row, column). Never logged. An endpoint that answered 410 Gone is listed disabled, with the
 * reason, until an admin enables it again.
 */
public final class WebhookEndpoints {

    /** Most endpoints one client may register. */
    static final int MAX_PER_CLIENT = 10;

    private final ConnectService connect;

    public WebhookEndpoints(ConnectService connect) {
        this.connect = connect;
    }

    /** What an admin sends to create an endpoint. */
    public record Input(String clientId, String url, List<String> events) {

        public static Input parse(String json) throws ConnectError {
            JsonNode n;
            try {
                n = json == null || json.isBlank() ? null : JsonSerialization.mapper.readTree(json);
            } catch (IOException e) {
                n = null;
            }
            if (n == null || !n.isObject()) {
                throw ConnectError.badRequest("invalid_request", "the body must be a JSON object");
            }
            List<String> events = new ArrayList<>();
            if (n.hasNonNull("events")) {
                if (!n.get("events").isArray()) {
                    throw ConnectError.badRequest("invalid_request", "events must be an array of event types");
                }
                n.get("events").forEach(e -> events.add(e.asText()));
            }
            return new Input(text(n, "clientId"), text(n, "url"), events);
        }

        private static String text(JsonNode n, String f) {
            return n.hasNonNull(f) && n.get(f).isTextual() ? n.get(f).asText() : null;
        }
    }

    /** Creates an endpoint; its view with {@code secret}, the only time the secret is answered. */
    public Map<String, Object> create(Input in) throws ConnectError {
        ClientModel client = client(in.clientId());
        String url = in.url() == null ? null : in.url().trim();
        if (url == null || url.isEmpty() || url.length() > 2048) {
            throw ConnectError.badRequest("invalid_url", "url is required (at most 2048 characters)");
        }
        String refused = connect.policy().checkUrl(url);
        if (refused != null) {
            throw ConnectError.badRequest("invalid_url", "url is refused: " + refused);
        }
        LinkedHashSet<String> events = new LinkedHashSet<>();
        for (String e : in.events()) {
            if (!Outbox.TYPES.contains(e)) {
                throw ConnectError.badRequest("invalid_request", "unknown event type " + Inputs.shown(e) + "; one of "
                        + String.join(", ", Outbox.TYPES));
            }
            events.add(e);
        }
        String realmId = connect.realm().getId();
        WebhookOut store = Stores.webhookOut(connect.session());
        if (store.endpoints(realmId, client.getId()).size() >= MAX_PER_CLIENT) {
            throw ConnectError.badRequest("endpoint_limit", "a client has at most " + MAX_PER_CLIENT + " webhook endpoints");
        }
        KeyRing ring = connect.keyRing();
        String id = UUID.randomUUID().toString();
        String secret = WebhookSignature.newSecret();
        WebhookOut.Endpoint e = new WebhookOut.Endpoint(id, realmId, client.getId(), url, List.copyOf(events),
                ring.encrypt(secret, WebhookOut.secretAad(realmId, id)), ring.primaryKeyId(), System.currentTimeMillis(), null, null);
        store.create(e);
        Map<String, Object> view = view(e, client.getClientId());
        view.put("secret", secret);
        return view;
    }

    /** The realm's endpoints (one client's when {@code clientId} is given), never with secrets. */
    public List<Map<String, Object>> list(String clientId) throws ConnectError {
        String realmId = connect.realm().getId();
        String internal = clientId == null || clientId.isBlank() ? null : client(clientId).getId();
        List<Map<String, Object>> out = new ArrayList<>();
        for (WebhookOut.Endpoint e : Stores.webhookOut(connect.session()).endpoints(realmId, internal)) {
            ClientModel c = connect.realm().getClientById(e.clientId());
            out.add(view(e, c == null ? null : c.getClientId()));
        }
        return out;
    }

    /** Enables an endpoint again (one that answered 410 Gone): new events go to it; its view; 404 for an unknown one. */
    public Map<String, Object> enable(String id) throws ConnectError {
        WebhookOut.Endpoint e = id == null ? null
                : Stores.webhookOut(connect.session()).enable(connect.realm().getId(), id).orElse(null);
        if (e == null) {
            throw ConnectError.notFound("no webhook endpoint " + Inputs.shown(id));
        }
        ClientModel c = connect.realm().getClientById(e.clientId());
        return view(e, c == null ? null : c.getClientId());
    }

    /** Removes an endpoint and its queued deliveries; whether there was one. */
    public boolean delete(String id) {
        return id != null && Stores.webhookOut(connect.session()).delete(connect.realm().getId(), id);
    }

    /** An endpoint's deliveries, newest first (never a signature or secret); 404 for an unknown endpoint. */
    public List<Map<String, Object>> deliveries(String id, Integer first, Integer max) throws ConnectError {
        WebhookOut store = Stores.webhookOut(connect.session());
        if (id == null || store.endpoint(connect.realm().getId(), id).isEmpty()) {
            throw ConnectError.notFound("no webhook endpoint " + Inputs.shown(id));
        }
        int f = first == null ? 0 : Math.max(0, first);
        int m = max == null ? 100 : Math.max(1, Math.min(max, 1000));
        List<Map<String, Object>> out = new ArrayList<>();
        for (WebhookOut.Message d : store.messages(id, f, m)) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", OutboxPass.webhookId(d.id()));
            v.put("type", d.eventType());
            v.put("status", d.status());
            v.put("attempts", d.attempts());
            v.put("createdAt", Instant.ofEpochMilli(d.createdAt()).toString());
            v.put("lastAttemptAt", d.lastAttemptAt() == null ? null : Instant.ofEpochMilli(d.lastAttemptAt()).toString());
            v.put("lastStatus", d.lastStatus());
            v.put("lastError", d.lastError());
            v.put("nextAttemptAt", WebhookOut.PENDING.equals(d.status()) && d.nextAttemptAt() != null
                    ? Instant.ofEpochMilli(d.nextAttemptAt()).toString() : null);
            out.add(v);
        }
        return out;
    }

    private ClientModel client(String clientId) throws ConnectError {
        if (clientId == null || clientId.isBlank()) {
            throw ConnectError.badRequest("invalid_request", "clientId is required");
        }
        ClientModel c = connect.realm().getClientByClientId(clientId);
        if (c == null) {
            throw ConnectError.badRequest("unknown_client", "no client " + Inputs.shown(clientId) + " in this realm");
        }
        return c;
    }

    private static Map<String, Object> view(WebhookOut.Endpoint e, String clientId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("clientId", clientId);
        m.put("url", e.url());
        m.put("events", e.eventTypes());
        m.put("createdAt", Instant.ofEpochMilli(e.createdAt()).toString());
        m.put("enabled", e.enabled());
        m.put("disabledAt", e.enabled() ? null : Instant.ofEpochMilli(e.disabledAt()).toString());
        m.put("disabledReason", e.disabledReason());
        return m;
    }
}
