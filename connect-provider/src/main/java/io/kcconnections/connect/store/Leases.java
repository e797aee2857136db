package io.kcconnections.connect.store;

import java.util.List;

/**
 * Refresh leases: a node claims a connection before calling its provider and writes the result back only while the
 * claim is still its own. While claimed, the row's refresh time is the lease end, so a claim abandoned by a dead node
 * becomes due again when the lease ends. Obtain it with {@link Stores#leases}.
 */
public interface Leases {

    /** @return whether {@code owner} now holds the lease (no unexpired lease was held) */
    boolean claim(String id, String owner, long now, long leaseUntil);

    /**
     * Locks up to {@code limit} due connections (of one realm when {@code realmId} is not null) for this transaction,
     * skipping rows other nodes hold, and marks each claimed by {@code owner} until {@code leaseUntil}. Commit right
     * after, then refresh outside the transaction.
     */
    List<Connection> claimDue(String realmId, String owner, long now, long leaseUntil, int limit);

    /** Writes a refreshed token set, if this owner still holds the lease; releases the lease. */
    boolean completeRefresh(String id, String owner, TokenColumns tokens, long now);

    /** Records a failed refresh, if this owner still holds the lease; releases the lease. */
    boolean failRefresh(String id, String owner, ConnectionStatus status, String reason, int failureCount,
                        Long refreshAt, long now);

    /** Gives a lease back without changing anything else. */
    void release(String id, String owner, Long refreshAt);
}
