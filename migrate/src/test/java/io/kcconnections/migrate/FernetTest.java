package io.kcconnections.migrate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FernetTest {

    // The reference vector of the Fernet specification (github.com/fernet/spec, generate.json / verify.json).
    private static final String SPEC_KEY = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
    private static final String SPEC_TOKEN =
            "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==";

    @Test
    void decryptsTheSpecificationsToken() {
        assertEquals("hello", new Fernet(SPEC_KEY).decrypt(SPEC_TOKEN));
    }

    @Test
    void encryptsLikeTheSpecification() {
        byte[] iv = new byte[16];
        for (int i = 0; i < 16; i++) {
            iv[i] = (byte) i;
        }
        // 1985-10-26T01:20:00-07:00
        assertEquals(SPEC_TOKEN, new Fernet(SPEC_KEY).encrypt("hello", 499162800L, iv));
    }

    @Test
    void refusesTamperedForeignAndMalformedTokens() {
        Fernet f = new Fernet(SPEC_KEY);
        char[] c = SPEC_TOKEN.toCharArray();
        c[40] = c[40] == 'A' ? 'B' : 'A';
        assertThrows(Fernet.InvalidToken.class, () -> f.decrypt(new String(c)));
        String other = new Fernet("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").encrypt("secret", 1L);
        assertThrows(Fernet.InvalidToken.class, () -> f.decrypt(other));
        assertThrows(Fernet.InvalidToken.class, () -> f.decrypt("not a token"));
        assertThrows(Fernet.InvalidToken.class, () -> f.decrypt("gAAAAA"));
        assertThrows(IllegalArgumentException.class, () -> new Fernet("short"));
    }

    @Test
    void roundTrips() {
        Fernet f = new Fernet("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        assertEquals("gho_1234 ü", f.decrypt(f.encrypt("gho_1234 ü", 1_700_000_000L)));
    }
}
