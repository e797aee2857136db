package io.kcconnections.connect.crypto;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyRingTest {

    private static final byte[] K1 = new byte[32];
    private static final byte[] K2 = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            K1[i] = (byte) i;
            K2[i] = (byte) (100 + i);
        }
    }

    @Test
    void roundTripWithTheSameAssociatedData() throws Exception {
        KeyRing r = KeyRing.of(K1, List.of());
        String ct = r.encrypt("secret-token", "realm|row|access_token");
        assertTrue(ct.startsWith("v1." + KeyRing.keyId(K1) + "."));
        assertFalse(ct.contains("secret-token"));
        assertEquals("secret-token", r.decrypt(ct, "realm|row|access_token"));
        assertNotEquals(ct, r.encrypt("secret-token", "realm|row|access_token"), "a fresh IV every time");
    }

    @Test
    void anotherRowOrColumnDoesNotDecrypt() {
        KeyRing r = KeyRing.of(K1, List.of());
        String ct = r.encrypt("secret-token", "realm|row-1|access_token");
        KeyRing.DecryptionException e = assertThrows(KeyRing.DecryptionException.class, () -> r.decrypt(ct, "realm|row-2|access_token"));
        assertTrue(e.getMessage().contains("another record"));
        assertThrows(KeyRing.DecryptionException.class, () -> r.decrypt(ct, "realm|row-1|refresh_token"));
    }

    @Test
    void alteredCiphertextFails() {
        KeyRing r = KeyRing.of(K1, List.of());
        String ct = r.encrypt("secret-token", "a");
        String prefix = ct.substring(0, ct.lastIndexOf('.') + 1);
        for (int i = 0; i < 40; i++) {
            // Flip one bit of the IV, the ciphertext or the tag (not base64 padding bits, which decoders ignore).
            byte[] raw = Base64.getUrlDecoder().decode(ct.substring(prefix.length()));
            raw[i % raw.length] ^= 0x01;
            String altered = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            assertThrows(KeyRing.DecryptionException.class, () -> r.decrypt(altered, "a"));
        }
        assertThrows(KeyRing.DecryptionException.class, () -> r.decrypt("garbage", "a"));
        assertThrows(KeyRing.DecryptionException.class, () -> r.decrypt("v1.xxxxxxxx.AAAA", "a"));
    }

    @Test
    void oldKeysDecryptButNeverEncrypt() throws Exception {
        String old = KeyRing.of(K1, List.of()).encrypt("t", "a");
        KeyRing rotated = KeyRing.of(K2, List.of(K1));
        assertEquals("t", rotated.decrypt(old, "a"));
        assertEquals(KeyRing.keyId(K2), KeyRing.keyIdOf(rotated.encrypt("t", "a")));
        KeyRing.DecryptionException e = assertThrows(KeyRing.DecryptionException.class, () -> KeyRing.of(K2, List.of()).decrypt(old, "a"));
        assertTrue(e.getMessage().contains(KeyRing.keyId(K1)), "names the missing key id");
    }

    @Test
    void keyParsingExplainsWithoutEchoingTheKey() {
        String good = Base64.getEncoder().encodeToString(K1);
        assertEquals(32, KeyRing.parseKey(good).length);
        assertEquals(32, KeyRing.parseKey(Base64.getUrlEncoder().encodeToString(K2)).length);
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class,
                () -> KeyRing.parseKey(Base64.getEncoder().encodeToString(new byte[16])));
        assertTrue(shortKey.getMessage().contains("32 bytes"));
        IllegalArgumentException notB64 = assertThrows(IllegalArgumentException.class, () -> KeyRing.parseKey("not base64 !!"));
        assertFalse(notB64.getMessage().contains("not base64 !!"));
    }

    @Test
    void keyIdsAreStableAndDistinct() {
        assertEquals(KeyRing.keyId(K1), KeyRing.keyId(K1.clone()));
        assertNotEquals(KeyRing.keyId(K1), KeyRing.keyId(K2));
        assertEquals(8, KeyRing.keyId(K1).length());
    }

    @Test
    void rewrapMovesAValueToThePrimaryKeyAndLeavesCurrentOnesAlone() throws Exception {
        String old = KeyRing.of(K1, List.of()).encrypt("t", "a");
        KeyRing rotated = KeyRing.of(K2, List.of(K1));
        String moved = rotated.rewrap(old, "a");
        assertEquals(rotated.primaryKeyId(), KeyRing.keyIdOf(moved));
        assertEquals("t", KeyRing.of(K2, List.of()).decrypt(moved, "a"), "readable without the old key");
        assertEquals(moved, rotated.rewrap(moved, "a"), "already current: unchanged");
        assertEquals(null, rotated.rewrap(null, "a"));
        assertThrows(KeyRing.DecryptionException.class, () -> rotated.rewrap(old, "b"), "bound to its row and column");
    }
}
