package io.kcconnections.connect.webhooks;

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
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;

/**
 * The endpoints apps register to hear about their connections ({@code /admin/realms/{realm}/connect/webhook-endpoints}):
 * one client's URL (https on a public host unless private hosts are allowed), the event types it wants (all when none
 * is named) and a signing secret made here, answered once at creation and stored encrypted with the server's key
 * ring (AAD: realm, row, column). Never logged. An endpoint that answered 410 Gone is listed disabled, with the
 * reason, until an admin enables it again. Rotating the secret makes a new one (answered once, like at creation) and
 * keeps the previous one signing beside it for an overlap ({@code webhook-secret-overlap-seconds}, or less when the
 * admin asks), so the receiver switches over without a delivery it cannot verify; a second rotation within the
 * overlap replaces the previous secret with the current one (one previous secret at most).
 */
public final class WebhookEndpoints {

    private static final Logger LOG = Logger.getLogger(WebhookEndpoints.class);

    /** Most endpoints one client may register. */
    static final int MAX_PER_CLIENT = 10;

    private final ConnectService connect;

    public WebhookEndpoints(ConnectService connect) {
        this.connect = connect;
    }

    /** What an admin sends to create an endpoint. */
    public record Input(String clientId, String url, List<String> events) {

        public static Input parse(String json) throws ConnectError {
            JsonNode n = Inputs.jsonObject(json);
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
                ring.encrypt(secret, WebhookOut.secretAad(realmId, id)), ring.primaryKeyId(), System.currentTimeMillis(), null,
                null, null, null, null, null);
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

    /**
     * Rotates an endpoint's secret: a new one signs from now on, the current one keeps signing beside it for
     * {@code overlapSeconds} (null: the configured overlap; never more than it; 0: dropped at once). Its view with the
     * new {@code secret}, the only time that secret is answered; 404 for an unknown endpoint.
     */
    public Map<String, Object> rotate(String id, Integer overlapSeconds) throws ConnectError {
        KeyRing ring = connect.keyRing();
        String realmId = connect.realm().getId();
        WebhookOut store = Stores.webhookOut(connect.session());
        WebhookOut.Endpoint e = id == null ? null : store.endpointForUpdate(realmId, id).orElse(null);
        if (e == null) {
            throw ConnectError.notFound("no webhook endpoint " + Inputs.shown(id));
        }
        int most = connect.settings().webhookOut().secretOverlapSeconds();
        long overlap = overlapSeconds == null ? most : Math.min(overlapSeconds, most);
        long now = System.currentTimeMillis();
        String previous = overlap == 0 ? null : current(ring, e);
        String kid = ring.primaryKeyId();
        String secret = WebhookSignature.newSecret();
        String previousCipher = previous == null ? null : ring.encrypt(previous, WebhookOut.previousSecretAad(realmId, id));
        String previousKid = previous == null ? null : kid;
        Long until = previous == null ? null : now + overlap * 1000L;
        String cipher = ring.encrypt(secret, WebhookOut.secretAad(realmId, id));
        if (!store.rotate(e, cipher, kid, previousCipher, previousKid, until, now)) {
            throw new ConnectError(409, "conflict", "the endpoint changed meanwhile; try again");
        }
        WebhookOut.Endpoint rotated = new WebhookOut.Endpoint(e.id(), realmId, e.clientId(), e.url(), e.eventTypes(),
                cipher, kid, e.createdAt(), e.disabledAt(), e.disabledReason(), previousCipher, previousKid, until, now);
        ClientModel c = connect.realm().getClientById(e.clientId());
        Map<String, Object> view = view(rotated, c == null ? null : c.getClientId());
        view.put("secret", secret);
        return view;
    }

    /** The endpoint's current secret, to keep as the previous one; null when no configured key reads it (logged). */
    private static String current(KeyRing ring, WebhookOut.Endpoint e) {
        try {
            return ring.decrypt(e.secret(), WebhookOut.secretAad(e.realmId(), e.id()));
        } catch (KeyRing.DecryptionException ex) {
            LOG.warnf("webhook endpoint %s: its secret cannot be decrypted with the configured keys; rotated without "
                    + "keeping it", e.id());
            return null;
        }
    }

    /**
     * The overlap an admin asks for in a rotation: {@code overlapSeconds} in the JSON body, else in the query; null
     * when neither names one; 400 unless it is a whole number of seconds, 0 or more.
     */
    public static Integer overlap(String body, String query) throws ConnectError {
        String value = query;
        if (body != null && !body.isBlank()) {
            JsonNode n = Inputs.jsonObject(body);
            if (n.hasNonNull("overlapSeconds")) {
                JsonNode o = n.get("overlapSeconds");
                value = o.isIntegralNumber() || o.isTextual() ? o.asText() : "invalid";
            }
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long v = Long.parseLong(value.trim());
            if (v >= 0) {
                return (int) Math.min(v, Integer.MAX_VALUE); // cut to the option anyway
            }
        } catch (NumberFormatException ex) {
            // answered below
        }
        throw ConnectError.badRequest("invalid_request", "overlapSeconds must be a whole number of seconds, 0 or more");
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
        m.put("secretRotatedAt", e.secretRotatedAt() == null ? null : Instant.ofEpochMilli(e.secretRotatedAt()).toString());
        m.put("previousSecretExpiresAt", e.previousActive(System.currentTimeMillis())
                ? Instant.ofEpochMilli(e.previousExpiresAt()).toString() : null);
        return m;
    }
}
