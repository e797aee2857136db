package io.kcconnections.connect.store;

import java.util.Map;

/**
 * The realm's client at an authorization server, one per (realm, issuer): registered by Keycloak itself (RFC 7591,
 * {@link #DYNAMIC}) or given by an admin ({@link #CONFIGURED}). {@code clientSecretCiphertext} and {@code registrationTokenCiphertext} are
 * {@code KeyRing} ciphertexts (AAD: realm, id, column); {@code endpoints} are the authorization server's endpoints as
 * last discovered ({@code authorization_endpoint}, {@code token_endpoint}, {@code revocation_endpoint}).
 */
public record ClientRegistration(String id, String realmId, String issuer, String clientId, String clientSecretCiphertext,
                                 String registrationTokenCiphertext, String registrationUri, String authMethod,
                                 String redirectUri, Map<String, String> endpoints, Long secretExpiresAt, String keyId,
                                 String source, long createdAt, long updatedAt) {

    public static final String DYNAMIC = "dynamic";
    public static final String CONFIGURED = "configured";

    /** An admin's client: used whatever the callback URL, never replaced by a registration. */
    public boolean configured() {
        return CONFIGURED.equals(source);
    }

    /**
     * Whether connections through {@code redirectUri} can use this client: an admin's always; a registration made
     * for that callback whose secret does not expire within the next minute.
     */
    public boolean usableFor(String redirectUri, long now) {
        if (configured()) {
            return true;
        }
        return redirectUri.equals(this.redirectUri) && (secretExpiresAt == null || secretExpiresAt > now + 60_000L);
    }

    /** This registration with the authorization server's endpoints as just discovered. */
    public ClientRegistration withEndpoints(Map<String, String> newEndpoints, long now) {
        return new ClientRegistration(id, realmId, issuer, clientId, clientSecretCiphertext, registrationTokenCiphertext,
                registrationUri, authMethod, redirectUri, newEndpoints, secretExpiresAt, keyId, source, createdAt, now);
    }

    public static final String SECRET = "client_secret";
    public static final String REGISTRATION_TOKEN = "registration_access_token";
}
