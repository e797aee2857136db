package io.kcconnections.connect.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A realm's webhook route {@code (provider, route)}: how deliveries are signed and the signing secret, a {@code KeyRing}
 * ciphertext bound to (realm, row id, column) whose plaintext may be a {@code ${vault.…}} reference. Its fields are
 * written only before {@code persist} and through the {@code update} query ({@link JpaWebhooks}), never on a managed
 * instance.
 */
@Entity(name = "ConnectWebhookRoute")
@Table(name = "CONNECT_WEBHOOK_ROUTE")
@NamedQueries({
        @NamedQuery(name = "ConnectWebhookRoute.find", query = "select r from ConnectWebhookRoute r where r.realmId = :realmId "
                + "and r.provider = :provider and r.route = :route"),
        @NamedQuery(name = "ConnectWebhookRoute.update", query = "update ConnectWebhookRoute r set r.scheme = :scheme, "
                + "r.headerName = :header, r.encoding = :encoding, r.prefix = :prefix, r.deliveryIdHeader = :deliveryIdHeader, "
                + "r.secret = :secret, r.keyId = :keyId, r.toleranceSeconds = :tolerance, r.maxBytes = :maxBytes, "
                + "r.updatedAt = :updatedAt, r.rateLimitPerMinute = :rateLimit, r.accountIdPointer = :accountIdPointer "
                + "where r.id = :id"),
        @NamedQuery(name = "ConnectWebhookRoute.deleteByRealm", query = "delete from ConnectWebhookRoute r where r.realmId = :realmId"),
})
public class WebhookRouteEntity {

    @Id
    @Column(name = "ID", length = 36)
    String id;
    @Column(name = "REALM_ID", length = 36, nullable = false)
    String realmId;
    @Column(name = "PROVIDER", length = 64, nullable = false)
    String provider;
    @Column(name = "ROUTE", length = 64, nullable = false)
    String route;
    @Column(name = "SCHEME", length = 32, nullable = false)
    String scheme;
    @Column(name = "HEADER_NAME", length = 128)
    String headerName;
    @Column(name = "ENCODING", length = 16)
    String encoding;
    @Column(name = "SIG_PREFIX", length = 64)
    String prefix;
    @Column(name = "DELIVERY_ID_HEADER", length = 128)
    String deliveryIdHeader;
    @Column(name = "SECRET", nullable = false)
    String secret;
    @Column(name = "KEY_ID", length = 64)
    String keyId;
    @Column(name = "TOLERANCE_SECONDS", nullable = false)
    int toleranceSeconds;
    @Column(name = "MAX_BYTES", nullable = false)
    int maxBytes;
    @Column(name = "UPDATED_AT", nullable = false)
    long updatedAt;
    @Column(name = "RATE_LIMIT_PER_MINUTE")
    Integer rateLimitPerMinute;
    @Column(name = "ACCOUNT_ID_POINTER", length = 255)
    String accountIdPointer;
}
