package io.kcconnections.connect.store;

import java.util.List;
import java.util.Map;

/**
 * What a successful token response writes into a connection (ciphertexts already made for the row's id).
 *
 * @param refreshTokenCiphertext null keeps the stored refresh token (the provider sent none)
 */
public record TokenColumns(
        String accessTokenCiphertext,
        String refreshTokenCiphertext,
        String rawTokenCiphertext,
        String keyId,
        String tokenType,
        List<String> scopes,
        Map<String, String> metadata,
        Long expiresAt,
        Long refreshAt) {
}
