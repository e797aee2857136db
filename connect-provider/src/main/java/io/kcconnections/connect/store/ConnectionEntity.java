package io.kcconnections.connect.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * A stored connection. Token columns hold {@code KeyRing} ciphertexts bound to (realm, row id, column).
 * Only the store package touches this class.
 */
@Entity(name = "ConnectConnection")
@Table(name = "CONNECT_CONNECTION")
@NamedQueries({
        @NamedQuery(name = "ConnectConnection.byKey",
                query = "select c from ConnectConnection c where c.realmId = :realmId and c.provider = :provider and c.connectionId = :connectionId"),
        @NamedQuery(name = "ConnectConnection.byConnectionId",
                query = "select c from ConnectConnection c where c.realmId = :realmId and c.connectionId = :connectionId"),
        @NamedQuery(name = "ConnectConnection.byAccount",
                query = "select c from ConnectConnection c where c.realmId = :realmId and c.provider = :provider "
                        + "and c.accountId = :accountId order by c.createdAt, c.id"),
        @NamedQuery(name = "ConnectConnection.byOwnerClient",
                query = "select c from ConnectConnection c where c.realmId = :realmId and c.ownerClient = :ownerClient order by c.createdAt"),
        @NamedQuery(name = "ConnectConnection.byUser",
                query = "select c from ConnectConnection c where c.realmId = :realmId and c.userId = :userId order by c.createdAt"),
        @NamedQuery(name = "ConnectConnection.deleteByUser",
                query = "delete from ConnectConnection c where c.realmId = :realmId and c.userId = :userId"),
        @NamedQuery(name = "ConnectConnection.deleteByOwnerClient",
                query = "delete from ConnectConnection c where c.realmId = :realmId and c.ownerClient = :ownerClient"),
        @NamedQuery(name = "ConnectConnection.deleteByRealm",
                query = "delete from ConnectConnection c where c.realmId = :realmId"),
        @NamedQuery(name = "ConnectConnection.byIds",
                query = "select c from ConnectConnection c where c.id in :ids order by c.id"),
        @NamedQuery(name = "ConnectConnection.due",
                query = "select c from ConnectConnection c where c.refreshAt <= :now order by c.refreshAt"),
        @NamedQuery(name = "ConnectConnection.duePending",
                query = "select c from ConnectConnection c where c.status = 'pending' and c.refreshAt <= :now order by c.refreshAt"),
        @NamedQuery(name = "ConnectConnection.dueInRealm",
                query = "select c from ConnectConnection c where c.realmId = :realmId and c.refreshAt <= :now order by c.refreshAt"),
})
public class ConnectionEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "USER_ID", length = 36)
    private String userId;

    @Column(name = "PROVIDER", length = 64, nullable = false)
    private String provider;

    @Column(name = "CONNECTION_ID", length = 128, nullable = false)
    private String connectionId;

    @Column(name = "ACCOUNT_ID")
    private String accountId;

    @Column(name = "ACCOUNT_NAME")
    private String accountName;

    @Column(name = "ACCESS_TOKEN")
    private String accessToken;

    @Column(name = "REFRESH_TOKEN")
    private String refreshToken;

    @Column(name = "RAW_TOKEN")
    private String rawToken;

    @Column(name = "KEY_ID", length = 64)
    private String keyId;

    @Column(name = "TOKEN_TYPE", length = 64)
    private String tokenType;

    @Column(name = "SCOPES")
    private String scopes;

    @Column(name = "METADATA")
    private String metadata;

    @Column(name = "EXPIRES_AT")
    private Long expiresAt;

    @Column(name = "STATUS", length = 32, nullable = false)
    private String status;

    @Column(name = "STATUS_REASON")
    private String statusReason;

    @Column(name = "FAILURE_COUNT", nullable = false)
    private int failureCount;

    @Column(name = "REFRESH_AT")
    private Long refreshAt;

    @Column(name = "LAST_REFRESH_AT")
    private Long lastRefreshAt;

    @Column(name = "LAST_ERROR_AT")
    private Long lastErrorAt;

    @Column(name = "LAST_USED_AT")
    private Long lastUsedAt;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "UPDATED_AT", nullable = false)
    private long updatedAt;

    @Column(name = "LEASE_OWNER", length = 36)
    private String leaseOwner;

    @Column(name = "LEASE_UNTIL")
    private Long leaseUntil;

    @Version
    @Column(name = "VERSION", nullable = false)
    private int version;

    @Column(name = "GRANT_TYPE", length = 32)
    private String grantType;

    @Column(name = "OWNER_CLIENT", length = 36)
    private String ownerClient;

    @Column(name = "APP_CLIENT", length = 36)
    private String appClient;

    @Column(name = "PENDING_GRANT")
    private String pendingGrant;

    @Column(name = "POLL_INTERVAL")
    private Integer pollInterval;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public String getUserId() { return userId; }
    public void setUserId(String userId) { this.userId = userId; }
    public String getProvider() { return provider; }
    public void setProvider(String provider) { this.provider = provider; }
    public String getConnectionId() { return connectionId; }
    public void setConnectionId(String connectionId) { this.connectionId = connectionId; }
    public String getAccountId() { return accountId; }
    public void setAccountId(String accountId) { this.accountId = accountId; }
    public String getAccountName() { return accountName; }
    public void setAccountName(String accountName) { this.accountName = accountName; }
    public String getAccessToken() { return accessToken; }
    public void setAccessToken(String accessToken) { this.accessToken = accessToken; }
    public String getRefreshToken() { return refreshToken; }
    public void setRefreshToken(String refreshToken) { this.refreshToken = refreshToken; }
    public String getRawToken() { return rawToken; }
    public void setRawToken(String rawToken) { this.rawToken = rawToken; }
    public String getKeyId() { return keyId; }
    public void setKeyId(String keyId) { this.keyId = keyId; }
    public String getTokenType() { return tokenType; }
    public void setTokenType(String tokenType) { this.tokenType = tokenType; }
    public String getScopes() { return scopes; }
    public void setScopes(String scopes) { this.scopes = scopes; }
    public String getMetadata() { return metadata; }
    public void setMetadata(String metadata) { this.metadata = metadata; }
    public Long getExpiresAt() { return expiresAt; }
    public void setExpiresAt(Long expiresAt) { this.expiresAt = expiresAt; }
    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }
    public String getStatusReason() { return statusReason; }
    public void setStatusReason(String statusReason) { this.statusReason = statusReason; }
    public int getFailureCount() { return failureCount; }
    public void setFailureCount(int failureCount) { this.failureCount = failureCount; }
    public Long getRefreshAt() { return refreshAt; }
    public void setRefreshAt(Long refreshAt) { this.refreshAt = refreshAt; }
    public Long getLastRefreshAt() { return lastRefreshAt; }
    public void setLastRefreshAt(Long lastRefreshAt) { this.lastRefreshAt = lastRefreshAt; }
    public Long getLastErrorAt() { return lastErrorAt; }
    public void setLastErrorAt(Long lastErrorAt) { this.lastErrorAt = lastErrorAt; }
    public Long getLastUsedAt() { return lastUsedAt; }
    public void setLastUsedAt(Long lastUsedAt) { this.lastUsedAt = lastUsedAt; }
    public long getCreatedAt() { return createdAt; }
    public void setCreatedAt(long createdAt) { this.createdAt = createdAt; }
    public long getUpdatedAt() { return updatedAt; }
    public void setUpdatedAt(long updatedAt) { this.updatedAt = updatedAt; }
    public String getLeaseOwner() { return leaseOwner; }
    public void setLeaseOwner(String leaseOwner) { this.leaseOwner = leaseOwner; }
    public Long getLeaseUntil() { return leaseUntil; }
    public void setLeaseUntil(Long leaseUntil) { this.leaseUntil = leaseUntil; }
    public int getVersion() { return version; }
    public void setVersion(int version) { this.version = version; }
    public String getGrantType() { return grantType; }
    public void setGrantType(String grantType) { this.grantType = grantType; }
    public String getAppClient() { return appClient; }
    public void setAppClient(String appClient) { this.appClient = appClient; }

    public String getOwnerClient() { return ownerClient; }
    public void setOwnerClient(String ownerClient) { this.ownerClient = ownerClient; }
    public String getPendingGrant() { return pendingGrant; }
    public void setPendingGrant(String pendingGrant) { this.pendingGrant = pendingGrant; }
    public Integer getPollInterval() { return pollInterval; }
    public void setPollInterval(Integer pollInterval) { this.pollInterval = pollInterval; }
}
