package io.kcconnections.connect.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stored connections: lookups and the writes of their lifecycle (consent, account, re-consent needed, use, removal).
 * Every method works in the session's transaction. Obtain it with {@link Stores#connections}.
 */
public interface Connections {

    Optional<Connection> find(String realmId, String provider, String connectionId);

    /** By row id, read afresh from the database (not the session's cached copy). */
    Optional<Connection> findById(String id);

    /**
     * For token and status reads: the connections with this id (of one provider when named), from the node's
     * {@link RowCache} when it has them, else from the database (and then cached). Never for a decision that writes.
     */
    List<Connection> findForRead(String realmId, String provider, String connectionId);

    /** Every provider's connection with this id in the realm (a connection id is unique per realm and provider). */
    List<Connection> findByConnectionId(String realmId, String connectionId);

    List<Connection> listByUser(String realmId, String userId);

    /**
     * Up to {@code max} of a realm's connections of one provider whose provider-side account is {@code accountId},
     * oldest first (webhook routing; indexed on realm, provider, account).
     */
    List<Connection> findByAccount(String realmId, String provider, String accountId, int max);

    long countByUser(String realmId, String userId);

    /** Connections owned by a client (client-credentials grant), by the client's internal id. */
    List<Connection> listByOwnerClient(String realmId, String clientId);

    /** Every connection of a realm (admin view), optionally of one status and one provider, paged by creation time. */
    List<Connection> listByRealm(String realmId, ConnectionStatus status, String provider, int first, int max);

    /** Inserts a new connection; the unique key (realm, provider, connection id) refuses a duplicate at flush. */
    void insert(Connection c);

    /**
     * A new consent for an existing connection: replaces tokens, account and state, and breaks any refresh lease
     * (a refresher holding the old grant then fails its conditional write-back and discards its result).
     *
     * @return rows changed
     */
    int replaceAfterConsent(String id, String appClient, String accountId, String accountName, TokenColumns tokens, long now);

    /** Records the provider-side account behind a connection's tokens. */
    void setAccount(String id, String accountId, String accountName);

    /**
     * Marks a connection that can no longer be refreshed, if it is still the version the caller read (a refresh or
     * reconnect in between wins).
     */
    void markNeedsReauth(String id, int readVersion, String reason, long now);

    /** Notes a read, at most once per {@code granularityMillis}, so reads stay read-only on the hot path. */
    void touch(String id, long now, long granularityMillis);

    /** Connections per status, across realms (for the metrics gauge). */
    Map<String, Long> countByStatus();

    /**
     * A page of a realm's connections (every realm's when {@code realmId} is null) whose ciphertexts are under another
     * key than {@code keyId}, by row id after {@code afterId} (null: from the start).
     */
    List<Connection> onOtherKeys(String realmId, String keyId, String afterId, int limit);

    /** How many connections of a realm (every realm when null) are under another key than {@code keyId}. */
    long countOnOtherKeys(String realmId, String keyId);

    /**
     * Writes a row's ciphertexts re-encrypted under {@code keyId}, only if the row is still at {@code readVersion} (a
     * refresh meanwhile wrote new ones under the current key anyway). Not a change anyone sees: no new version.
     */
    boolean rewrap(String id, int readVersion, String keyId, String access, String refresh, String raw, String pending);

    /**
     * Deletes connections that can never work again and were left that way since {@code cutoff}: those needing a
     * new consent, and expired ones without a refresh token.
     */
    int deleteTerminalBefore(long cutoff);

    boolean delete(String id);

    int deleteByUser(String realmId, String userId);

    /** A removed client's own connections (client credentials). */
    int deleteByOwnerClient(String realmId, String clientId);

    int deleteByRealm(String realmId);
}
