package io.kcconnections.connect.oauth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PkceTest {

    @Test
    void rfc7636AppendixB() {
        assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    @Test
    void sameChallengeAsBefore() throws Exception {
        String v = Pkce.verifier();
        byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(v.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(h), Pkce.challenge(v));
    }

    @Test
    void verifiersAre64UnreservedCharacters() {
        String v = Pkce.verifier();
        assertEquals(64, v.length());
        assertTrue(v.matches("[A-Za-z0-9_-]+"), v);
        assertNotEquals(v, Pkce.verifier());
        assertEquals(43, Pkce.random(32).length());
    }
}
