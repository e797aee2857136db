package io.kcconnections.connect.store;

import java.util.List;
import java.util.Map;

/**
 * A connection's tokens as stored (ciphertexts made for the row's id) with what describes them, and when the
 * background refresher next acts on them.
 *
 * @param refreshTokenCiphertext in a write, null keeps the stored refresh token (the provider sent none)
 * @param expiresAt              when the access token expires (a pending device authorization: when its code does)
 * @param refreshAt              when the background refresher renews it (a pending one: the next poll); null never
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
