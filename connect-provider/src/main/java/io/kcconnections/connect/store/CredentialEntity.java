package io.kcconnections.connect.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * A typed credential: non-secret fields as JSON, each secret field a {@code KeyRing} ciphertext bound to (realm, row,
 * field), all under {@code KEY_ID}. Only the store package touches this class.
 */
@Entity(name = "ConnectCredential")
@Table(name = "CONNECT_CREDENTIAL")
@NamedQueries({
        @NamedQuery(name = "ConnectCredential.byConnectionId",
                query = "select c from ConnectCredential c where c.realmId = :realmId and c.connectionId = :connectionId"),
        @NamedQuery(name = "ConnectCredential.byUser",
                query = "select c from ConnectCredential c where c.realmId = :realmId and c.userId = :userId order by c.createdAt, c.id"),
        @NamedQuery(name = "ConnectCredential.byOwnerClient",
                query = "select c from ConnectCredential c where c.realmId = :realmId and c.ownerClient = :ownerClient order by c.createdAt, c.id"),
        @NamedQuery(name = "ConnectCredential.countByUserType",
                query = "select count(c) from ConnectCredential c where c.realmId = :realmId and c.userId = :userId and c.type = :type"),
        @NamedQuery(name = "ConnectCredential.countByClientType",
                query = "select count(c) from ConnectCredential c where c.realmId = :realmId and c.ownerClient = :ownerClient and c.type = :type"),
        @NamedQuery(name = "ConnectCredential.deleteByUser",
                query = "delete from ConnectCredential c where c.realmId = :realmId and c.userId = :userId"),
        @NamedQuery(name = "ConnectCredential.deleteByOwnerClient",
                query = "delete from ConnectCredential c where c.realmId = :realmId and c.ownerClient = :ownerClient"),
        @NamedQuery(name = "ConnectCredential.deleteByRealm",
                query = "delete from ConnectCredential c where c.realmId = :realmId"),
        @NamedQuery(name = "ConnectCredential.onOlderKeys",
                query = "select c from ConnectCredential c where c.keyId <> :keyId order by c.id"),
        @NamedQuery(name = "ConnectCredential.onOlderKeysInRealm",
                query = "select c from ConnectCredential c where c.realmId = :realmId and c.keyId <> :keyId order by c.id"),
        @NamedQuery(name = "ConnectCredential.countOnOlderKeys",
                query = "select count(c) from ConnectCredential c where c.keyId <> :keyId"),
        @NamedQuery(name = "ConnectCredential.countOnOlderKeysInRealm",
                query = "select count(c) from ConnectCredential c where c.realmId = :realmId and c.keyId <> :keyId"),
})
public class CredentialEntity {

    @Id
    @Column(name = "ID", length = 36)
    String id;
    @Column(name = "REALM_ID", length = 36, nullable = false)
    String realmId;
    @Column(name = "CONNECTION_ID", length = 128, nullable = false)
    String connectionId;
    @Column(name = "USER_ID", length = 36)
    String userId;
    @Column(name = "OWNER_CLIENT", length = 36)
    String ownerClient;
    @Column(name = "APP_CLIENT", length = 36)
    String appClient;
    @Column(name = "PROVIDER", length = 64)
    String provider;
    @Column(name = "TYPE", length = 32, nullable = false)
    String type;
    @Column(name = "FIELDS", nullable = false)
    String fields;
    @Column(name = "SECRETS", nullable = false)
    String secrets;
    @Column(name = "KEY_ID", length = 64, nullable = false)
    String keyId;
    @Column(name = "CREATED_AT", nullable = false)
    long createdAt;
    @Column(name = "UPDATED_AT", nullable = false)
    long updatedAt;
    @Version
    @Column(name = "VERSION", nullable = false)
    int version;
}
