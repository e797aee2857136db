package io.kcconnections.connect.store;

import java.util.List;
import java.util.Map;

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

    /** A refreshed token set for one leased row, stamped {@code now}. */
    record Completion(String id, String owner, TokenColumns tokens, long now) {
    }

    /**
     * Writes refreshed token sets, each only if its owner still holds the row's lease, and releases those leases: one
     * locking read of the rows and one batched flush for the lot.
     *
     * @return the rows as written, by row id (a row whose lease was lost, or that was removed, is absent)
     */
    Map<String, Connection> completeRefreshes(List<Completion> completions);

    /** Records a failed refresh, if this owner still holds the lease; releases the lease. */
    boolean failRefresh(String id, String owner, ConnectionStatus status, String reason, int failureCount,
                        Long refreshAt, long now);

    /** Gives a lease back without changing anything else. */
    void release(String id, String owner, Long refreshAt);
}
