package io.kcconnections.connect.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** The health of one connection or credential (its row id): smoothed status, last check, when the next is due. */
@Entity(name = "ConnectHealth")
@Table(name = "CONNECT_HEALTH")
@NamedQueries({
        @NamedQuery(name = "ConnectHealth.due",
                query = "select h from ConnectHealth h where h.nextCheckAt <= :now order by h.nextCheckAt"),
        @NamedQuery(name = "ConnectHealth.inRealm",
                query = "select h from ConnectHealth h where h.realmId = :realmId order by h.nextCheckAt"),
        @NamedQuery(name = "ConnectHealth.byIds", query = "select h from ConnectHealth h where h.id in :ids"),
        @NamedQuery(name = "ConnectHealth.summary",
                query = "select h.kind, h.status, count(h) from ConnectHealth h where h.realmId = :realmId group by h.kind, h.status"),
        @NamedQuery(name = "ConnectHealth.unhealthy",
                query = "select h from ConnectHealth h where h.realmId = :realmId and h.status = 'unhealthy' order by h.lastCheckAt desc"),
        @NamedQuery(name = "ConnectHealth.deleteByRealm", query = "delete from ConnectHealth h where h.realmId = :realmId"),
        @NamedQuery(name = "ConnectHealth.seedConnections",
                query = "insert into ConnectHealth (id, realmId, kind, status, failures, nextCheckAt) "
                        + "select c.id, c.realmId, 'connection', 'unknown', 0, :next from ConnectConnection c "
                        + "where c.status in ('active', 'degraded', 'needs_reauth') "
                        + "and not exists (select 1 from ConnectHealth h where h.id = c.id)"),
})
public class HealthEntity {

    @Id
    @Column(name = "ID", length = 36)
    String id;
    @Column(name = "REALM_ID", length = 36, nullable = false)
    String realmId;
    @Column(name = "KIND", length = 16, nullable = false)
    String kind;
    @Column(name = "STATUS", length = 16, nullable = false)
    String status;
    @Column(name = "FAILURES", nullable = false)
    int failures;
    @Column(name = "LAST_CHECK_AT")
    Long lastCheckAt;
    @Column(name = "LAST_OK_AT")
    Long lastOkAt;
    @Column(name = "LAST_ERROR")
    String lastError;
    @Column(name = "NEXT_CHECK_AT", nullable = false)
    long nextCheckAt;
    @Column(name = "LEASE_OWNER", length = 36)
    String leaseOwner;
}
