package io.kcconnections.connect.webhooks;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountRoutingTest {

    private static String at(String body, String pointer) {
        return AccountRouting.accountId(body.getBytes(StandardCharsets.UTF_8), pointer);
    }

    @Test
    void githubInstallationAccountAsNumberAndSlackTeamAsString() {
        String gh = "{\"action\":\"created\",\"installation\":{\"id\":7,\"account\":{\"id\":1234567,\"login\":\"octo\"}}}";
        assertEquals("1234567", at(gh, "/installation/account/id"));
        assertEquals("T0001", at("{\"team_id\":\"T0001\",\"event\":{\"type\":\"app_mention\"}}", "/team_id"));
        assertEquals("x/y", at("{\"a/b\":\"x/y\"}", "/a~1b"), "RFC 6901 escapes");
    }

    @Test
    void formEncodedBodiesByAOneSegmentPointer() {
        assertEquals("T 1", at("token=x&team_id=T+1&command=%2Fweather", "/team_id"));
        assertNull(at("token=x&team_id=T1", "/team/id"), "a form has no nesting");
        assertNull(at("token=x", "/team_id"));
    }

    @Test
    void nothingUsableIsNull() {
        assertNull(at("{\"installation\":{\"account\":{}}}", "/installation/account/id"));
        assertNull(at("{\"team_id\":{\"id\":1}}", "/team_id"), "an object is not an id");
        assertNull(at("{\"team_id\":1.5}", "/team_id"), "nor a fraction");
        assertNull(at("{\"team_id\":\"\"}", "/team_id"));
        assertNull(at("{\"team_id\":\"" + "a".repeat(256) + "\"}", "/team_id"), "at most 255 characters");
        assertNull(at("[1,2", "/0"));
        assertNull(at("", "/team_id"));
    }

    @Test
    void pointers() {
        assertTrue(AccountRouting.validPointer("/installation/account/id"));
        assertTrue(AccountRouting.validPointer("/team_id"));
        assertFalse(AccountRouting.validPointer(""));
        assertFalse(AccountRouting.validPointer("team_id"));
        assertFalse(AccountRouting.validPointer("/" + "a".repeat(255)));
    }
}
