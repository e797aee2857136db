package io.kcconnections.connect.store;

import java.util.regex.Pattern;
import java.io.IOException;
import org.keycloak.util.JsonSerialization;
import java.util.LinkedHashMap;
import java.util.Map;

import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.oauth.TokenSet;

/**
 * Encrypts token sets into a row's columns and back. Each value's associated data names the realm, the row and the
 * column, so a ciphertext moved to another row or column does not decrypt.
 */
public final class TokenCodec {

    public static final String ACCESS = "access_token";
    private static final Pattern TOKEN_TYPE = Pattern.compile("[\\x21-\\x7E]{1,64}");
    public static final String REFRESH = "refresh_token";
    public static final String RAW = "raw_token";
    /** A pending device authorization's device code. */
    public static final String PENDING = "pending_grant";

    private TokenCodec() {
    }

    public static String aad(String realmId, String rowId, String column) {
        return "kc-connections/v1|" + realmId + "|" + rowId + "|" + column;
    }

    /**
     * @param metadata   values to store with the connection (earlier ones merged by the caller)
     * @param refreshAt  when the background refresher should renew it (null: never)
     */
    public static TokenColumns encrypt(KeyRing ring, String realmId, String rowId, TokenSet t,
                                       Map<String, String> metadata, Long refreshAt) {
        return new TokenColumns(
                ring.encrypt(t.accessToken(), aad(realmId, rowId, ACCESS)),
                ring.encrypt(t.refreshToken(), aad(realmId, rowId, REFRESH)),
                ring.encrypt(t.raw(), aad(realmId, rowId, RAW)),
                ring.primaryKeyId(), tokenType(t.tokenType()), t.scopes(), metadata, t.expiresAt(), refreshAt);
    }

    /**
     * A provider's {@code token_type} as it may be stored: printable, at most the column's 64 characters; anything
     * else is dropped (read as {@code Bearer}), so a strange answer can never make a rotated token's write-back fail.
     */
    /**
     * The columns with the refresh token that is kept (the provider sent no new one) encrypted again under the
     * current key, so that every ciphertext of a row is under the row's {@code KEY_ID} and a key re-wrap that selects
     * rows by it misses none.
     *
     * @param keptPlaintext the stored refresh token, decrypted; null keeps nothing
     */
    public static TokenColumns keepingRefresh(KeyRing ring, String realmId, String rowId, TokenColumns cols, String keptPlaintext) {
        if (cols.refreshTokenCiphertext() != null || keptPlaintext == null) {
            return cols;
        }
        return new TokenColumns(cols.accessTokenCiphertext(), ring.encrypt(keptPlaintext, aad(realmId, rowId, REFRESH)),
                cols.rawTokenCiphertext(), cols.keyId(), cols.tokenType(), cols.scopes(), cols.metadata(), cols.expiresAt(),
                cols.refreshAt());
    }

    static String tokenType(String t) {
        return t != null && TOKEN_TYPE.matcher(t).matches() ? t : null;
    }

    public static String accessToken(KeyRing ring, Connection c) throws KeyRing.DecryptionException {
        return ring.decrypt(c.tokens().accessTokenCiphertext(), aad(c.realmId(), c.id(), ACCESS));
    }

    public static String refreshToken(KeyRing ring, Connection c) throws KeyRing.DecryptionException {
        return ring.decrypt(c.tokens().refreshTokenCiphertext(), aad(c.realmId(), c.id(), REFRESH));
    }

    /** A pending device grant: the device code and, when PKCE was used, the verifier. Both are secrets. */
    public record PendingGrant(String deviceCode, String verifier) {
        @Override
        public String toString() {
            return "PendingGrant[…]";
        }
    }

    public static String encryptPending(KeyRing ring, String realmId, String rowId, PendingGrant g) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("device_code", g.deviceCode());
        if (g.verifier() != null) {
            m.put("code_verifier", g.verifier());
        }
        try {
            return ring.encrypt(JsonSerialization.writeValueAsString(m), aad(realmId, rowId, PENDING));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PendingGrant pending(KeyRing ring, Connection c) throws KeyRing.DecryptionException {
        String json = ring.decrypt(c.grant().pendingCiphertext(), aad(c.realmId(), c.id(), PENDING));
        try {
            Map<?, ?> m = JsonSerialization.readValue(json, Map.class);
            return new PendingGrant((String) m.get("device_code"), (String) m.get("code_verifier"));
        } catch (IOException | RuntimeException e) {
            throw new KeyRing.DecryptionException("the pending grant is not readable");
        }
    }

    /** Stored metadata overlaid with newly captured values. */
    public static Map<String, String> merge(Map<String, String> stored, Map<String, String> captured) {
        Map<String, String> m = new LinkedHashMap<>(stored);
        m.putAll(captured);
        return m;
    }

    /**
     * When the background refresher should renew a token: {@code windowSeconds} before it expires, and at the latest
     * {@code idleRefreshDays} after now for providers that revoke refresh tokens left unused that long. Null: never
     * (no refresh token, or a token that does not expire on a provider without idle expiry).
     */
    public static Long refreshAt(Long expiresAt, boolean hasRefreshToken, int windowSeconds, Integer idleRefreshDays) {
        if (!hasRefreshToken) {
            return null;
        }
        Long at = expiresAt == null ? null : expiresAt - windowSeconds * 1000L;
        if (idleRefreshDays != null) {
            long idle = System.currentTimeMillis() + idleRefreshDays * 86_400_000L;
            at = at == null ? idle : Math.min(at, idle);
        }
        return at;
    }
}
