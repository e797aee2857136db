package io.kcconnections.connect.net;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.util.EntityUtils;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundHttpTest {

    @Test
    void readsAtMostTheLimit() throws Exception {
        assertEquals("abcd", Deadline.readAtMost(in("abcd"), 4));
        IOException e = assertThrows(IOException.class, () -> Deadline.readAtMost(in("abcde"), 4));
        assertEquals("response larger than 4 bytes", e.getMessage());
        assertEquals("", Deadline.readAtMost(in(""), 0));
    }

    @Test
    void retryAfterInSecondsOrAsADate() {
        assertNull(OutboundHttp.retryAfter(null));
        assertEquals(30L, OutboundHttp.retryAfter(" 30 "));
        assertEquals(0L, OutboundHttp.retryAfter("-5"));
        assertNull(OutboundHttp.retryAfter("soon"));
        String inAMinute = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        long s = OutboundHttp.retryAfter(inAMinute);
        assertTrue(s > 50 && s <= 60, "seconds until the date: " + s);
        assertEquals(0L, OutboundHttp.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), "a past date means now");
    }

    @Test
    void aPostWithoutBodySendsNoEntityAndNoContentType() throws Exception {
        // Dropbox's get_current_account refuses a body ("{}" included) and any Content-Type.
        HttpUriRequest r = OutboundHttp.request(new OutboundRequest("POST", "https://api.example.com/2/users/get_current_account",
                false, null, Map.of("Authorization", "Bearer at")));
        assertEquals("POST", r.getMethod());
        assertNull(((HttpEntityEnclosingRequest) r).getEntity());
        assertNull(r.getFirstHeader("Content-Type"));
        assertEquals("Bearer at", r.getFirstHeader("Authorization").getValue());
        HttpUriRequest form = OutboundHttp.request(new OutboundRequest("POST", "https://api.example.com/t", false, Map.of(), Map.of()));
        assertTrue(((HttpEntityEnclosingRequest) form).getEntity() != null, "an empty form is still a form (Zoom's revoke)");
    }

    @Test
    void deleteWithAFormBody() throws Exception {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("token", "a b&c");
        body.put("token_type_hint", "access_token");
        HttpUriRequest r = OutboundHttp.deleteWithBody(new OutboundRequest("DELETE", "https://p.example.com/revoke?x=1",
                false, body, Map.of("Accept", "application/json")));
        assertEquals("DELETE", r.getMethod());
        assertEquals("https://p.example.com/revoke?x=1", r.getURI().toString());
        assertEquals("application/json", r.getFirstHeader("Accept").getValue());
        var entity = ((HttpEntityEnclosingRequest) r).getEntity();
        assertTrue(entity.getContentType().getValue().startsWith("application/x-www-form-urlencoded"));
        assertEquals("token=a+b%26c&token_type_hint=access_token", EntityUtils.toString(entity));
    }

    @Test
    void onlyADeleteWithABodyBypassesSimpleHttp() {
        assertTrue(new OutboundRequest("DELETE", "u", true, Map.of("a", "b"), Map.of()).deleteWithBody());
        assertFalse(new OutboundRequest("DELETE", "u", false, Map.of(), Map.of()).deleteWithBody());
        assertFalse(new OutboundRequest("POST", "u", false, Map.of("a", "b"), Map.of()).deleteWithBody());
    }

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
