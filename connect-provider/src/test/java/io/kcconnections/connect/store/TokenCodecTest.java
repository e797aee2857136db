package io.kcconnections.connect.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What a provider's answer may put in bounded columns: nothing that could make a write-back fail. */
class TokenCodecTest {

    @Test
    void tokenTypeIsKeptOnlyWhenItFitsItsColumn() {
        assertEquals("Bearer", TokenCodec.tokenType("Bearer"));
        assertEquals("DPoP", TokenCodec.tokenType("DPoP"));
        assertEquals("x".repeat(64), TokenCodec.tokenType("x".repeat(64)));
        assertNull(TokenCodec.tokenType("x".repeat(65)), "longer than the column");
        assertNull(TokenCodec.tokenType("bearer\nSet-Cookie: x"), "control characters");
        assertNull(TokenCodec.tokenType("Bearer token"), "a space");
        assertNull(TokenCodec.tokenType(""));
        assertNull(TokenCodec.tokenType(null));
    }
}
