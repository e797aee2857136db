package io.kcconnections.connect.store;

import java.util.Map;

/**
 * A stored dynamic client registration. {@code clientSecretCiphertext} and {@code registrationTokenCiphertext} are
 * {@code KeyRing} ciphertexts (AAD: realm, id, column); {@code endpoints} are the authorization server's endpoints as
 * last discovered ({@code authorization_endpoint}, {@code token_endpoint}, {@code revocation_endpoint}).
 */
public record ClientRegistration(String id, String realmId, String issuer, String clientId, String clientSecretCiphertext,
                                 String registrationTokenCiphertext, String registrationUri, String authMethod,
                                 String redirectUri, Map<String, String> endpoints, Long secretExpiresAt, String keyId,
                                 long createdAt, long updatedAt) {

    public static final String SECRET = "client_secret";
    public static final String REGISTRATION_TOKEN = "registration_access_token";
}
