package io.kcconnections.connect.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One lifecycle event on its way to one endpoint: the payload as it is signed and sent (never a token), the delivery
 * state ({@code pending}, {@code delivered}, {@code failed}), attempts, the next attempt's time and the lease of the
 * node delivering it. While leased, {@code NEXT_ATTEMPT_AT} is the lease's end, so a row a dead node claimed is due
 * again when its lease ends.
 */
@Entity(name = "ConnectWebhookOutbox")
@Table(name = "CONNECT_WEBHOOK_OUTBOX")
public class WebhookOutboxEntity {

    @Id
    @Column(name = "ID", length = 36)
    String id;
    @Column(name = "REALM_ID", length = 36, nullable = false)
    String realmId;
    @Column(name = "ENDPOINT_ID", length = 36, nullable = false)
    String endpointId;
    @Column(name = "EVENT_TYPE", length = 64, nullable = false)
    String eventType;
    @Column(name = "PAYLOAD", nullable = false)
    String payload;
    @Column(name = "CREATED_AT", nullable = false)
    long createdAt;
    @Column(name = "STATUS", length = 16, nullable = false)
    String status;
    @Column(name = "ATTEMPTS", nullable = false)
    int attempts;
    @Column(name = "NEXT_ATTEMPT_AT")
    Long nextAttemptAt;
    @Column(name = "LAST_ATTEMPT_AT")
    Long lastAttemptAt;
    @Column(name = "LAST_STATUS")
    Integer lastStatus;
    @Column(name = "LAST_ERROR", length = 255)
    String lastError;
    @Column(name = "LEASE_OWNER", length = 36)
    String leaseOwner;
    @Column(name = "LEASE_UNTIL")
    Long leaseUntil;
}
