package io.kcconnections.connect.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** One webhook delivery as the activity log keeps it: when, the verdict, the size, the sender's delivery id,
 * the connections it was routed to; no body. */
@Entity(name = "ConnectWebhookDelivery")
@Table(name = "CONNECT_WEBHOOK_DELIVERY")
@NamedQueries({
        @NamedQuery(name = "ConnectWebhookDelivery.byRoute", query = "select d from ConnectWebhookDelivery d where d.realmId = :realmId "
                + "and d.provider = :provider and d.route = :route order by d.receivedAt desc, d.id"),
        @NamedQuery(name = "ConnectWebhookDelivery.deleteByRoute", query = "delete from ConnectWebhookDelivery d where d.realmId = :realmId "
                + "and d.provider = :provider and d.route = :route"),
        @NamedQuery(name = "ConnectWebhookDelivery.deleteBefore", query = "delete from ConnectWebhookDelivery d where d.realmId = :realmId "
                + "and d.provider = :provider and d.route = :route and d.receivedAt < :cutoff"),
        @NamedQuery(name = "ConnectWebhookDelivery.deleteByRealm", query = "delete from ConnectWebhookDelivery d where d.realmId = :realmId"),
})
public class WebhookDeliveryEntity {

    @Id
    @Column(name = "ID", length = 36)
    String id;
    @Column(name = "REALM_ID", length = 36, nullable = false)
    String realmId;
    @Column(name = "PROVIDER", length = 64, nullable = false)
    String provider;
    @Column(name = "ROUTE", length = 64, nullable = false)
    String route;
    @Column(name = "RECEIVED_AT", nullable = false)
    long receivedAt;
    @Column(name = "VERDICT", length = 32, nullable = false)
    String verdict;
    @Column(name = "SIZE_BYTES", nullable = false)
    long size;
    @Column(name = "DELIVERY_ID", length = 128)
    String deliveryId;
    /** The connections a verified delivery was routed to, space-separated connection ids; null for none. */
    @Column(name = "CONNECTION_IDS", length = 1024)
    String connectionIds;
}
