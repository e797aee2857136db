package io.kcconnections.connect.crypto;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyRingSourceTest {

    private static final String KEY = "q3r0x1kq2cYtW6nF0oVvLh8mJ9aP4sB7dE5gH2jK1lM=";

    @Test
    void aPlainKeyIsTheSameRingForEveryRealm() throws Exception {
        KeyRingSource s = new KeyRingSource(KEY, List.of());
        assertNull(s.check());
        assertNotNull(s.ring());
    }

    @Test
    void aVaultReferenceIsRefusedAsPrimaryOrOldKey() {
        for (KeyRingSource s : List.of(new KeyRingSource("${vault.kek}", List.of()),
                new KeyRingSource(KEY, List.of("${vault.old_kek}")))) {
            assertNotNull(s.check());
            assertTrue(s.check().contains("${vault.…} reference"), s.check());
            assertThrows(KeyRingSource.KeyUnavailableException.class, () -> s.ring());
        }
    }

    @Test
    void reasonsNeverCarryKeyMaterial() {
        KeyRingSource s = new KeyRingSource("not-base64-and-short", List.of());
        assertTrue(s.check().contains("unusable"), s.check());
        assertFalse(s.check().contains("not-base64-and-short"));
        assertTrue(new KeyRingSource(null, List.of()).check().contains("no token encryption key"));
    }
}
