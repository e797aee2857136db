package io.kcconnections.connect.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.keycloak.util.JsonSerialization;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The provider's email-verified flag, as each entry expresses it (boolean, Apple's "true" text, nested, absent). */
class EmailVerifiedTest {

    private static JsonNode json(String s) throws Exception {
        return JsonSerialization.readValue(s, JsonNode.class);
    }

    @Test
    void flags() throws Exception {
        assertTrue(AccountLookup.verified(json("{\"email_verified\":true}"), "/email_verified"));
        assertTrue(AccountLookup.verified(json("{\"email_verified\":\"true\"}"), "/email_verified"), "Apple's text form");
        assertTrue(AccountLookup.verified(json("{\"emails\":[{\"is_verified\":true}]}"), "/emails/0/is_verified"));
        assertFalse(AccountLookup.verified(json("{\"email_verified\":false}"), "/email_verified"));
        assertFalse(AccountLookup.verified(json("{\"email_verified\":\"yes\"}"), "/email_verified"));
        assertFalse(AccountLookup.verified(json("{}"), "/email_verified"));
        assertFalse(AccountLookup.verified(json("{\"email_verified\":true}"), null), "no flag in the entry: never verified");
    }
}
