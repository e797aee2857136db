package io.kcconnections.connect.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * The realm's client at an authorization server, one per (realm, issuer): registered dynamically (RFC 7591) or
 * configured by an admin ({@code SOURCE}). The secret and the registration access token are {@code KeyRing}
 * ciphertexts bound to (realm, row id, column).
 */
@Entity(name = "ConnectClientRegistration")
@Table(name = "CONNECT_CLIENT_REG")
@NamedQueries({
        @NamedQuery(name = "ConnectClientRegistration.byIssuer",
                query = "select r from ConnectClientRegistration r where r.realmId = :realmId and r.issuerHash = :issuerHash"),
        @NamedQuery(name = "ConnectClientRegistration.byRealm",
                query = "select r from ConnectClientRegistration r where r.realmId = :realmId order by r.createdAt"),
        @NamedQuery(name = "ConnectClientRegistration.deleteByRealm",
                query = "delete from ConnectClientRegistration r where r.realmId = :realmId"),
})
public class ClientRegistrationEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;
    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;
    @Column(name = "ISSUER_HASH", length = 64, nullable = false)
    private String issuerHash;
    @Column(name = "ISSUER", nullable = false)
    private String issuer;
    @Column(name = "CLIENT_ID", nullable = false)
    private String clientId;
    @Column(name = "CLIENT_SECRET")
    private String clientSecret;
    @Column(name = "REGISTRATION_TOKEN")
    private String registrationToken;
    @Column(name = "REGISTRATION_URI")
    private String registrationUri;
    @Column(name = "AUTH_METHOD", length = 64)
    private String authMethod;
    @Column(name = "REDIRECT_URI")
    private String redirectUri;
    @Column(name = "ENDPOINTS")
    private String endpoints;
    @Column(name = "SECRET_EXPIRES_AT")
    private Long secretExpiresAt;
    @Column(name = "KEY_ID", length = 64)
    private String keyId;
    @Column(name = "SOURCE", length = 16)
    private String source;

    /** The person whose connect made this registration (null: an admin's client, or made before this was recorded). */
    @Column(name = "CREATED_BY", length = 36)
    private String createdBy;

    /** The registration's place in the realm's quota, [0, mcp-max-registrations): unique per realm. */
    @Column(name = "REALM_SLOT")
    private Integer realmSlot;

    /** Its place in its person's quota, [0, mcp-max-registrations-per-user): unique per realm and person. */
    @Column(name = "USER_SLOT")
    private Integer userSlot;
    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;
    @Column(name = "UPDATED_AT", nullable = false)
    private long updatedAt;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public String getIssuerHash() { return issuerHash; }
    public void setIssuerHash(String issuerHash) { this.issuerHash = issuerHash; }
    public String getIssuer() { return issuer; }
    public void setIssuer(String issuer) { this.issuer = issuer; }
    public String getClientId() { return clientId; }
    public void setClientId(String clientId) { this.clientId = clientId; }
    public String getClientSecret() { return clientSecret; }
    public void setClientSecret(String clientSecret) { this.clientSecret = clientSecret; }
    public String getRegistrationToken() { return registrationToken; }
    public void setRegistrationToken(String registrationToken) { this.registrationToken = registrationToken; }
    public String getRegistrationUri() { return registrationUri; }
    public void setRegistrationUri(String registrationUri) { this.registrationUri = registrationUri; }
    public String getAuthMethod() { return authMethod; }
    public void setAuthMethod(String authMethod) { this.authMethod = authMethod; }
    public String getRedirectUri() { return redirectUri; }
    public void setRedirectUri(String redirectUri) { this.redirectUri = redirectUri; }
    public String getEndpoints() { return endpoints; }
    public void setEndpoints(String endpoints) { this.endpoints = endpoints; }
    public Long getSecretExpiresAt() { return secretExpiresAt; }
    public void setSecretExpiresAt(Long secretExpiresAt) { this.secretExpiresAt = secretExpiresAt; }
    public String getKeyId() { return keyId; }
    public void setKeyId(String keyId) { this.keyId = keyId; }
    public String getCreatedBy() { return createdBy; }
    public void setCreatedBy(String createdBy) { this.createdBy = createdBy; }
    public Integer getRealmSlot() { return realmSlot; }
    public void setRealmSlot(Integer realmSlot) { this.realmSlot = realmSlot; }
    public Integer getUserSlot() { return userSlot; }
    public void setUserSlot(Integer userSlot) { this.userSlot = userSlot; }
    public String getSource() { return source; }
    public void setSource(String source) { this.source = source; }
    public long getCreatedAt() { return createdAt; }
    public void setCreatedAt(long createdAt) { this.createdAt = createdAt; }
    public long getUpdatedAt() { return updatedAt; }
    public void setUpdatedAt(long updatedAt) { this.updatedAt = updatedAt; }
}
