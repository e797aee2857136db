package io.kcconnections.connect.crypto;

import javax.crypto.AEADBadTagException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a ring of keys: one primary key encrypts, every key of the ring decrypts.
 * <p>
 * Ciphertext format: {@code v1.<kid>.<base64url(iv || ciphertext || tag)>}, a 96-bit random IV and a 128-bit tag.
 * The key id is derived from the key (8 base64url characters of a SHA-256), so listing an old key is enough to read
 * what it wrote. Every encryption binds associated data (the row and column a value belongs to): a ciphertext copied
 * elsewhere fails authentication.
 */
public final class KeyRing {

    private static final String VERSION = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** One AES-GCM cipher per thread, initialised afresh (key, IV) for every value: no provider lookup per value. */
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    });

    private final String primaryId;
    private final Map<String, SecretKeySpec> keys;

    private KeyRing(String primaryId, Map<String, SecretKeySpec> keys) {
        this.primaryId = primaryId;
        this.keys = keys;
    }

    /** A ring from raw 32-byte keys; the first is primary. */
    public static KeyRing of(byte[] primary, List<byte[]> old) {
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        String pid = keyId(primary);
        keys.put(pid, new SecretKeySpec(primary, "AES"));
        for (byte[] k : old) {
            keys.putIfAbsent(keyId(k), new SecretKeySpec(k, "AES"));
        }
        return new KeyRing(pid, Collections.unmodifiableMap(keys));
    }

    /**
     * Parses a key given as base64 or base64url text.
     *
     * @throws IllegalArgumentException if it is not exactly 32 bytes once decoded (the message never contains the key)
     */
    public static byte[] parseKey(String text) {
        String t = text.trim();
        byte[] raw;
        try {
            raw = t.contains("-") || t.contains("_") ? Base64.getUrlDecoder().decode(t) : Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key is not valid base64");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("the key must be 32 bytes (AES-256) once base64-decoded, it is " + raw.length);
        }
        return raw;
    }

    /** The id of a key: not secret, stable, different for different keys. */
    public static String keyId(byte[] key) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("kc-connections/key-id/v1".getBytes(StandardCharsets.UTF_8));
            byte[] h = d.digest(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h).substring(0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String primaryKeyId() {
        return primaryId;
    }

    /** Ids of all keys, primary first. */
    public List<String> keyIds() {
        return List.copyOf(keys.keySet());
    }

    /** Encrypts with the primary key; null stays null. */
    public String encrypt(String plaintext, String aad) {
        if (plaintext == null) {
            return null;
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = GCM.get();
            c.init(Cipher.ENCRYPT_MODE, keys.get(primaryId), new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return VERSION + "." + primaryId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Decrypts; null stays null.
     *
     * @throws DecryptionException when the key is unknown, the data was altered or belongs to other associated data
     */
    /**
     * The value under the primary key: unchanged when it already is (or null), else decrypted and encrypted again
     * with the same associated data.
     *
     * @throws DecryptionException when it cannot be decrypted with the configured keys
     */
    public String rewrap(String ciphertext, String aad) throws DecryptionException {
        if (ciphertext == null || primaryKeyId().equals(keyIdOf(ciphertext))) {
            return ciphertext;
        }
        return encrypt(decrypt(ciphertext, aad), aad);
    }

    public String decrypt(String ciphertext, String aad) throws DecryptionException {
        if (ciphertext == null) {
            return null;
        }
        String[] parts = ciphertext.split("\\.", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new DecryptionException("unrecognised ciphertext format");
        }
        SecretKeySpec key = keys.get(parts[1]);
        if (key == null) {
            throw new DecryptionException("no configured key has id " + parts[1]
                    + " (list the key that wrote it in CONNECT_TOKEN_ENCRYPTION_OLD_KEYS)");
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(parts[2]);
            if (in.length < IV_BYTES + TAG_BITS / 8) {
                throw new DecryptionException("ciphertext too short");
            }
            Cipher c = GCM.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            byte[] pt = c.doFinal(in, IV_BYTES, in.length - IV_BYTES);
            return new String(pt, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new DecryptionException("ciphertext is not base64url");
        } catch (AEADBadTagException e) {
            throw new DecryptionException("authentication failed: the value was altered or belongs to another record");
        } catch (GeneralSecurityException e) {
            throw new DecryptionException("decryption failed: " + e.getClass().getSimpleName());
        }
    }

    /** The key id a ciphertext was written with, or null if it is not ours. */
    public static String keyIdOf(String ciphertext) {
        if (ciphertext == null) {
            return null;
        }
        String[] parts = ciphertext.split("\\.", 3);
        return parts.length == 3 && VERSION.equals(parts[0]) ? parts[1] : null;
    }

    /** A value could not be decrypted. The message never contains key material or plaintext. */
    public static final class DecryptionException extends Exception {
        public DecryptionException(String message) {
            super(message);
        }
    }
}
