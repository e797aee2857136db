package io.kcconnections.connect.webhooks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import io.kcconnections.connect.connection.ConnectError;
import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.connection.Inputs;
import io.kcconnections.connect.events.ConnectEvents;
import io.kcconnections.connect.store.Connection;
import io.kcconnections.connect.store.Stores;
import io.kcconnections.connect.store.Webhooks;
import org.jboss.logging.Logger;

/**
 * {@code POST /connect/webhooks/{provider}/{route}}: one delivery, checked in this order. Unknown route: 404, nothing
 * recorded. Body larger than the route's {@code maxBytes} (by {@code Content-Length}, or while reading, never read
 * further): 413. Signature ({@link Signatures}): 401 {@code bad_signature}, or {@code expired} when authentic but its
 * timestamp is outside the window; 400 {@code malformed}. Authentic deliveries beyond the route's allowance a minute on
 * this node: 429 {@code rate_limited} with {@code Retry-After}, before the delivery id is remembered, so the sender's
 * retry is taken (forged ones never count against the sender). A verified delivery whose id was seen already
 * (Keycloak's single-use store, cluster-wide) is acknowledged (202 {@code duplicate}) and not recorded as verified
 * again. A first one is routed to its account's connections when the route says where the account id is
 * ({@link AccountRouting}). Every refusal past the route lookup and every acknowledgement is an activity row
 * ({@link Webhooks}); a verified delivery is also a Keycloak event ({@link ConnectEvents#webhookReceived}). The body is
 * never stored or logged.
 */
public final class WebhookReceiver {

    /** How long the activity log keeps a delivery. */
    public static final long RETENTION_MILLIS = 30L * 24 * 3600 * 1000;
    /** How long a delivery id is remembered where the scheme has no timestamp (GitHub re-deliveries keep their id). */
    static final int ID_MEMORY_SECONDS = 3 * 24 * 3600;

    private static final Logger LOG = Logger.getLogger(WebhookReceiver.class);

    private final ConnectService connect;

    public WebhookReceiver(ConnectService connect) {
        this.connect = connect;
    }

    /** An accepted delivery: {@code verified}, or {@code duplicate} (seen before, acknowledged only). */
    public record Accepted(String status, String deliveryId) {
    }

    /**
     * @param headers       request headers by name (case-insensitive)
     * @param contentLength the declared length, or -1
     */
    public Accepted receive(String provider, String route, Function<String, String> headers, long contentLength,
                            InputStream body) throws ConnectError {
        String realmId = connect.realm().getId();
        Webhooks.Route r = WebhookRoutes.validName(provider) && WebhookRoutes.validName(route)
                ? Stores.webhooks(connect.session()).find(realmId, provider, route).orElse(null) : null;
        if (r == null) {
            throw ConnectError.notFound("no webhook route " + Inputs.shown(provider) + "/" + Inputs.shown(route));
        }
        byte[] bytes = read(r, contentLength, body);
        byte[] secret = WebhookRoutes.secret(connect, r);
        Signatures.Verdict v = Signatures.verify(WebhookRoutes.spec(r), secret, bytes, headers,
                System.currentTimeMillis() / 1000);
        String shownId = v.deliveryId() == null ? null : Inputs.safe(v.deliveryId());
        if (!v.verified()) {
            record(r, v.outcome(), bytes.length, shownId, List.of());
            LOG.debugf("webhook %s/%s refused: %s", provider, route, v.outcome());
            throw "malformed".equals(v.outcome())
                    ? ConnectError.badRequest("malformed", "the delivery lacks the headers its signature scheme needs")
                    : new ConnectError(401, v.outcome(), v.outcome().equals("expired")
                    ? "the delivery's timestamp is outside the accepted window" : "the signature does not match");
        }
        try {
            connect.throttleWebhookDelivery(r.id(), WebhookRoutes.rateLimit(r));
        } catch (ConnectError limited) { // before the single-use store: the sender's retry is not a duplicate
            record(r, "rate_limited", bytes.length, shownId, List.of());
            throw limited;
        }
        boolean timestamped = r.scheme().equals("slack") || r.scheme().equals("stripe");
        int memory = timestamped ? Math.max(60, 2 * r.toleranceSeconds()) : ID_MEMORY_SECONDS;
        boolean first = connect.session().singleUseObjects().putIfAbsent(replayKey(r, v.replayKey()), memory);
        String verdict = first ? "verified" : "duplicate";
        List<Connection> routed = first ? AccountRouting.connections(connect.session(), realmId, provider,
                r.accountIdPointer(), bytes) : List.of();
        List<String> connectionIds = routed.stream().map(Connection::connectionId).toList();
        record(r, verdict, bytes.length, shownId, connectionIds);
        if (first) {
            String userId = routed.size() == 1 ? routed.get(0).userId() : null;
            ConnectEvents.webhookReceived(connect.session(), connect.realm(), provider, route, shownId, bytes.length,
                    connectionIds, userId);
        }
        return new Accepted(verdict, shownId);
    }

    /** The body, never more than the route's cap: 413 without reading when the declared length is larger. */
    private byte[] read(Webhooks.Route r, long contentLength, InputStream in) throws ConnectError {
        if (contentLength > r.maxBytes()) {
            record(r, "too_large", contentLength, null, List.of());
            throw tooLarge(r);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(contentLength, 256), r.maxBytes()));
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf, 0, (int) Math.min(buf.length, r.maxBytes() + 1L - out.size()))) > 0) {
                out.write(buf, 0, n);
                if (out.size() > r.maxBytes()) {
                    record(r, "too_large", out.size(), null, List.of());
                    throw tooLarge(r);
                }
            }
        } catch (IOException e) {
            throw ConnectError.badRequest("invalid_request", "the body could not be read");
        }
        return out.toByteArray();
    }

    private static ConnectError tooLarge(Webhooks.Route r) {
        return new ConnectError(413, "payload_too_large", "the body is larger than " + r.maxBytes() + " bytes");
    }

    private void record(Webhooks.Route r, String verdict, long size, String deliveryId, List<String> connectionIds) {
        long now = System.currentTimeMillis();
        Webhooks store = Stores.webhooks(connect.session());
        store.record(r.realmId(), r.provider(), r.route(), new Webhooks.Delivery(now, verdict, size,
                deliveryId == null ? null : deliveryId.substring(0, Math.min(128, deliveryId.length())), connectionIds));
        store.deleteBefore(r.realmId(), r.provider(), r.route(), now - RETENTION_MILLIS);
    }

    /** The single-use key: the route and a hash of what identifies the delivery (never the raw header). */
    private static String replayKey(Webhooks.Route r, String id) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return "kcc-webhook:" + r.id() + ":" + HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
