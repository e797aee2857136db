package io.kcconnections.connect.login;

import java.util.List;
import java.util.Map;

import io.kcconnections.connect.oauth.OAuthClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a login through a catalog provider tells Keycloak: email only when verified, Apple's name once, a stable id. */
class LoginIdentityTest {

    @Test
    void unverifiedEmailIsNotImported() {
        LoginIdentity who = LoginIdentity.of("notion", new OAuthClient.Account("u-1", "Alice Demo", "alice@example.com",
                Map.of(), false), List.of(), Map.of());
        assertEquals("u-1", who.id());
        assertNull(who.email());
        assertFalse(who.emailVerified());
        assertEquals("notion-u-1", who.username(), "a display name is no username");
        assertEquals("Alice", who.firstName());
        assertEquals("Demo", who.lastName());
    }

    @Test
    void verifiedEmailIsImportedAsVerified() {
        LoginIdentity who = LoginIdentity.of("kakao", new OAuthClient.Account("42", null, "a@example.com", Map.of(), true),
                List.of(), Map.of());
        assertEquals("a@example.com", who.email());
        assertTrue(who.emailVerified());
        assertEquals("a@example.com", who.username());
    }

    @Test
    void appleNameComesFromTheFirstFormPostOnly() {
        OAuthClient.Account idToken = new OAuthClient.Account("001.apple", null, "x@privaterelay.appleid.com", Map.of(), true);
        String user = "{\"name\":{\"firstName\":\"Alice\",\"lastName\":\"Demo\"},\"email\":\"other@example.com\"}";
        LoginIdentity first = LoginIdentity.of("apple", idToken, List.of("user"), Map.of("user", List.of(user)));
        assertEquals("Alice", first.firstName());
        assertEquals("Demo", first.lastName());
        assertEquals("x@privaterelay.appleid.com", first.email(), "the ID token's email, not the form field's");
        LoginIdentity later = LoginIdentity.of("apple", idToken, List.of("user"), Map.of());
        assertNull(later.firstName());
        assertNull(LoginIdentity.of("apple", idToken, List.of("user"), Map.of("user", List.of("not json"))).firstName());
    }

    @Test
    void noAccountIdNoLogin() {
        assertNull(LoginIdentity.of("x", null, List.of(), Map.of()));
        assertNull(LoginIdentity.of("x", new OAuthClient.Account(null, "n", null), List.of(), Map.of()));
    }
}
