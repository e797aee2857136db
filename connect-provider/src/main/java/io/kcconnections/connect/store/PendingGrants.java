package io.kcconnections.connect.store;

import java.util.List;

/**
 * Device authorizations waiting for the person (RFC 8628): their polls, claimed with the same leases as refreshes,
 * and how they end. Obtain it with {@link Stores#pendingGrants}.
 */
public interface PendingGrants {

    /**
     * A new device authorization for an existing connection of the same owner that is not active (pending, failed,
     * needs a new consent): it waits for the person again. Breaks any lease.
     *
     * @return rows changed
     */
    int restart(String id, String userId, String appClient, String pendingCiphertext, String keyId, int interval, long nextPollAt,
                long expiresAt, List<String> scopes, long now);

    /** Locks up to {@code limit} pending authorizations whose poll is due, like {@link Leases#claimDue}. */
    List<Connection> claimDue(String owner, long now, long leaseUntil, int limit);

    /**
     * Claims one pending authorization whose next poll is due (a status read's poll): only while it is still
     * pending and due, so a poll another node has just made is not repeated at once.
     */
    boolean claimDueOne(String id, String owner, long now, long leaseUntil);

    /**
     * Not finished yet: the next poll is due at {@code nextPollAt}, with the (possibly slowed-down) interval. Only
     * while this owner holds the lease; releases it.
     */
    boolean stillPending(String id, String owner, int interval, long nextPollAt, long now);

    /** Ended without tokens (denied, expired): failed, nothing left to poll. Only while this owner holds the lease. */
    boolean failed(String id, String owner, String reason, long now);

    /**
     * Stores the tokens the authorization led to. Not bound to a lease: the provider hands them out once, so
     * whoever holds them stores them, as long as the connection still waits for this same authorization (pending,
     * with the device code's expiry {@code pendingExpiresAt} it was started with; a restart sets another).
     */
    boolean complete(String id, long pendingExpiresAt, TokenColumns tokens, long now);
}
