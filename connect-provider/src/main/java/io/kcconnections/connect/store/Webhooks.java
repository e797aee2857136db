package io.kcconnections.connect.store;

import java.util.List;
import java.util.Optional;

/** Webhook routes and the activity log of their deliveries. */
public interface Webhooks {

    /**
     * A route as stored. {@code secret} is the {@code KeyRing} ciphertext (AAD {@link #secretAad}).
     *
     * @param header           hmac-sha256: the signature's header
     * @param deliveryIdHeader   hmac-sha256: the header with a delivery id (de-duplication), or null
     * @param rateLimitPerMinute verified deliveries a minute per node (0: none), or null for the default
     * @param accountIdPointer   a JSON pointer to the provider's account id in a payload (routing), or null
     */
    record Route(String id, String realmId, String provider, String route, String scheme, String header, String encoding,
                 String prefix, String deliveryIdHeader, String secret, String keyId, int toleranceSeconds, int maxBytes,
                 long updatedAt, Integer rateLimitPerMinute, String accountIdPointer) {
    }

    /**
     * One delivery in the activity log.
     *
     * @param connectionIds the connection ids the delivery was routed to (by the provider's account id), maybe empty
     */
    record Delivery(long receivedAt, String verdict, long size, String deliveryId, List<String> connectionIds) {

        public Delivery {
            connectionIds = connectionIds == null ? List.of() : List.copyOf(connectionIds);
        }
    }

    /** The additional data a route's secret is encrypted with: bound to its realm and row. */
    static String secretAad(String realmId, String id) {
        return "webhook-route|" + realmId + "|" + id + "|SECRET";
    }

    Optional<Route> find(String realmId, String provider, String route);

    /** Inserts, or replaces the route with the same (realm, provider, route) keeping its id. */
    void put(Route r);

    /** Removes a route and its activity; whether there was one. */
    boolean delete(String realmId, String provider, String route);

    void record(String realmId, String provider, String route, Delivery d);

    List<Delivery> activity(String realmId, String provider, String route, int first, int max);

    /** Drops a route's activity older than {@code cutoff} (epoch millis). */
    int deleteBefore(String realmId, String provider, String route, long cutoff);

    void deleteByRealm(String realmId);

    /** Up to {@code limit} routes of a realm (every realm when null) whose secret is under another key than {@code keyId}. */
    List<Route> onOtherKeys(String realmId, String keyId, int limit);

    long countOnOtherKeys(String realmId, String keyId);

    /** Writes a route's secret re-encrypted under {@code keyId}, only if it is still {@code old}'s; whether it did. */
    boolean rewrap(Route old, String keyId, String secret);
}
