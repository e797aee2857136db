package io.kcconnections.connect.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An endpoint an app (client) registered to hear about its connections: URL, event types (comma-separated, empty for
 * all) and the signing secret, a {@code KeyRing} ciphertext bound to (realm, row id, column), and whether it is
 * disabled (it answered 410 Gone) and why. After a rotation it also keeps the previous secret (its own AAD) until
 * the overlap ends. Written at creation; afterwards only a secret rotation, a key re-wrap, the cleanup dropping an
 * expired previous secret, the delivery pass disabling it and an admin enabling it again change it
 * ({@link JpaWebhookOut}).
 */
@Entity(name = "ConnectWebhookEndpoint")
@Table(name = "CONNECT_WEBHOOK_ENDPOINT")
public class WebhookEndpointEntity {

    @Id
    @Column(name = "ID", length = 36)
    String id;
    @Column(name = "REALM_ID", length = 36, nullable = false)
    String realmId;
    /** The client's internal id. */
    @Column(name = "CLIENT_ID", length = 36, nullable = false)
    String clientId;
    @Column(name = "URL", length = 2048, nullable = false)
    String url;
    @Column(name = "EVENT_TYPES", length = 512)
    String eventTypes;
    @Column(name = "SECRET", nullable = false)
    String secret;
    @Column(name = "KEY_ID", length = 64)
    String keyId;
    @Column(name = "CREATED_AT", nullable = false)
    long createdAt;
    /** When deliveries to it stopped (410 Gone); null while enabled. */
    @Column(name = "DISABLED_AT")
    Long disabledAt;
    @Column(name = "DISABLED_REASON", length = 255)
    String disabledReason;
    /** The secret before the last rotation, a {@code KeyRing} ciphertext; null when none is kept. */
    @Column(name = "PREVIOUS_SECRET")
    String previousSecret;
    @Column(name = "PREVIOUS_KEY_ID", length = 64)
    String previousKeyId;
    /** When the previous secret stops signing; null when none is kept. */
    @Column(name = "PREVIOUS_EXPIRES_AT")
    Long previousExpiresAt;
    /** When the secret was last rotated; null: never. */
    @Column(name = "SECRET_ROTATED_AT")
    Long secretRotatedAt;
}
