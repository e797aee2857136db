package io.kcconnections.connect.net;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@link RetryAfter}: delta-seconds and HTTP dates from a receiver that is not trusted; anything odd is ignored. */
class RetryAfterTest {

    private static final long NOW = Instant.parse("2026-12-07T12:00:00Z").toEpochMilli();

    private static String date(Instant at) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC));
    }

    @Test
    void deltaSeconds() {
        assertEquals(0L, RetryAfter.millis("0", NOW));
        assertEquals(120_000L, RetryAfter.millis("120", NOW));
        assertEquals(7_000L, RetryAfter.millis(" 7 ", NOW));
        assertEquals(999_999_999_000L, RetryAfter.millis("999999999", NOW), "nine digits: callers cap it");
    }

    @Test
    void httpDates() {
        assertEquals(90_000L, RetryAfter.millis(date(Instant.ofEpochMilli(NOW + 90_000)), NOW));
        assertEquals(90_000L, RetryAfter.millis("Mon, 07 Dec 2026 12:01:30 GMT", NOW));
        assertEquals(0L, RetryAfter.millis("Wed, 21 Oct 2015 07:28:00 GMT", NOW), "a past date means now");
    }

    @Test
    void hostileOrUnreadableValuesAreIgnored() {
        for (String v : new String[] {null, "", " ", "-5", "+5", "1.5", "1e3", "0x10", "soon", "5 s", "5,6",
                "1234567890", "99999999999999999999999", "٣", "Monday", "2026-12-07T12:01:30Z",
                "Mon, 07 Dec 2026 12:01:30", "Mon, 32 Dec 2026 12:01:30 GMT", "Mon, 07 Dec +999999999 12:01:30 GMT",
                "1".repeat(100), " ".repeat(60) + "5" + " ".repeat(60)}) {
            assertNull(RetryAfter.millis(v, NOW), () -> "accepted " + v);
        }
    }
}
