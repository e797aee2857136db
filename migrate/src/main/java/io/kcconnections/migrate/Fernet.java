package io.kcconnections.migrate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fernet tokens (the format of Python's {@code cryptography.fernet}, which svc-infra and stargazer use for their token
 * columns): {@code 0x80 | timestamp (8) | IV (16) | AES-128-CBC ciphertext | HMAC-SHA256 (32)}, URL-safe base64; the
 * key is 32 URL-safe-base64 bytes, the first half signing, the second encrypting. The signature is checked (in
 * constant time) before anything is decrypted. No time-to-live: stored tokens are old by nature.
 */
public final class Fernet {

    private static final byte VERSION = (byte) 0x80;
    private static final int HEADER = 1 + 8 + 16;
    private static final int MAC = 32;

    private final SecretKeySpec signing;
    private final SecretKeySpec encryption;

    public Fernet(String key) {
        byte[] k;
        try {
            k = Base64.getUrlDecoder().decode(key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a Fernet key is 32 bytes in URL-safe base64");
        }
        if (k.length != 32) {
            throw new IllegalArgumentException("a Fernet key is 32 bytes in URL-safe base64");
        }
        signing = new SecretKeySpec(Arrays.copyOfRange(k, 0, 16), "HmacSHA256");
        encryption = new SecretKeySpec(Arrays.copyOfRange(k, 16, 32), "AES");
    }

    /** The plaintext of a token; {@link InvalidToken} when it is not one of this key's. */
    public String decrypt(String token) {
        byte[] t;
        try {
            t = Base64.getUrlDecoder().decode(token.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidToken("not base64");
        }
        if (t.length < HEADER + 16 + MAC || t[0] != VERSION || (t.length - HEADER - MAC) % 16 != 0) {
            throw new InvalidToken("not a Fernet token");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(signing);
            mac.update(t, 0, t.length - MAC);
            if (!MessageDigest.isEqual(mac.doFinal(), Arrays.copyOfRange(t, t.length - MAC, t.length))) {
                throw new InvalidToken("signature does not match (another key?)");
            }
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.DECRYPT_MODE, encryption, new IvParameterSpec(t, 9, 16));
            return new String(c.doFinal(t, HEADER, t.length - HEADER - MAC), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new InvalidToken("cannot decrypt");
        }
    }

    /** A token of this key (for tests and for writing sample data). */
    public String encrypt(String plaintext, long epochSeconds) {
        byte[] iv = new byte[16];
        new SecureRandom().nextBytes(iv);
        return encrypt(plaintext, epochSeconds, iv);
    }

    String encrypt(String plaintext, long epochSeconds, byte[] iv) {
        try {
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.ENCRYPT_MODE, encryption, new IvParameterSpec(iv));
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.allocate(HEADER + ct.length + MAC);
            b.put(VERSION).putLong(epochSeconds).put(iv).put(ct);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(signing);
            mac.update(b.array(), 0, HEADER + ct.length);
            b.put(mac.doFinal());
            return Base64.getUrlEncoder().encodeToString(b.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value that is not a token of this key. The message never includes the value. */
    public static final class InvalidToken extends RuntimeException {
        InvalidToken(String why) {
            super(why);
        }
    }
}
