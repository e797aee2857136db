package io.kcconnections.connect.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Webhooks out: the endpoints apps register and the outbox of deliveries to them. Obtain it with
 * {@link Stores#webhookOut}; every method runs in the session's transaction, so an event recorded with
 * {@link #enqueue} commits or rolls back with the lifecycle change it describes.
 */
public interface WebhookOut {

    String PENDING = "pending";
    String DELIVERED = "delivered";
    String FAILED = "failed";

    /**
     * An endpoint as stored. {@code secret} is the {@code KeyRing} ciphertext (AAD {@link #secretAad}) of the
     * {@code whsec_…} secret; {@code eventTypes} empty means every type. A disabled endpoint (it answered 410 Gone)
     * gets nothing until an admin enables it again. After a rotation the previous secret is kept (AAD
     * {@link #previousSecretAad}, distinct from the current one's so neither ciphertext passes for the other) and still
     * signs until {@code previousExpiresAt}.
     *
     * @param clientId          the client's internal id
     * @param disabledAt        when it was disabled; null while enabled
     * @param disabledReason    why, short and safe to show (never a secret); null while enabled
     * @param previousSecret    the secret before the last rotation, ciphertext; null when none is kept
     * @param previousKeyId     the key {@code previousSecret} is encrypted with; null when none is kept
     * @param previousExpiresAt when the previous secret stops signing (epoch millis); null when none is kept
     * @param secretRotatedAt   when the secret was last rotated; null: never
     */
    record Endpoint(String id, String realmId, String clientId, String url, List<String> eventTypes, String secret,
                    String keyId, long createdAt, Long disabledAt, String disabledReason, String previousSecret,
                    String previousKeyId, Long previousExpiresAt, Long secretRotatedAt) {

        public boolean accepts(String type) {
            return eventTypes.isEmpty() || eventTypes.contains(type);
        }

        public boolean enabled() {
            return disabledAt == null;
        }

        /** Whether the previous secret still signs at {@code now} (epoch millis). */
        public boolean previousActive(long now) {
            return previousSecret != null && previousExpiresAt != null && now < previousExpiresAt;
        }
    }

    /** One event for one endpoint; {@code payload} is the JSON body as sent. */
    record Message(String id, String realmId, String endpointId, String eventType, String payload, long createdAt,
                   String status, int attempts, Long nextAttemptAt, Long lastAttemptAt, Integer lastStatus,
                   String lastError) {
    }

    /** What became of one attempt: {@code status} is the row's new state, {@code nextAttemptAt} null unless pending. */
    record Attempt(String id, String owner, String status, Long nextAttemptAt, long at, Integer httpStatus, String error) {
    }

    /** The additional data an endpoint's secret is encrypted with: bound to its realm and row. */
    static String secretAad(String realmId, String id) {
        return "webhook-endpoint|" + realmId + "|" + id + "|SECRET";
    }

    /** The additional data an endpoint's previous secret is encrypted with: its row, and not the current secret's. */
    static String previousSecretAad(String realmId, String id) {
        return "webhook-endpoint|" + realmId + "|" + id + "|PREVIOUS_SECRET";
    }

    void create(Endpoint e);

    Optional<Endpoint> endpoint(String realmId, String id);

    /** An endpoint, its row locked until the transaction ends (so two rotations of it run one after the other). */
    Optional<Endpoint> endpointForUpdate(String realmId, String id);

    /** A realm's endpoints, of one client when {@code clientId} (internal id) is not null. */
    List<Endpoint> endpoints(String realmId, String clientId);

    /** The endpoints of any of these clients (internal ids). */
    List<Endpoint> endpointsOf(String realmId, Collection<String> clientIds);

    /** Disables an enabled endpoint (no more deliveries to it); whether this call disabled it. */
    boolean disable(String realmId, String id, long at, String reason);

    /** Enables an endpoint again (deliveries of new events resume); the endpoint, empty when there is none. */
    Optional<Endpoint> enable(String realmId, String id);

    /**
     * Writes a rotated endpoint's secrets, only if its secret is still {@code old}'s (a concurrent rotation or re-wrap
     * wins; read again and retry). {@code previousSecret} null: no previous secret is kept. Whether it landed.
     */
    boolean rotate(Endpoint old, String secret, String keyId, String previousSecret, String previousKeyId,
                   Long previousExpiresAt, long rotatedAt);

    /** Forgets previous secrets that stopped signing before {@code now}; how many. */
    int dropExpiredPrevious(long now);

    /** Removes an endpoint and its outbox rows; whether there was one. */
    boolean delete(String realmId, String id);

    void deleteByClient(String realmId, String clientId);

    void deleteByRealm(String realmId);

    void enqueue(Message m);

    /** An endpoint's deliveries, newest first. */
    List<Message> messages(String endpointId, int first, int max);

    /**
     * Locks up to {@code limit} pending rows due at {@code now} for this transaction ({@code SKIP LOCKED}: rows other
     * nodes hold are skipped) and leases each to {@code owner} until {@code leaseUntil}. Commit right after, deliver
     * outside any transaction, then {@link #complete}.
     */
    List<Message> claimDue(String owner, long now, long leaseUntil, int limit);

    /** Records an attempt, only while {@code owner} still holds the row's lease; releases it. Whether it landed. */
    boolean complete(Attempt a);

    /** Drops delivered and failed rows created before {@code cutoff}. */
    int deleteFinishedBefore(long cutoff);

    /**
     * Up to {@code limit} endpoints of a realm (every realm when null) whose secret, or previous secret, is under
     * another key than {@code keyId}.
     */
    List<Endpoint> onOtherKeys(String realmId, String keyId, int limit);

    long countOnOtherKeys(String realmId, String keyId);

    /**
     * Writes an endpoint's secrets re-encrypted under {@code keyId} ({@code previousSecret} null: the previous one is
     * dropped), only if its secret is still {@code old}'s.
     */
    boolean rewrap(Endpoint old, String keyId, String secret, String previousSecret);
}
