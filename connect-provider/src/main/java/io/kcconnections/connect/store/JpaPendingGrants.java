package io.kcconnections.connect.store;

import java.util.List;

import jakarta.persistence.EntityManager;

/** {@link PendingGrants} on Keycloak's JPA persistence unit. */
final class JpaPendingGrants implements PendingGrants {

    private final EntityManager em;
    private final RowChanges changes;

    JpaPendingGrants(EntityManager em, RowChanges changes) {
        this.em = em;
        this.changes = changes;
    }

    @Override
    public int restart(String id, String userId, String appClient, String pendingCiphertext, String keyId, int interval,
                       long nextPollAt, long expiresAt, List<String> scopes, long now) {
        return RowUpdate.of(em, changes, id).set("status", ConnectionStatus.PENDING.id()).set("pendingGrant", pendingCiphertext)
                .set("appClient", appClient)
                .set("keyId", keyId).set("pollInterval", interval).set("refreshAt", nextPollAt).set("expiresAt", expiresAt)
                .set("scopes", Rows.joinScopes(scopes)).set("grantType", GrantType.DEVICE_CODE.id()).set("failureCount", 0)
                .clear("statusReason", "lastErrorAt", "accessToken", "refreshToken", "rawToken", "tokenType", "accountId",
                        "accountName")
                .releaseLease().versioned(now)
                .where("userId", userId).whereStatusNot(ConnectionStatus.ACTIVE, ConnectionStatus.DEGRADED).run();
    }

    @Override
    public List<Connection> claimDue(String owner, long now, long leaseUntil, int limit) {
        return JpaLeases.claimDue(em, changes, "ConnectConnection.duePending", null, owner, now, leaseUntil, limit);
    }

    @Override
    public boolean claimDueOne(String id, String owner, long now, long leaseUntil) {
        return RowUpdate.of(em, changes, id).set("leaseOwner", owner).set("leaseUntil", leaseUntil).set("refreshAt", leaseUntil)
                .bumpVersion().unleasedAt(now).whereStatus(ConnectionStatus.PENDING).whereClause("c.refreshAt <= ?", now).ran();
    }

    @Override
    public boolean stillPending(String id, String owner, int interval, long nextPollAt, long now) {
        return RowUpdate.of(em, changes, id).set("pollInterval", interval).set("refreshAt", nextPollAt).releaseLease()
                .versioned(now).leasedBy(owner).whereStatus(ConnectionStatus.PENDING).ran();
    }

    @Override
    public boolean failed(String id, String owner, String reason, long now) {
        return RowUpdate.of(em, changes, id).set("status", ConnectionStatus.FAILED.id()).set("statusReason", Rows.truncate(reason))
                .clear("pendingGrant", "refreshAt").set("lastErrorAt", now).releaseLease().versioned(now)
                .leasedBy(owner).whereStatus(ConnectionStatus.PENDING).ran();
    }

    @Override
    public boolean complete(String id, long pendingExpiresAt, TokenColumns t, long now) {
        return RowUpdate.of(em, changes, id).tokens(t).set("status", ConnectionStatus.ACTIVE.id()).clear("statusReason")
                .set("failureCount", 0).clear("pendingGrant", "pollInterval").set("lastRefreshAt", now).releaseLease()
                .versioned(now).whereStatus(ConnectionStatus.PENDING).where("expiresAt", pendingExpiresAt).ran();
    }
}
